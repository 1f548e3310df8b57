/**
 * The store contract: one suite, run against every database the store supports (the embedded
 * server, a real Debian PostgreSQL). Expected values are written out from the inputs, never read
 * back from the store's own code. Each case works in its own stretch of time and its own ids, so
 * cases sharing one database do not see each other's rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertChange, AlertId, AlertQuery, AlertState, BeidouCard, FleetId, GridEvent, Mmsi, PositionReport, VesselFile, VesselId } from '../model/index.js';
import { MAX_TRACK_POINTS, openStore, type Store, type StoreOptions } from './index.js';

export interface ContractTarget {
  /** A store on the target database; `dataDir` holds its spool (the target's shared dir when absent); `tuning` overrides options. */
  open(dataDir?: string, tuning?: Partial<Pick<StoreOptions, 'batchRows' | 'maxQueuedRows' | 'flushIntervalMs'>>): Promise<Store>;
  /** Stop and start the database server under an open store (the outage case runs when given). */
  outage?: { stop(): Promise<void>; start(): Promise<void> };
}

let caseNo = 0;
/** A stretch of time no other case uses: whole days apart, from 2024-01-01 onwards. */
function epoch(): number {
  caseNo++;
  return Date.UTC(2024, 0, 1) + (caseNo * 997 + Math.floor(Math.random() * 500)) * 86_400_000;
}
const uid = (): string => Math.random().toString(36).slice(2, 8);

function fix(atMs: number, lat: number, lon: number, extra: Partial<PositionReport> = {}): PositionReport {
  return { source: 'ais', atMs, receivedAtMs: atMs + 400, lat, lon, ...extra };
}

async function waitFor(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ALL = { maxPoints: MAX_TRACK_POINTS };

export function describeStoreContract(name: string, openOrTarget: (() => Promise<Store>) | ContractTarget): void {
  const target: ContractTarget = typeof openOrTarget === 'function' ? { open: () => openOrTarget() } : openOrTarget;
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'seagrid-store-'));
    dirs.push(d);
    return d;
  };
  // One side data dir for the cases that need a second store (an embedded target initialises a
  // cluster per data dir: once is enough).
  let side: string | undefined;
  const sideDir = (): string => (side ??= tempDir());

  describe(`store contract: ${name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await target.open();
    }, 120_000);

    afterAll(async () => {
      await store?.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }, 60_000);

    it('opens migrated and connected', () => {
      const h = store.health();
      expect(h.connected).toBe(true);
      expect(h.queuedRows).toBe(0);
      expect(typeof store.timescale).toBe('boolean');
    });

    it('writes a position once even when the same batch is written twice, every field round-tripping', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const full = fix(t0, 29.9512345, 122.3098765, {
        mmsi: 412345678 as Mmsi,
        sogKn: 12.3,
        cogDeg: 271.4,
        headingDeg: 270,
        rotDegMin: -4.5,
        navStatus: 7,
        receiver: 'zs-daishan',
      });
      const batch = [full, ...Array.from({ length: 99 }, (_, i) => fix(t0 + (i + 1) * 10_000, 30, 122 + i / 1000))];
      for (const p of batch) store.writePosition(v, p);
      await store.flush();
      for (const p of batch) store.writePosition(v, p);
      await store.flush();
      const got = await store.track(v, t0, t0 + 1000 * 10_000, ALL);
      expect(got).toHaveLength(100);
      expect(got[0]).toEqual({
        vesselId: v,
        atMs: t0,
        source: 'ais',
        lat: 29.9512345,
        lon: 122.3098765,
        sogKn: 12.3,
        cogDeg: 271.4,
        headingDeg: 270,
        navStatus: 7,
        receiver: 'zs-daishan',
      });
      // Absent values stay absent, not 0 or null.
      expect(got[1]).toEqual({ vesselId: v, atMs: t0 + 10_000, source: 'ais', lat: 30, lon: 122 });
    });

    it('keeps an AIS and a BeiDou fix at the same instant as two rows', async () => {
      const t0 = epoch();
      const v = `bd${uid()}` as VesselId;
      store.writePosition(v, fix(t0, 30, 122));
      store.writePosition(v, { ...fix(t0, 30.0001, 122.0001), source: 'beidou', beidouCard: '1234567' as BeidouCard });
      await store.flush();
      const got = await store.track(v, t0, t0, ALL);
      expect(got.map((p) => p.source)).toEqual(['ais', 'beidou']);
    });

    it('gives the fixes as received, every column, by vessel then time: for named vessels, for a window and for a box alike, cut at the limit', async () => {
      const t0 = epoch();
      const a = `41${uid()}` as VesselId;
      const b = `bd${uid()}` as VesselId;
      const full = fix(t0 + 20_000, 29.9512345, 122.3098765, { mmsi: 412345678 as Mmsi, sogKn: 12.3, cogDeg: 271.4, headingDeg: 270, rotDegMin: -4.5, navStatus: 7, receiver: 'zs-daishan', receivedAtMs: t0 + 20_917 });
      const bare = fix(t0, 29.95, 122.31);
      const late = fix(t0 + 40_000, 29.96, 122.32, { sogKn: 0 });
      const card = { ...fix(t0 + 20_000, 30.1, 122.4), source: 'beidou' as const, beidouCard: '1234567' as BeidouCard, receivedAtMs: t0 + 200_000 };
      const ais = fix(t0 + 20_000, 30.1001, 122.4001, { mmsi: 412000009 as Mmsi });
      // Written out of order.
      for (const [v, p] of [[a, late], [b, card], [a, full], [b, ais], [a, bare]] as const) store.writePosition(v, p);
      await store.flush();
      const as = (v: VesselId, p: PositionReport) => {
        const { receivedAtMs, ...rest } = p;
        return { vesselId: v, ...rest, ...(receivedAtMs === undefined ? {} : { receivedAtMs }) };
      };
      const expected = [as(a, bare), as(a, full), as(a, late), as(b, ais), as(b, card)].sort((x, y) => (x.vesselId < y.vesselId ? -1 : x.vesselId > y.vesselId ? 1 : 0));
      const window = { fromMs: t0, toMs: t0 + 60_000 };
      expect(await store.fixesIn({ ...window, vesselIds: [b, a, b], limit: 100 })).toEqual(expected);
      expect(await store.fixesIn({ ...window, limit: 100 })).toEqual(expected);
      expect(await store.fixesIn({ ...window, bbox: { minLat: 29, maxLat: 31, minLon: 122, maxLon: 123 }, limit: 100 })).toEqual(expected);
      expect(await store.fixesIn({ ...window, vesselIds: [a, b], limit: 4 })).toEqual(expected.slice(0, 4));
      expect(await store.fixesIn({ ...window, limit: 2 })).toEqual(expected.slice(0, 2));
      expect(await store.fixesIn({ ...window, bbox: { minLat: 29, maxLat: 31, minLon: 122, maxLon: 123 }, limit: 4 })).toEqual(expected.slice(0, 4));
      expect(await store.fixesIn({ ...window, vesselIds: [a], limit: 100 })).toEqual(expected.filter((f) => f.vesselId === a));
      expect(await store.fixesIn({ ...window, vesselIds: [`41${uid()}` as VesselId], limit: 100 })).toEqual([]);
    });

    it('returns a track in time order within inclusive bounds, whatever the arrival order', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      // 300 fixes 10 s apart, written in a shuffled order.
      const idx = Array.from({ length: 300 }, (_, i) => i);
      for (let i = idx.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      }
      for (const i of idx) store.writePosition(v, fix(t0 + i * 10_000, 30 + i / 10_000, 122));
      await store.flush();
      const all = await store.track(v, t0 - 3_600_000, t0 + 3_600_000, ALL);
      expect(all.map((p) => p.atMs)).toEqual(Array.from({ length: 300 }, (_, i) => t0 + i * 10_000));
      const part = await store.track(v, t0 + 1_000_000, t0 + 1_990_000, ALL);
      expect(part).toHaveLength(100); // fixes 100 … 199, both ends included
      expect(part[0]!.atMs).toBe(t0 + 1_000_000);
      expect(part[99]!.atMs).toBe(t0 + 1_990_000);
      expect(await store.track(v, t0 + 1_000_001, t0 + 1_009_999, ALL)).toEqual([]);
      expect(await store.track(`41${uid()}` as VesselId, t0, t0 + 3_000_000, ALL)).toEqual([]);
      // The route's fields (index-only read): the same fixes and values, without heading, status and receiver.
      const route = await store.track(v, t0 - 3_600_000, t0 + 3_600_000, { ...ALL, fields: 'route' });
      expect(route).toEqual(all.map(({ vesselId, atMs, source, lat, lon, sogKn, cogDeg }) => ({ vesselId, atMs, source, lat, lon, ...(sogKn === undefined ? {} : { sogKn }), ...(cogDeg === undefined ? {} : { cogDeg }) })));
    });

    it('downsamples a long track to at most maxPoints real fixes spanning the whole track', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const n = 2000; // one fix every 6 s for 3 h 20 min
      for (let i = 0; i < n; i++) store.writePosition(v, fix(t0 + i * 6_000, 30 + i / 100_000, 122 + i / 100_000));
      await store.flush();
      const from = t0 - 86_400_000;
      const to = t0 + 86_400_000;
      for (const maxPoints of [100, 37, 2]) {
        const got = await store.track(v, from, to, { maxPoints });
        expect(got.length).toBeLessThanOrEqual(maxPoints);
        expect(got.length).toBeGreaterThanOrEqual(Math.floor(maxPoints / 2));
        for (const p of got) {
          // Each is one of the written fixes, unchanged.
          const i = (p.atMs - t0) / 6_000;
          expect(Number.isInteger(i) && i >= 0 && i < n).toBe(true);
          expect(p.lat).toBeCloseTo(30 + i / 100_000, 12);
        }
        for (let k = 1; k < got.length; k++) expect(got[k]!.atMs).toBeGreaterThan(got[k - 1]!.atMs);
        // Spans the track: starts at its first fix, ends within one bucket of its last.
        const span = (n - 1) * 6_000;
        expect(got[0]!.atMs).toBe(t0);
        expect(got.at(-1)!.atMs).toBeGreaterThanOrEqual(t0 + span - Math.ceil(span / (maxPoints - 1)) - 6_000);
      }
      expect(await store.track(v, from, to, { maxPoints: 1 })).toHaveLength(1);
      expect(await store.track(v, from, to, { maxPoints: n })).toHaveLength(n);
    });

    // The case: one fix whose receiver id holds a NUL (a tag block `s:` or topic `ais/raw/a\0b`)
    // in a batch of 501. PostgreSQL's text cannot hold U+0000 (error 22021), so before the fix the
    // batch's COPY and its insert both failed and all 501 rows were dropped.
    it('a NUL in one receiver id costs no fix: its batch of 501 is stored, the receiver marked with U+FFFD', async () => {
      const t0 = epoch();
      const vessels = Array.from({ length: 50 }, () => `41${uid()}` as VesselId);
      for (let i = 0; i < 10; i++) for (const v of vessels) store.writePosition(v, fix(t0 + i * 10_000, 30, 122, { receiver: 'rx-good' }));
      const odd = `41${uid()}` as VesselId;
      store.writePosition(odd, fix(t0 + 5_000, 30.5, 122.5, { receiver: 'rx\0b\uD800' }));
      const before = store.counters();
      await store.flush();
      for (const v of vessels) expect((await store.track(v, t0, t0 + 100_000, ALL)).map((p) => p.atMs)).toEqual(Array.from({ length: 10 }, (_, i) => t0 + i * 10_000));
      // NUL and the lone surrogate each became U+FFFD (Unicode's replacement character); the rest kept.
      expect(await store.track(odd, t0, t0 + 100_000, ALL)).toEqual([{ vesselId: odd, atMs: t0 + 5_000, source: 'ais', lat: 30.5, lon: 122.5, receiver: 'rx\uFFFDb\uFFFD' }]);
      expect(store.counters().droppedRows - before.droppedRows).toBe(0);
      expect(before.cleanedReceivers).toBeGreaterThanOrEqual(1); // counted as it was queued
    });

    // smallint holds −32768…32767 (PostgreSQL manual, 8.1.1): 40000 is a value the edge has no
    // reason to know about and the database refuses (22003). Before the fix the binary COPY wrapped
    // it silently to −25536.
    it('a row the database refuses costs only itself: the other 500 of its batch are stored, the refusal counted', async () => {
      const t0 = epoch();
      const vessels = Array.from({ length: 50 }, () => `41${uid()}` as VesselId);
      for (let i = 0; i < 10; i++) for (const v of vessels) store.writePosition(v, fix(t0 + i * 10_000, 30, 122, { navStatus: 5 }));
      const odd = `41${uid()}` as VesselId;
      store.writePosition(odd, fix(t0 + 5_000, 30.5, 122.5, { navStatus: 40_000 }));
      const before = store.counters();
      await store.flush();
      for (const v of vessels) expect(await store.track(v, t0, t0 + 100_000, ALL)).toHaveLength(10);
      expect(await store.track(odd, t0, t0 + 100_000, ALL)).toEqual([]);
      const after = store.counters();
      expect(after.droppedRows - before.droppedRows).toBe(1);
      expect(after.droppedByReason['store.row_refused'] - before.droppedByReason['store.row_refused']).toBe(1);
      expect(after.spooledRows - before.spooledRows).toBe(0);
      expect(store.health().connected).toBe(true);
    });

    it('refuses at the edge a row whose vessel id or grid id PostgreSQL cannot store, and stores the rest', async () => {
      const t0 = epoch();
      const good = `41${uid()}` as VesselId;
      for (let i = 0; i < 20; i++) store.writePosition(good, fix(t0 + i * 1000, 30, 122));
      store.writePosition(`41\0${uid()}` as VesselId, fix(t0, 30, 122));
      const g = `zs-${uid()}`;
      const ev: GridEvent = { vesselId: good, layer: 'control', gridId: g, kind: 'enter', atMs: t0, lat: 30, lon: 122 };
      store.recordGridEvents([ev, { ...ev, gridId: `${g}\0x` }, { ...ev, kind: 'exit', atMs: t0 + 1000 }]);
      const before = store.counters();
      await store.flush();
      expect(await store.track(good, t0, t0 + 100_000, ALL)).toHaveLength(20);
      expect(await store.gridEvents({ vesselId: good })).toEqual([ev, { ...ev, kind: 'exit', atMs: t0 + 1000 }]);
      expect(store.counters().droppedRows - before.droppedRows).toBe(0); // counted when refused, before the flush
      expect(before.droppedByReason['store.unstorable_text']).toBeGreaterThanOrEqual(2);
    });

    it('gives the picture at a moment: the last fix at or before it, per vessel, within the lookback', async () => {
      const t0 = epoch();
      const a = `41${uid()}` as VesselId;
      const b = `41${uid()}` as VesselId;
      for (const s of [0, 60, 120]) store.writePosition(a, fix(t0 + s * 1000, 30 + s / 1000, 122));
      store.writePosition(b, fix(t0 + 30_000, 31, 123));
      await store.flush();
      const at90 = await store.pictureAt(t0 + 90_000);
      expect(at90.map((p) => [p.vesselId, p.atMs])).toEqual(
        [
          [a, t0 + 60_000],
          [b, t0 + 30_000],
        ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
      );
      // "At or before": a fix exactly at the moment counts.
      expect((await store.pictureAt(t0 + 60_000, { vesselIds: [a] })).map((p) => p.atMs)).toEqual([t0 + 60_000]);
      expect((await store.pictureAt(t0 + 59_999, { vesselIds: [a] })).map((p) => p.atMs)).toEqual([t0]);
      // Only the vessels asked for; a vessel with no fix yet is absent.
      expect((await store.pictureAt(t0 + 90_000, { vesselIds: [b] })).map((p) => p.vesselId)).toEqual([b]);
      expect(await store.pictureAt(t0 - 1, { vesselIds: [a, b] })).toEqual([]);
      // Lookback: a's last fix (30 s before) is in a 40 s window, b's (60 s before) is not.
      expect((await store.pictureAt(t0 + 90_000, { lookbackMs: 40_000 })).map((p) => p.vesselId)).toEqual([a]);
    });

    it('keeps an alert at its latest change and every change in seq order, whatever the arrival order', async () => {
      const t0 = epoch();
      const id = `col-${uid()}` as AlertId;
      const v1 = `41${uid()}` as VesselId;
      const v2 = `41${uid()}` as VesselId;
      const alertAt = (seq: number, state: AlertState, assignee?: string): AlertChange => ({
        alertId: id,
        seq,
        action: (['raise', 'acknowledge', 'assign', 'resolve'] as const)[seq - 1]!,
        atMs: t0 + seq * 60_000,
        actor: seq === 1 ? 'system' : 'officer-7',
        ...(seq === 3 ? { note: '派船 浙普渔68123' } : {}),
        alert: {
          id,
          kind: 'collision',
          severity: 'danger',
          state,
          vesselIds: [v1, v2],
          fleetId: 'F-12' as FleetId,
          raisedAtMs: t0 + 60_000,
          updatedAtMs: t0 + seq * 60_000,
          ...(assignee === undefined ? {} : { assignee }),
          details: { cpaNm: 0.12, tcpaMin: 4.5 },
          seq,
        },
      });
      const c1 = alertAt(1, 'raised');
      const c2 = alertAt(2, 'acknowledged');
      const c3 = alertAt(3, 'assigned', 'officer-9');
      await store.recordAlertChange(c1);
      await store.recordAlertChange(c3);
      await store.recordAlertChange(c2); // late: must not roll the alert back
      await store.recordAlertChange(c2); // twice: kept once
      expect(await store.alerts({ vesselId: v2 })).toEqual([c3.alert]);
      expect((await store.alertHistory(id)).map((c) => [c.seq, c.action, c.actor])).toEqual([
        [1, 'raise', 'system'],
        [2, 'acknowledge', 'officer-7'],
        [3, 'assign', 'officer-7'],
      ]);
      expect(await store.alertHistory(id)).toEqual([c1, c2, c3]);

      const c4 = alertAt(4, 'resolved', 'officer-9');
      await store.recordAlertChange(c4);
      expect(await store.alerts({ vesselId: v1 })).toEqual([]); // open only, by default
      expect(await store.alerts({ vesselId: v1, state: 'all' })).toEqual([c4.alert]);
      expect((await store.alerts({ state: 'all', limit: 100_000 })).some((a) => a.id === id)).toBe(true);
      expect(await store.alerts({ vesselId: `41${uid()}` as VesselId, state: 'all' })).toEqual([]);
    });

    it('takes a burst of 1,200 alert changes in a few transactions: every change kept, each alert at its newest, a refused change costing only itself', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const ids = Array.from({ length: 300 }, () => `col-${uid()}${uid()}` as AlertId);
      const change = (id: AlertId, seq: number, note?: string): AlertChange => ({
        alertId: id,
        seq,
        action: seq === 1 ? 'raise' : 'update',
        atMs: t0 + seq * 10_000,
        actor: 'system',
        ...(note === undefined ? {} : { note }),
        alert: { id, kind: 'collision', severity: 'warning', state: 'raised', vesselIds: [v, `${id}-b` as VesselId], raisedAtMs: t0 + 10_000, updatedAtMs: t0 + seq * 10_000, details: { cpaNm: seq / 10 }, seq },
      });
      // Seq 1–4 of every alert, the later ones of every other alert sent first (late arrivals must not roll back).
      const burst = ids.flatMap((id, i) => (i % 2 === 0 ? [1, 2, 3, 4] : [4, 3, 1, 2]).map((seq) => change(id, seq)));
      const refused = change(ids[7]!, 5, 'bad\u0000note'); // PostgreSQL text cannot hold NUL
      const before = store.counters();
      await Promise.all([...burst.slice(0, 600), refused, ...burst.slice(600)].map((c) => store.recordAlertChange(c)));
      const after = store.counters();
      expect(after.batchesWritten - before.batchesWritten).toBeLessThan(100); // grouped, not one transaction per change
      expect(after.droppedByReason['store.row_refused'] - before.droppedByReason['store.row_refused']).toBe(1);
      expect(after.spooledRows - before.spooledRows).toBe(0);
      const open = new Map((await store.alerts({ vesselId: v, limit: 1_000 })).map((a) => [a.id, a]));
      expect(open.size).toBe(300);
      for (const id of ids) {
        expect(open.get(id)).toEqual(change(id, 4).alert);
        expect(await store.alertHistory(id)).toEqual([1, 2, 3, 4].map((seq) => change(id, seq)));
      }
    });

    it('keeps who was dispatched to an alert and when each arrived (a restart still knows who is on the way)', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const id = `col-${uid()}` as AlertId;
      const base = { id, kind: 'collision', severity: 'danger', state: 'acknowledged', vesselIds: [v], raisedAtMs: t0, details: {} } as const;
      const sent: AlertChange = {
        alertId: id, seq: 2, action: 'dispatch', atMs: t0 + 60_000, actor: 'officer-7', note: '就近救援',
        alert: { ...base, updatedAtMs: t0 + 60_000, seq: 2, responders: [{ vesselId: `41${uid()}` as VesselId, dispatchedAtMs: t0 + 60_000, by: 'officer-7' }] },
      };
      await store.recordAlertChange(sent);
      expect(await store.alerts({ vesselId: v })).toEqual([sent.alert]);
      const arrived: AlertChange = {
        alertId: id, seq: 3, action: 'arrive', atMs: t0 + 900_000, actor: 'system',
        alert: { ...sent.alert, updatedAtMs: t0 + 900_000, seq: 3, responders: [{ ...sent.alert.responders![0]!, arrivedAtMs: t0 + 900_000 }] },
      };
      await store.recordAlertChange(arrived);
      expect(await store.alerts({ vesselId: v })).toEqual([arrived.alert]);
      expect(await store.alertHistory(id)).toEqual([sent, arrived]);
    });

    it('keeps what a restarted lifecycle needs: the condition key, cleared, every fleet, and the seq it is as of', async () => {
      const t0 = epoch();
      const id = `col-${uid()}` as AlertId;
      const v1 = `41${uid()}` as VesselId;
      const v2 = `41${uid()}` as VesselId;
      const key = `collision:${v1}|${v2}`;
      const base = {
        id,
        kind: 'collision',
        key,
        severity: 'warning',
        state: 'raised',
        vesselIds: [v1, v2],
        fleetId: 'F-12' as FleetId,
        fleetIds: ['F-12', 'F-7'] as FleetId[],
        raisedAtMs: t0,
        details: { cpaNm: 0.4 },
      } as const;
      const raise: AlertChange = { alertId: id, seq: 1, action: 'raise', atMs: t0, actor: 'system', alert: { ...base, updatedAtMs: t0, seq: 1 } };
      const clear: AlertChange = {
        alertId: id,
        seq: 2,
        action: 'update',
        atMs: t0 + 90_000,
        actor: 'system',
        alert: { ...base, updatedAtMs: t0 + 90_000, cleared: true, seq: 2 },
      };
      await store.recordAlertChange(raise);
      expect(await store.alerts({ vesselId: v1 })).toEqual([raise.alert]); // not cleared: `cleared` absent, as written
      await store.recordAlertChange(clear);
      await store.recordAlertChange(raise); // replayed after a restart: neither doubled nor rolled back
      expect(await store.alerts({ vesselId: v1 })).toEqual([clear.alert]);
      expect(await store.alertHistory(id)).toEqual([raise, clear]);
      // What alerts out retains after a restart: the change the open alert is as of, not a replayed older one.
      expect((await store.openAlertChanges()).filter((c) => c.alertId === id)).toEqual([clear]);
      const resolve: AlertChange = { ...clear, seq: 3, action: 'resolve', actor: 'officer-7', alert: { ...clear.alert, state: 'resolved', seq: 3 } };
      await store.recordAlertChange(resolve);
      expect((await store.openAlertChanges()).filter((c) => c.alertId === id)).toEqual([]);
    });

    it('finds alerts by kind and by any fleet they concern (every filter given must hold)', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const f1 = `F-${uid()}` as FleetId;
      const f2 = `F-${uid()}` as FleetId;
      const raised = (n: number, kind: string, fleets: { fleetId?: FleetId; fleetIds?: FleetId[] }): AlertChange => {
        const id = `${kind}-${uid()}-${n}` as AlertId;
        const alert = { id, kind, severity: 'warning', state: 'raised', vesselIds: [v], raisedAtMs: t0 + n, updatedAtMs: t0 + n, details: {}, seq: 1, ...fleets } as const;
        return { alertId: id, seq: 1, action: 'raise', atMs: t0 + n, actor: 'system', alert };
      };
      const both = raised(1, 'collision', { fleetId: f1, fleetIds: [f1, f2] }); // f2 only second
      const firstShape = raised(2, 'route-deviation', { fleetId: f2 }); // fleet_id without fleet_ids
      const none = raised(3, 'collision', {});
      for (const c of [both, firstShape, none]) await store.recordAlertChange(c);
      const ids = async (q: AlertQuery): Promise<string[]> => (await store.alerts({ vesselId: v, ...q })).map((a) => a.id).sort();
      expect(await ids({ kind: 'collision' })).toEqual([both.alertId, none.alertId].sort());
      expect(await ids({ fleetId: f2 })).toEqual([both.alertId, firstShape.alertId].sort());
      expect(await ids({ fleetId: f1 })).toEqual([both.alertId]);
      expect(await ids({ fleetId: f2, kind: 'route-deviation' })).toEqual([firstShape.alertId]);
      expect(await ids({ kind: 'zone' })).toEqual([]);
    });

    it('records grid entries and exits and finds them by vessel, grid and time', async () => {
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const w = `41${uid()}` as VesselId;
      const g = `zs-${uid()}`;
      const ev = (vesselId: VesselId, kind: 'enter' | 'exit', s: number, gridId = g): GridEvent => ({
        vesselId,
        layer: 'control',
        gridId,
        kind,
        atMs: t0 + s * 1000,
        lat: 30.1,
        lon: 122.2,
      });
      const events = [ev(v, 'enter', 10), ev(w, 'enter', 20), ev(v, 'exit', 300), ev(v, 'enter', 300, `${g}-b`), ev(w, 'exit', 400)];
      store.recordGridEvents(events.slice(0, 3));
      store.recordGridEvents(events.slice(3));
      store.recordGridEvents(events); // replayed: no duplicates
      await store.flush();
      expect(await store.gridEvents({ gridId: g })).toEqual([events[0], events[1], events[2], events[4]]);
      expect(await store.gridEvents({ vesselId: v })).toEqual([events[0], events[2], events[3]]);
      expect(await store.gridEvents({ vesselId: v, gridId: g, fromMs: t0 + 11_000 })).toEqual([events[2]]);
      expect(await store.gridEvents({ gridId: g, fromMs: t0 + 20_000, toMs: t0 + 300_000 })).toEqual([events[1], events[2]]);
      expect(await store.gridEvents({ gridId: g, limit: 2 })).toEqual([events[0], events[1]]);
    });

    it('upserts the vessel registry, moving an MMSI or card to another hull without a conflict', async () => {
      const x = `41${uid()}` as VesselId;
      const y = `41${uid()}` as VesselId;
      const mmsi = (400_000_000 + Math.floor(Math.random() * 99_999_999)) as Mmsi;
      const card = `9${uid()}` as BeidouCard;
      const fx: VesselFile = {
        vesselId: x,
        name: '浙普渔68123',
        registryNo: '浙普渔68123',
        mmsi,
        beidouCard: card,
        fleetId: 'F-12' as FleetId,
        gear: 'pair-trawl',
        lengthM: 38.5,
        homePort: '沈家门',
        owner: '王海',
        ownerPhone: '13800000000',
        liaison: '李明',
        liaisonPhone: '0580-1234567',
        shipType: 30,
      };
      await store.upsertVessels([fx]);
      expect(await store.vessels([x])).toEqual([fx]);
      // Re-registered: the MMSI and card now belong to y; x keeps its file without them.
      const fy: VesselFile = { vesselId: y, name: '浙岱渔00127', mmsi, beidouCard: card };
      await store.upsertVessels([fy, { ...fx, mmsi: undefined, beidouCard: undefined, name: '浙普渔68123 (renamed)' }]);
      const got = await store.vessels([x, y]);
      const { mmsi: _m, beidouCard: _c, ...xRest } = fx;
      expect(got).toEqual([{ ...xRest, name: '浙普渔68123 (renamed)' }, fy].sort((a, b) => a.vesselId.localeCompare(b.vesselId)));
    });

    it('spools while the database is unreachable and the next store on that data dir writes it, exactly once', async () => {
      const dir = sideDir();
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const id = `dev-${uid()}` as AlertId;
      // Nothing listens on port 1: the store starts "down" instead of failing.
      const down = await openStore({ databaseUrl: 'postgres://seagrid@127.0.0.1:1/none', dataDir: dir, retryMs: 60_000, batchRows: 50 });
      expect(down.health().connected).toBe(false);
      for (let i = 0; i < 120; i++) down.writePosition(v, fix(t0 + i * 1000, 30, 122));
      for (let i = 0; i < 30; i++) down.writePosition(v, fix(t0 + i * 1000, 30, 122)); // repeats
      down.recordGridEvents([{ vesselId: v, layer: 'static', gridId: 'g-1', kind: 'enter', atMs: t0, lat: 30, lon: 122 }]);
      const change: AlertChange = {
        alertId: id,
        seq: 1,
        action: 'raise',
        atMs: t0,
        actor: 'system',
        alert: { id, kind: 'route-deviation', severity: 'warning', state: 'raised', vesselIds: [v], raisedAtMs: t0, updatedAtMs: t0, details: { offNm: 2.5 } },
      };
      await down.recordAlertChange(change);
      await down.flush();
      const h = down.health();
      expect(h.spooledRows).toBe(152);
      expect(h.spooledBytes).toBeGreaterThan(0);
      expect(down.counters()).toMatchObject({ spooledRows: 152, droppedRows: 0, rowsWritten: 0 });
      await down.close();

      const up = await target.open(dir);
      try {
        await up.flush(); // replays what an earlier run left
        expect(up.health().spooledRows).toBe(0);
        expect(up.counters().replayedRows).toBe(152);
        const got = await up.track(v, t0, t0 + 200_000, ALL);
        expect(got.map((p) => p.atMs)).toEqual(Array.from({ length: 120 }, (_, i) => t0 + i * 1000));
        expect(await up.alertHistory(id)).toEqual([change]);
        expect(await up.gridEvents({ vesselId: v })).toHaveLength(1);
      } finally {
        await up.close();
      }
    }, 120_000);

    it('spills a memory queue over its bound to the spool, never drops it, and writes it once the queue drains', async () => {
      const dir = sideDir();
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const s = await target.open(dir, { batchRows: 10, maxQueuedRows: 30 });
      try {
        // Written in one synchronous burst: far more than 30 rows can be in memory at once.
        for (let i = 0; i < 1000; i++) s.writePosition(v, fix(t0 + i * 1000, 30, 122));
        await s.flush();
        const c = s.counters();
        expect(c.spooledRows).toBeGreaterThan(900);
        expect(c.droppedRows).toBe(0);
        expect(s.health().spooledRows).toBe(0);
        expect(await s.track(v, t0, t0 + 1_000_000, ALL)).toHaveLength(1000);
      } finally {
        await s.close();
      }
    }, 120_000);

    it('close() flushes what is still queued', async () => {
      const dir = sideDir();
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      const s = await target.open(dir);
      // A long interval and big batches: nothing would be written before close without the flush.
      for (let i = 0; i < 10; i++) s.writePosition(v, fix(t0 + i * 1000, 30, 122));
      await s.close();
      const again = await target.open(dir);
      try {
        expect(await again.track(v, t0, t0 + 10_000, ALL)).toHaveLength(10);
      } finally {
        await again.close();
      }
    }, 120_000);

    it('opens again on a migrated database without re-applying anything', async () => {
      const before = store.timescale;
      const t0 = epoch();
      const v = `41${uid()}` as VesselId;
      store.writePosition(v, fix(t0, 30, 122));
      await store.close();
      store = await target.open();
      expect(store.timescale).toBe(before);
      expect(await store.track(v, t0, t0, ALL)).toHaveLength(1);
    }, 120_000);

    if (target.outage !== undefined) {
      const outage = target.outage;
      it('loses nothing and duplicates nothing across a database outage under an open store', async () => {
        const dir = sideDir();
        const t0 = epoch();
        const v = `41${uid()}` as VesselId;
        const s = await target.open(dir);
        try {
          for (let i = 0; i < 100; i++) s.writePosition(v, fix(t0 + i * 1000, 30, 122));
          await s.flush();
          await outage.stop();
          for (let i = 100; i < 300; i++) s.writePosition(v, fix(t0 + i * 1000, 30, 122));
          await s.flush();
          expect(s.health().connected).toBe(false);
          expect(s.health().spooledRows).toBe(200);
          await outage.start();
          await waitFor(() => s.health().connected && s.health().spooledRows === 0, 30_000, 'spool replay');
          for (let i = 300; i < 320; i++) s.writePosition(v, fix(t0 + i * 1000, 30, 122));
          await s.flush();
          const got = await s.track(v, t0, t0 + 400_000, ALL);
          expect(got.map((p) => p.atMs)).toEqual(Array.from({ length: 320 }, (_, i) => t0 + i * 1000));
          expect(s.counters()).toMatchObject({ droppedRows: 0, replayedRows: 200 });
        } finally {
          await s.close();
        }
      }, 120_000);
    }
  });
}
