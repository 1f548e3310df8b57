import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertChange, AlertId, VesselId } from '../model/index.js';
import { emptyPositions, pushPosition, type SpoolRecord } from './rows.js';
import { Spool } from './spool.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'seagrid-spool-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function batch(first: number, n: number): SpoolRecord {
  const c = emptyPositions();
  for (let i = first; i < first + n; i++) pushPosition(c, '412000001' as VesselId, { source: 'ais', atMs: i * 1000, receivedAtMs: i * 1000, lat: 30, lon: 122 });
  return { k: 'p', n, c };
}
function change(i: number): SpoolRecord {
  const c: AlertChange = {
    alertId: `a-${i}` as AlertId,
    seq: 1,
    action: 'raise',
    atMs: i,
    actor: 'system',
    alert: { id: `a-${i}` as AlertId, kind: 'collision', severity: 'danger', state: 'raised', vesselIds: ['412000001' as VesselId, '412000002' as VesselId], raisedAtMs: i, updatedAtMs: i, details: { cpaNm: 0.1 } },
  };
  return { k: 'a', n: 1, c: [c] };
}
const lineBytes = (r: SpoolRecord): number => Buffer.byteLength(`${JSON.stringify(r)}\n`);
const firsts = (recs: SpoolRecord[]): number[] => recs.map((r) => (r.k === 'p' ? r.c.atMs[0]! / 1000 : -1));

describe('disk spool', () => {
  it('replays records oldest first, then deletes them', async () => {
    const d = dir();
    const s = await Spool.open(d, 1e9);
    for (let i = 0; i < 5; i++) expect(await s.append(batch(i * 10, 10))).toBe(true);
    expect(s.rows).toBe(50);
    const seen: SpoolRecord[] = [];
    expect(await s.replay(async (r) => void seen.push(r), () => undefined)).toBe(50);
    expect(firsts(seen)).toEqual([0, 10, 20, 30, 40]);
    expect([s.rows, s.bytes]).toEqual([0, 0]);
    expect(readdirSync(d)).toEqual([]);
  });

  it('survives a restart: a new Spool on the dir counts and replays what the last one left', async () => {
    const d = dir();
    const a = await Spool.open(d, 1e9);
    await a.append(batch(0, 7));
    await a.append(batch(7, 3));
    const b = await Spool.open(d, 1e9);
    expect(b.rows).toBe(10);
    expect(b.bytes).toBe(a.bytes);
    await b.append(batch(10, 5)); // into a new segment, after the old ones
    const seen: SpoolRecord[] = [];
    await b.replay(async (r) => void seen.push(r), () => undefined);
    expect(firsts(seen)).toEqual([0, 7, 10]);
  });

  it('keeps everything from the failed record on when a replay is interrupted', async () => {
    const d = dir();
    const s = await Spool.open(d, 1e9);
    for (let i = 0; i < 3; i++) await s.append(batch(i, 1));
    let calls = 0;
    await expect(
      s.replay(async () => {
        if (++calls === 2) throw new Error('connection lost');
      }, () => undefined),
    ).rejects.toThrow('connection lost');
    // The segment is replayed whole next time (the first record again: harmless, keys are idempotent).
    expect(s.rows).toBe(3);
    const seen: SpoolRecord[] = [];
    await s.replay(async (r) => void seen.push(r), () => undefined);
    expect(firsts(seen)).toEqual([0, 1, 2]);
  });

  it('refuses records past its byte bound', async () => {
    const d = dir();
    const one = `${JSON.stringify(batch(0, 10))}\n`.length;
    const s = await Spool.open(d, one * 3); // room for two (the later ones are a little longer), not three
    expect(await s.append(batch(0, 10))).toBe(true);
    expect(await s.append(batch(10, 10))).toBe(true);
    expect(await s.append(batch(20, 10))).toBe(false);
    expect(s.rows).toBe(20);
  });

  it('alert changes have a budget of their own: a spool full of positions still takes them, up to their bound', async () => {
    const d = dir();
    const batchLine = lineBytes(batch(0, 10));
    const alertLine = lineBytes(change(0));
    const s = await Spool.open(d, batchLine + 10, undefined, 3 * alertLine + 10);
    expect(await s.append(batch(0, 10))).toBe(true);
    expect(await s.append(batch(10, 10))).toBe(false); // positions full
    expect([await s.append(change(1)), await s.append(change(2)), await s.append(change(3))]).toEqual([true, true, true]);
    expect(await s.append(change(4))).toBe(false); // the alerts' own bound
    expect(await s.append(batch(10, 1))).toBe(false); // the alerts took nothing from the positions' room, nor gave any
    expect(s.rows).toBe(13);
    expect(s.bytes).toBe(batchLine + 3 * alertLine);

    // A restart counts each kind against its own bound again.
    const again = await Spool.open(d, batchLine + 10, undefined, 3 * alertLine + 10);
    expect(again.bytes).toBe(batchLine + 3 * alertLine);
    expect(await again.append(change(5))).toBe(false);
    const seen: SpoolRecord[] = [];
    await again.replay(async (r) => void seen.push(r), () => undefined);
    expect(seen.map((r) => r.k)).toEqual(['p', 'a', 'a', 'a']);
    expect([again.rows, again.bytes]).toEqual([0, 0]);
    expect(await again.append(change(6))).toBe(true);
    expect(await again.append(batch(0, 10))).toBe(true);
  });

  it('skips a torn last line (a crash mid-write) and reports its rows', async () => {
    const d = dir();
    const s = await Spool.open(d, 1e9);
    await s.append(batch(0, 4));
    const [file] = readdirSync(d);
    appendFileSync(path.join(d, file!), '{"k":"p","n":6,"c":{"vesselId":["4120');
    const again = await Spool.open(d, 1e9);
    expect(again.rows).toBe(10);
    let bad = 0;
    const seen: SpoolRecord[] = [];
    await again.replay(async (r) => void seen.push(r), (n) => (bad += n));
    expect(firsts(seen)).toEqual([0]);
    expect(bad).toBe(6);
    expect(again.rows).toBe(0);
  });
});
