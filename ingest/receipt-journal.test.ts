import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, truncateSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawFrame } from './mqtt-source.js';
import { ReceiptJournal } from './receipt-journal.js';

const dirs: string[] = [];
const journals: ReceiptJournal[] = [];
function dir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'seagrid-journal-'));
  dirs.push(d);
  return d;
}
function open(d: string, maxBytes?: number): ReceiptJournal {
  const j = new ReceiptJournal({ dir: d, syncIntervalMs: 0, ...(maxBytes === undefined ? {} : { maxBytes }) });
  journals.push(j);
  return j;
}
afterEach(async () => {
  for (const j of journals.splice(0)) await j.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const frame = (i: number): RawFrame => ({
  topic: `ais/raw/rx-${i % 3}`,
  payload: Buffer.from(`!AIVDM,1,1,,A,frame-${i}-${'x'.repeat(i % 7)},0*00\r\n`),
  receivedAtMs: 1_764_000_000_000 + i * 37.5,
});
const plain = (f: RawFrame) => ({ topic: f.topic, payload: f.payload.toString(), receivedAtMs: f.receivedAtMs });

describe('receipt journal', () => {
  it('a journal opened on the dir of one never closed (a kill) gives back every frame, in order, byte for byte', () => {
    const d = dir();
    const a = open(d);
    const sent = Array.from({ length: 500 }, (_, i) => frame(i));
    for (const f of sent) expect(a.append(f)).toBe(true);
    const b = open(d);
    expect([...b.replay()].map(plain)).toEqual(sent.map(plain));
    expect(b.state()).toMatchObject({ replayed: 500, torn: 0 });
  });

  it('a checkpoint deletes what was journaled before it once the store holds it, never what came during it', async () => {
    const d = dir();
    const j = open(d);
    for (let i = 0; i < 10; i++) j.append(frame(i));
    let release!: () => void;
    const done = j.checkpoint(() => new Promise<void>((r) => (release = r)));
    for (let i = 10; i < 15; i++) j.append(frame(i)); // received while the store flushes
    release();
    await done;
    expect(j.state().checkpoints).toBe(1);
    const after = open(d);
    expect([...after.replay()].map(plain)).toEqual([10, 11, 12, 13, 14].map((i) => plain(frame(i))));
  });

  it('a checkpoint whose store flush fails deletes nothing', async () => {
    const d = dir();
    const j = open(d);
    for (let i = 0; i < 4; i++) j.append(frame(i));
    await expect(j.checkpoint(() => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect([...open(d).replay()]).toHaveLength(4);
  });

  it('past its bound a frame is not journaled, and counted; a checkpoint makes room again', async () => {
    const d = dir();
    const size = 14 + Buffer.byteLength(frame(10).topic) + frame(10).payload.length; // frames 10, 17, 24, 31, 38: one size
    const j = open(d, 3 * size);
    expect([10, 17, 24, 31].map((i) => j.append(frame(i)))).toEqual([true, true, true, false]);
    expect(j.state()).toMatchObject({ appended: 3, unjournaled: 1, bytes: 3 * size });
    await j.checkpoint(async () => undefined);
    expect(j.state().bytes).toBe(0);
    expect(j.append(frame(38))).toBe(true);
  });

  it('a record cut short by a crash mid-write ends the replay of its segment, counted', () => {
    const d = dir();
    const a = open(d);
    for (let i = 0; i < 3; i++) a.append(frame(i));
    const [file] = readdirSync(d);
    const full = statSync(path.join(d, file!)).size;
    truncateSync(path.join(d, file!), full - 5);
    appendFileSync(path.join(d, file!), ''); // the tail is simply missing
    const b = open(d);
    expect([...b.replay()].map(plain)).toEqual([0, 1].map((i) => plain(frame(i))));
    expect(b.state().torn).toBe(1);
  });

  it('SIGKILL right after the appends: a new process replays every frame the killed one journaled', async () => {
    const d = dir();
    const here = path.dirname(fileURLToPath(import.meta.url));
    const child = `
      import { ReceiptJournal } from ${JSON.stringify(path.join(here, 'receipt-journal.ts'))};
      const j = new ReceiptJournal({ dir: process.argv[1] });
      for (let i = 0; i < 2000; i++) j.append({ topic: 'beidou/raw/card-' + i, payload: Buffer.from('$BDPOS,' + i), receivedAtMs: 1e12 + i });
      process.kill(process.pid, 'SIGKILL');
    `;
    const code = await new Promise<string | null>((resolve) => {
      const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child, d], { stdio: 'inherit' });
      p.once('exit', (_c, signal) => resolve(signal));
    });
    expect(code).toBe('SIGKILL');
    const got = [...open(d).replay()];
    expect(got.map((f) => f.topic)).toEqual(Array.from({ length: 2000 }, (_, i) => `beidou/raw/card-${i}`));
    expect(got[1999]!.payload.toString()).toBe('$BDPOS,1999');
  }, 60_000);
});
