/**
 * RFC 4180 CSV as spreadsheets write it: comma separated, fields optionally in double quotes
 * (`""` is a quote; commas and line breaks inside quotes are text), CRLF or LF. Blank lines are
 * skipped. Malformed quoting is reported with its line and the record is still returned as read,
 * so the caller can report every problem of a file at once.
 */
export interface CsvRecord {
  /** Line on which the record starts (1-based). */
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let blank = true;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      if (i < n && text.charCodeAt(i) === 34 /* " */) {
        blank = false;
        i++;
        let closed = false;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 34) {
            if (text.charCodeAt(i + 1) === 34) {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === 10) line++;
          field += text[i];
          i++;
        }
        if (!closed) problems.push({ line: startLine, message: 'a quoted field is not closed before the end of the file' });
        // Text between the closing quote and the next separator is kept, but it is a mistake.
        const rest = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        if (i > rest) {
          problems.push({ line, message: `text after a closing quote: ${JSON.stringify(text.slice(rest, i))}` });
          field += text.slice(rest, i);
        }
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        field = text.slice(from, i);
        if (field.includes('"')) problems.push({ line, message: `a quote inside an unquoted field: ${JSON.stringify(field)}; quote the whole field` });
        if (field.trim() !== '') blank = false;
      }
      fields.push(field);
      field = '';
      if (i < n && text[i] === ',') {
        blank = false;
        i++;
        continue;
      }
      break;
    }
    // End of record: CRLF, LF or a lone CR.
    if (i < n && text[i] === '\r') i++;
    if (i < n && text[i] === '\n') i++;
    line++;
    if (!blank) records.push({ line: startLine, fields });
  }
  return { records, problems };
}
