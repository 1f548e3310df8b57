import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../model/index.js';
import { frameLine } from '../nmea/index.js';
import { GnssDecoder, type GnssFix } from './index.js';

/*
 * Golden test against gpsd's regression logs of two SiRF-TriG BeiDou receivers
 * (fixtures/beidou/gpsd, see PROVENANCE.md). The .chk is gpsd's own output: it echoes every input
 * line and, after some of them, the TPV/SKY report that line completed.
 *
 * How gpsd's TPVs line up with our fixes:
 * - gpsd merges the sentences of one second (GGA, GNS, GSA, RMC …) into one fix and may report
 *   it after several of them, including after GSA/GSV, which carry no position. Each TPV is
 *   therefore paired with our result for the last position sentence (RMC/GGA/GNS/GLL) echoed
 *   above it in the .chk: the sentence whose data the report is built on.
 * - mode 1 (no fix) TPVs: that sentence must be rejected with `beidou.no_fix` (RMC status V,
 *   GGA quality 0, GNS mode NNNN).
 * - mode 2/3 TPVs: lat/lon equal to gpsd's printed 9 decimals; `time` (ISO, ms) equal when
 *   gpsd prints one.
 * - gpsd prints no `time` in the first fix second of each log: it takes the year only from a
 *   *valid* RMC (the earlier status-V RMCs are ignored), which comes last in that second. Its
 *   positions are still compared. We date those GGA/GNS from the receipt time; the logs carry
 *   none, so receipt is the capture date of the log header at 12:00 UTC, and the expected time
 *   is that date with the sentence's own hhmmss.sss.
 * - `track` and `speed` are compared only on TPVs that carry `track`: in these logs only RMC has
 *   speed and course, and those TPVs follow the RMC. The `speed` of the other TPVs is gpsd's own
 *   estimate from the distance between successive fixes (33 m/s for a boat doing 0.26 kn), which
 *   no sentence carries. gpsd's speed is m/s, so ours is converted from knots by 1852/3600.
 * - Conversely every fix we produce must be matched by a TPV with its lat/lon (and its time,
 *   when that TPV has one).
 */

const KNOTS_TO_MS = 1852 / 3600;
const DIR = new URL('../../fixtures/beidou/gpsd/', import.meta.url);

interface Tpv {
  readonly mode: number;
  readonly time?: string;
  readonly lat?: number;
  readonly lon?: number;
  readonly speed?: number;
  readonly track?: number;
}

interface Decoded {
  readonly text: string;
  /** undefined: framed but not a position sentence. */
  readonly result: Result<GnssFix> | undefined;
}

function decodeLog(name: string): { decoded: Decoded[]; captureDate: string } {
  const text = readFileSync(new URL(name, DIR), 'utf8');
  const captureDate = /^# Date: (\d{4}-\d\d-\d\d)/m.exec(text)?.[1];
  if (captureDate === undefined) throw new Error(`${name}: no # Date: header`);
  const ctx = { source: name, receivedAtMs: Date.parse(`${captureDate}T12:00:00Z`) };
  const decoder = new GnssDecoder();
  const decoded: Decoded[] = [];
  for (const line of text.split('\n')) {
    frameLine(line, (framed, recordText) => {
      if (framed.kind === 'skip') return;
      if (framed.kind === 'reject') throw new Error(`${name}: framing rejected ${recordText}: ${framed.code}`);
      decoded.push({ text: recordText, result: decoder.decode(framed.sentence, ctx) });
    });
  }
  return { decoded, captureDate };
}

function fixed(n: number, digits: number): number {
  return Number(n.toFixed(digits));
}

function check(name: string): { tpvs: number; timed: number; withTrack: number; fixes: number } {
  const { decoded, captureDate } = decodeLog(name);
  const chk = readFileSync(new URL(`${name}.chk`, DIR), 'utf8').split('\n');
  let next = 0; // index into decoded: the .chk echoes the input lines in order
  let lastPosition: Decoded | undefined;
  const counts = { tpvs: 0, timed: 0, withTrack: 0, fixes: 0 };
  const matched = new Set<Decoded>();

  for (const raw of chk) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('{')) {
      const d = decoded[next++];
      expect(d?.text.trim(), 'the .chk echoes the log lines in order').toBe(line);
      if (d?.result !== undefined) lastPosition = d;
      continue;
    }
    const report = JSON.parse(line) as { class: string } & Tpv;
    if (report.class !== 'TPV') continue;
    counts.tpvs++;
    const where = `${name}: TPV after ${lastPosition?.text}`;
    const result = lastPosition?.result;
    if (result === undefined) throw new Error(`${where}: no position sentence before it`);
    if (report.mode < 2) {
      expect(result, where).toMatchObject({ ok: false, code: 'beidou.no_fix' });
      continue;
    }
    if (!result.ok) throw new Error(`${where}: rejected ${result.code} ${result.detail ?? ''}`);
    const fix = result.value;
    matched.add(lastPosition as Decoded);
    expect(fixed(fix.lat, 9), where).toBe(report.lat);
    expect(fixed(fix.lon, 9), where).toBe(report.lon);
    if (report.time !== undefined) {
      counts.timed++;
      expect(new Date(fix.atMs).toISOString(), where).toBe(report.time);
    } else {
      const hhmmss = lastPosition?.text.split(',')[1] ?? '';
      const expected = `${captureDate}T${hhmmss.slice(0, 2)}:${hhmmss.slice(2, 4)}:${hhmmss.slice(4, 10)}Z`;
      expect(new Date(fix.atMs).toISOString(), where).toBe(expected);
    }
    if (report.track !== undefined) {
      counts.withTrack++;
      expect(fix.sentence, where).toBe('RMC');
      expect(fixed(fix.cogDeg ?? NaN, 4), where).toBe(report.track);
      expect(fixed((fix.sogKn ?? NaN) * KNOTS_TO_MS, 3), where).toBe(report.speed);
    }
  }
  expect(next, 'every log line is echoed in the .chk').toBe(decoded.length);

  // Every fix of ours has a TPV with the same position (and time when gpsd printed one).
  const reports = chk.filter((l) => l.startsWith('{"class":"TPV"')).map((l) => JSON.parse(l) as Tpv);
  for (const d of decoded) {
    if (d.result?.ok !== true) continue;
    counts.fixes++;
    if (matched.has(d)) continue;
    const fix = d.result.value;
    const iso = new Date(fix.atMs).toISOString();
    const twin = reports.find(
      (r) => r.lat === fixed(fix.lat, 9) && r.lon === fixed(fix.lon, 9) && (r.time === undefined || r.time === iso),
    );
    expect(twin, `${name}: a TPV for ${d.text}`).toBeDefined();
  }
  return counts;
}

describe('GnssDecoder against gpsd TPV reports', () => {
  it('beidou-bd.log ($BD talker, SiRF-TriG) matches beidou-bd.log.chk', () => {
    // Counts read off the .chk (grep): 32 TPVs, 12 of them with a time, 4 with track; the log has
    // 5 seconds with a valid GGA, GNS and RMC each.
    expect(check('beidou-bd.log')).toEqual({ tpvs: 32, timed: 12, withTrack: 4, fixes: 15 });
  });

  it('beidou-gb.log ($GB talker, NMEA 4.00 patch) matches beidou-gb.log.chk', () => {
    // 21 TPVs, 5 with a time, 1 with track; 2 seconds with a valid GGA, GNS and RMC each.
    expect(check('beidou-gb.log')).toEqual({ tpvs: 21, timed: 5, withTrack: 1, fixes: 6 });
  });
});
