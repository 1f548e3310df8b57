import { describe, expect, it } from 'vitest';
import {
  asMmsi,
  VesselRegistry,
  type BeidouCard,
  type FleetId,
  type PositionReport,
  type PositionSource,
  type VesselFile,
  type VesselId,
} from '../model/index.js';
import { LivePicture, type ApplyOutcome } from './live-picture.js';
import { distanceM } from './sphere.js';

/** 浙普渔68123: MMSI 412412345 and BeiDou card 1234567 on one hull (fixtures/registry). */
const HULL: VesselFile = {
  vesselId: '412412345' as VesselId,
  name: '浙普渔68123',
  registryNo: '浙普渔68123',
  mmsi: asMmsi(412412345),
  beidouCard: '1234567' as BeidouCard,
  fleetId: 'PT-SJM-017' as FleetId,
  shipType: 30,
};
const CARD_ONLY: VesselFile = { vesselId: 'bd2000001' as VesselId, name: '浙普渔68124', beidouCard: '2000001' as BeidouCard, fleetId: 'PT-SJM-017' as FleetId };
const registry = new VesselRegistry([HULL, CARD_ONLY]);

const T0 = Date.parse('2025-10-12T03:15:00Z');
const NM = 1852;
/** Metres per degree of latitude (mean radius of distanceM). */
const M_PER_DEG = (6_371_008.8 * Math.PI) / 180;

interface Fix {
  readonly t: number;
  readonly lat: number;
  readonly lon: number;
  readonly source?: PositionSource;
  readonly second?: number;
  readonly received?: number;
  readonly mmsi?: number;
  readonly card?: string;
}

/** A report of the hull: AIS by MMSI unless the source is BeiDou (then by card). */
function report(f: Fix): PositionReport {
  const source = f.source ?? 'ais';
  return {
    source,
    mmsi: source === 'ais' ? asMmsi(f.mmsi ?? 412412345) : undefined,
    beidouCard: source === 'beidou' ? ((f.card ?? '1234567') as BeidouCard) : undefined,
    atMs: f.t,
    receivedAtMs: f.received ?? f.t,
    lat: f.lat,
    lon: f.lon,
    sogKn: 10,
    cogDeg: 90,
    utcSecond: source === 'ais' ? (f.second ?? Math.floor(f.t / 1000) % 60) : undefined,
  };
}

/** Sailing east along 29.88°N at `kn` knots from 122.52°E. */
function east(tMs: number, kn = 10): { lat: number; lon: number } {
  const metres = (kn * NM * (tMs - T0)) / 3_600_000;
  return { lat: 29.88, lon: 122.52 + metres / (M_PER_DEG * Math.cos(29.88 * (Math.PI / 180))) };
}

const code = (o: ApplyOutcome): string => (typeof o === 'string' ? o : o.code);

describe('LivePicture: one hull, two sources', () => {
  it('AIS and BeiDou interleave into one vessel; track in time order; source follows the latest fix', () => {
    const pic = new LivePicture(registry);
    // AIS every 10 s, BeiDou every 3 min at +5 s; one BeiDou fix delivered 20 s late (store-and-forward).
    const fixes: Fix[] = [];
    for (let s = 0; s <= 600; s += 10) fixes.push({ t: T0 + s * 1000, ...east(T0 + s * 1000) });
    for (let s = 5; s <= 600; s += 180) {
      fixes.push({ t: T0 + s * 1000, ...east(T0 + s * 1000), source: 'beidou', received: T0 + (s === 185 ? s + 20 : s) * 1000 });
    }
    fixes.sort((a, b) => (a.received ?? a.t) - (b.received ?? b.t));
    const outcomes: string[] = [];
    for (const f of fixes) {
      const before = pic.get(HULL.vesselId);
      const out = pic.applyPosition(report(f));
      if (before === undefined || f.t >= before.atMs) {
        expect(out).toBe('moved');
        expect(pic.get(HULL.vesselId)!.source).toBe(f.source ?? 'ais');
      } else {
        expect(out).toBe('kept-older');
        expect(pic.get(HULL.vesselId)!.atMs).toBe(before.atMs);
      }
      if (f.source === 'beidou') outcomes.push(code(out));
    }
    expect(outcomes).toEqual(['moved', 'kept-older', 'moved', 'moved']);
    expect(pic.size).toBe(1);
    expect(pic.all().map((v) => v.vesselId)).toEqual(['412412345']);
    const track = pic.track('412412345');
    expect(track).toHaveLength(fixes.length);
    expect(track.map((p) => p.atMs)).toEqual([...fixes].map((f) => f.t).sort((a, b) => a - b));
    expect(track.filter((p) => p.source === 'beidou').map((p) => p.atMs)).toEqual([5, 185, 365, 545].map((s) => T0 + s * 1000));
    expect(track[0]).toEqual({ atMs: T0, lat: 29.88, lon: 122.52, sogKn: 10, cogDeg: 90, source: 'ais' });
    const v = pic.get(HULL.vesselId)!;
    expect(v).toMatchObject({ vesselId: '412412345', mmsi: 412412345, beidouCard: '1234567', name: '浙普渔68123', fleetId: 'PT-SJM-017', registered: true });
    expect(v.lastAisMs).toBe(T0 + 600_000);
    expect(v.lastBeidouMs).toBe(T0 + 545_000);
  });

  it('a BeiDou fix that is the latest moves the vessel and becomes its source', () => {
    const pic = new LivePicture(registry);
    pic.applyPosition(report({ t: T0, ...east(T0) }));
    expect(pic.applyPosition(report({ t: T0 + 60_000, ...east(T0 + 60_000), source: 'beidou' }))).toBe('moved');
    expect(pic.get('412412345')).toMatchObject({ source: 'beidou', atMs: T0 + 60_000 });
    // The hull is reached first through the card just as well.
    const pic2 = new LivePicture(registry);
    pic2.applyPosition(report({ t: T0, ...east(T0), source: 'beidou' }));
    pic2.applyPosition(report({ t: T0 + 10_000, ...east(T0 + 10_000) }));
    expect(pic2.all().map((v) => [v.vesselId, v.source])).toEqual([['412412345', 'ais']]);
  });

  it('unknown identities become vessels of their own by the identity rule', () => {
    const pic = new LivePicture(registry);
    pic.applyPosition(report({ t: T0, lat: 30, lon: 122, mmsi: 3669702 }));
    pic.applyPosition(report({ t: T0, lat: 30, lon: 122.1, source: 'beidou', card: '777' }));
    pic.applyPosition(report({ t: T0, lat: 30, lon: 122.2, source: 'beidou', card: '2000001' }));
    expect(pic.all().map((v) => [v.vesselId, v.registered, v.name])).toEqual([
      ['003669702', false, undefined],
      ['bd777', false, undefined],
      ['bd2000001', true, '浙普渔68124'],
    ]);
  });
});

describe('LivePicture: duplicates', () => {
  it('the same AIS fix from two receivers and a QoS 1 redelivery is applied once and counted', () => {
    const pic = new LivePicture(registry);
    const p = east(T0);
    expect(pic.applyPosition(report({ t: T0, ...p, second: 0 }))).toBe('moved');
    // Second receiver, no tag-block time: receipt 0.8 s later.
    expect(pic.applyPosition(report({ t: T0 + 800, ...p, second: 0 }))).toBe('duplicate');
    // Redelivered after a broker restart 40 s later, time taken at receipt.
    expect(pic.applyPosition(report({ t: T0 + 40_000, ...p, second: 0 }))).toBe('duplicate');
    // A copy arriving after newer fixes is still recognised.
    pic.applyPosition(report({ t: T0 + 10_000, ...east(T0 + 10_000), second: 10 }));
    expect(pic.applyPosition(report({ t: T0 + 1500, ...p, second: 0 }))).toBe('duplicate');
    expect(pic.track('412412345')).toHaveLength(2);
    expect(pic.counters.duplicates).toBe(3);
    expect(pic.get('412412345')!.counts).toMatchObject({ duplicates: 3, moved: 2 });
  });

  it('a moored vessel repeating its place is not a duplicate: the AIS second differs', () => {
    const pic = new LivePicture(registry);
    const p = { lat: 29.94, lon: 122.3 };
    expect(pic.applyPosition(report({ t: T0, ...p, second: 0 }))).toBe('moved');
    expect(pic.applyPosition(report({ t: T0 + 1_000, ...p, second: 1 }))).toBe('moved');
    expect(pic.applyPosition(report({ t: T0 + 180_000, ...p, second: 0 }))).toBe('moved');
  });

  it('BeiDou: RMC and GGA of the same second, and a redelivery, are one fix; the next fix is not', () => {
    const pic = new LivePicture(registry);
    const p = east(T0);
    expect(pic.applyPosition(report({ t: T0, ...p, source: 'beidou' }))).toBe('moved');
    expect(pic.applyPosition(report({ t: T0, ...p, source: 'beidou', received: T0 + 30_000 }))).toBe('duplicate');
    expect(pic.applyPosition(report({ t: T0 + 180_000, ...p, source: 'beidou' }))).toBe('moved');
    // An AIS fix at the same place and time is the other source, not a copy.
    expect(pic.applyPosition(report({ t: T0 + 180_000, ...p }))).toBe('moved');
  });
});

describe('LivePicture: implausible jumps', () => {
  it('a jump above 60 kn is rejected with its code; the next true fix is accepted', () => {
    const pic = new LivePicture(registry);
    pic.applyPosition(report({ t: T0, ...east(T0) }));
    pic.applyPosition(report({ t: T0 + 60_000, ...east(T0 + 60_000) }));
    // 5 nm in 60 s = 300 kn.
    const bad = report({ t: T0 + 120_000, lat: 29.88 + (5 * NM) / M_PER_DEG, lon: east(T0 + 120_000).lon });
    const out = pic.applyPosition(bad);
    expect(out).toMatchObject({ ok: false, code: 'track.implausible_jump' });
    expect(pic.get('412412345')!.atMs).toBe(T0 + 60_000);
    expect(pic.applyPosition(report({ t: T0 + 130_000, ...east(T0 + 130_000) }))).toBe('moved');
    expect(pic.track('412412345').map((p) => p.atMs)).toEqual([T0, T0 + 60_000, T0 + 130_000]);
    expect(pic.counters).toMatchObject({ jumpsRejected: 1, jumpsAccepted: 0 });
  });

  it('just under the limit passes, just over fails (60 kn plus the 250 m tolerance)', () => {
    const at = (kn: number): string => {
      const pic = new LivePicture(registry);
      pic.applyPosition(report({ t: T0, lat: 30, lon: 122 }));
      const metres = (kn * NM * 600) / 3600 + 250;
      return code(pic.applyPosition(report({ t: T0 + 600_000, lat: 30 + metres / M_PER_DEG, lon: 122 })));
    };
    expect(at(59.5)).toBe('moved');
    expect(at(60.5)).toBe('track.implausible_jump');
  });

  it('recovery: when the first fix was wrong, two consecutive agreeing fixes move the vessel', () => {
    const pic = new LivePicture(registry);
    // A bogus first fix 100 nm away.
    pic.applyPosition(report({ t: T0 - 10_000, lat: 29.88 + (100 * NM) / M_PER_DEG, lon: 122.52 }));
    expect(code(pic.applyPosition(report({ t: T0, ...east(T0) })))).toBe('track.implausible_jump');
    expect(pic.applyPosition(report({ t: T0 + 10_000, ...east(T0 + 10_000) }))).toBe('moved');
    const v = pic.get('412412345')!;
    expect(v.atMs).toBe(T0 + 10_000);
    expect(v.counts).toMatchObject({ jumpsRejected: 1, jumpsAccepted: 1 });
    // The confirmed candidate joined the track too.
    expect(pic.track('412412345').map((p) => p.atMs)).toEqual([T0 - 10_000, T0, T0 + 10_000]);
  });

  it('copies of a bad fix do not confirm it; a true fix in between resets the candidates', () => {
    const pic = new LivePicture(registry);
    pic.applyPosition(report({ t: T0, ...east(T0) }));
    const far = { lat: 31, lon: 123 };
    expect(code(pic.applyPosition(report({ t: T0 + 10_000, ...far, second: 10 })))).toBe('track.implausible_jump');
    // The same bad fix heard by a second receiver.
    expect(pic.applyPosition(report({ t: T0 + 10_500, ...far, second: 10 }))).toBe('duplicate');
    expect(pic.applyPosition(report({ t: T0 + 20_000, ...east(T0 + 20_000) }))).toBe('moved');
    expect(code(pic.applyPosition(report({ t: T0 + 30_000, ...far })))).toBe('track.implausible_jump');
    expect(pic.get('412412345')!.atMs).toBe(T0 + 20_000);
  });

  it('a misbound source keeps being rejected while the other keeps the vessel', () => {
    const pic = new LivePicture(registry);
    const outs: string[] = [];
    for (let s = 0; s <= 600; s += 10) {
      outs.push(code(pic.applyPosition(report({ t: T0 + s * 1000, ...east(T0 + s * 1000) }))));
      if (s % 180 === 5 || s % 180 === 0) outs.push(code(pic.applyPosition(report({ t: T0 + (s + 5) * 1000, lat: 31, lon: 123, source: 'beidou' }))));
    }
    expect(outs.filter((o) => o === 'track.implausible_jump')).toHaveLength(4);
    expect(pic.get('412412345')!.source).toBe('ais');
  });

  it('jumpConfirmations below 2 is refused: at 1 a jump would confirm itself and no jump would be rejected', () => {
    for (const n of [1, 0, 2.5, Number.NaN]) expect(() => new LivePicture(registry, { jumpConfirmations: n }), String(n)).toThrow(/jumpConfirmations/);
    // 3: two agreeing fixes after the jump are still candidates, the third moves the vessel.
    const pic = new LivePicture(registry, { jumpConfirmations: 3 });
    pic.applyPosition(report({ t: T0 - 10_000, lat: 29.88 + (100 * NM) / M_PER_DEG, lon: 122.52 }));
    const outs = [0, 10_000, 20_000].map((dt) => code(pic.applyPosition(report({ t: T0 + dt, ...east(T0 + dt) }))));
    expect(outs).toEqual(['track.implausible_jump', 'track.implausible_jump', 'moved']);
  });

  it('an older fix far off the track is rejected too, not stored', () => {
    const pic = new LivePicture(registry);
    pic.applyPosition(report({ t: T0, ...east(T0) }));
    expect(code(pic.applyPosition(report({ t: T0 - 60_000, lat: 31, lon: 123 })))).toBe('track.implausible_jump');
    expect(pic.track('412412345')).toHaveLength(1);
  });
});

describe('LivePicture: out of order', () => {
  it('an older fix goes into the track in time order and does not move the vessel', () => {
    const pic = new LivePicture(registry);
    pic.applyPosition(report({ t: T0, ...east(T0) }));
    pic.applyPosition(report({ t: T0 + 20_000, ...east(T0 + 20_000) }));
    const cursor = pic.cursor;
    expect(pic.applyPosition(report({ t: T0 + 10_000, ...east(T0 + 10_000), source: 'beidou' }))).toBe('kept-older');
    const v = pic.get('412412345')!;
    expect(v).toMatchObject({ atMs: T0 + 20_000, source: 'ais', lon: east(T0 + 20_000).lon, lastBeidouMs: T0 + 10_000 });
    expect(pic.track('412412345').map((p) => [p.atMs - T0, p.source])).toEqual([
      [0, 'ais'],
      [10_000, 'beidou'],
      [20_000, 'ais'],
    ]);
    expect(pic.track('412412345', T0 + 5_000, T0 + 15_000)).toHaveLength(1);
    expect(pic.changedSince(cursor).vessels).toEqual([]);
    expect(pic.counters.olderKept).toBe(1);
  });
});

describe('LivePicture: static data', () => {
  it('types 5 and 24 A/B merge per MMSI; an absent field keeps its value; the registry name wins', () => {
    const pic = new LivePicture(registry);
    const mmsi = asMmsi(413456789);
    pic.applyPosition(report({ t: T0, lat: 29.871, lon: 122.545, mmsi: 413456789 }));
    expect(pic.applyStatic({ mmsi, atMs: T0 + 2000, name: 'ZHEDAIYU08866' })).toBe('merged');
    expect(pic.applyStatic({ mmsi, atMs: T0 + 3000, shipType: 30, callsign: 'BVZK8', toBowM: 22, toSternM: 14, toPortM: 4, toStarboardM: 4 })).toBe('merged');
    expect(pic.applyStatic({ mmsi, atMs: T0 + 4000, shipType: 30, callsign: 'BVZK8' })).toBe('unchanged');
    expect(pic.applyStatic({ mmsi, atMs: T0 + 5000, name: 'ZHEDAIYU08866', imo: 1234567, destination: 'SHENJIAMEN', draughtM: 3.2 })).toBe('merged');
    const v = pic.get('413456789')!;
    expect(v.name).toBe('ZHEDAIYU08866');
    expect(v.shipType).toBe(30);
    expect(v.ais).toEqual({
      name: 'ZHEDAIYU08866',
      callsign: 'BVZK8',
      imo: 1234567,
      shipType: 30,
      toBowM: 22,
      toSternM: 14,
      toPortM: 4,
      toStarboardM: 4,
      draughtM: 3.2,
      destination: 'SHENJIAMEN',
      atMs: T0 + 5000,
    });
    // Registered hull: the file's name stays the vessel's name; the broadcast one is kept beside it.
    pic.applyPosition(report({ t: T0, ...east(T0) }));
    pic.applyStatic({ mmsi: asMmsi(412412345), atMs: T0, name: 'ZHEPUYU68123' });
    expect(pic.get('412412345')).toMatchObject({ name: '浙普渔68123', ais: { name: 'ZHEPUYU68123' } });
  });

  it('static data before any position: held, the vessel appears with its first fix', () => {
    const pic = new LivePicture(registry);
    pic.applyStatic({ mmsi: asMmsi(413456789), atMs: T0, name: 'ZHEDAIYU08866' });
    expect(pic.size).toBe(0);
    expect(pic.get('413456789')).toBeUndefined();
    pic.applyPosition(report({ t: T0, lat: 29.871, lon: 122.545, mmsi: 413456789 }));
    expect(pic.get('413456789')!.name).toBe('ZHEDAIYU08866');
  });
});

describe('LivePicture: changes, bounds, bad input', () => {
  it('changedSince returns each changed vessel once, oldest change first', () => {
    const pic = new LivePicture(registry);
    const c0 = pic.cursor;
    pic.applyPosition(report({ t: T0, lat: 30, lon: 122, mmsi: 412000001 }));
    pic.applyPosition(report({ t: T0, lat: 30, lon: 122.1, mmsi: 412000002 }));
    const c1 = pic.cursor;
    pic.applyPosition(report({ t: T0 + 10_000, lat: 30, lon: 122.001, mmsi: 412000001 }));
    pic.applyPosition(report({ t: T0 + 10_000, lat: 30, lon: 122.101, mmsi: 412000002 }));
    pic.applyPosition(report({ t: T0 + 20_000, lat: 30, lon: 122.002, mmsi: 412000001 }));
    expect(pic.changedSince(c0).vessels.map((v) => v.vesselId)).toEqual(['412000002', '412000001']);
    const d = pic.changedSince(c1);
    expect(d.vessels.map((v) => [v.vesselId, v.atMs - T0])).toEqual([
      ['412000002', 10_000],
      ['412000001', 20_000],
    ]);
    expect(pic.changedSince(d.cursor).vessels).toEqual([]);
    // Snapshots are shared until the next change.
    expect(pic.get('412000001')).toBe(pic.get('412000001'));
  });

  it('the track keeps the newest trackPointsPerVessel points', () => {
    const pic = new LivePicture(registry, { trackPointsPerVessel: 5 });
    for (let s = 0; s < 100; s += 10) pic.applyPosition(report({ t: T0 + s * 1000, ...east(T0 + s * 1000) }));
    expect(pic.track('412412345').map((p) => (p.atMs - T0) / 1000)).toEqual([50, 60, 70, 80, 90]);
  });

  it('refuses fixes from the future, impossible coordinates, and unregistered vessels at a limit of 0', () => {
    const pic = new LivePicture(registry, { maxVessels: 0 });
    expect(code(pic.applyPosition(report({ t: T0 + 3_600_000, received: T0, lat: 30, lon: 122 })))).toBe('track.future_time');
    expect(code(pic.applyPosition(report({ t: T0, lat: Number.NaN, lon: 122 })))).toBe('track.invalid');
    expect(code(pic.applyPosition(report({ t: T0, lat: 30, lon: 181 })))).toBe('track.invalid');
    // The registry hull never counts against the limit.
    expect(pic.applyPosition(report({ t: T0, lat: 30, lon: 122 }))).toBe('moved');
    expect(code(pic.applyPosition(report({ t: T0, lat: 30, lon: 122, mmsi: 412000009 })))).toBe('track.vessel_limit');
    expect(pic.size).toBe(1);
    // A simulator running faster than real time can turn the future check off.
    const fast = new LivePicture(registry, { maxFutureMs: Infinity });
    expect(fast.applyPosition(report({ t: T0 + 3_600_000, received: T0, lat: 30, lon: 122 }))).toBe('moved');
  });
});

describe('LivePicture: onTrackPoint (what the store records)', () => {
  it('reports exactly the fixes that join the track: moves, older kept, confirmed jump candidates; never copies or rejected jumps', () => {
    const pic = new LivePicture(registry);
    const seen: [string, number, boolean][] = [];
    pic.onTrackPoint = (id, r, moved) => seen.push([id, r.atMs, moved]);
    const bogus = { lat: 29.88 + (100 * NM) / M_PER_DEG, lon: 122.52 };
    pic.applyPosition(report({ t: T0 - 10_000, ...bogus })); // first fix: moves (nothing to compare with)
    pic.applyPosition(report({ t: T0, ...east(T0) })); // a jump from the bogus fix: candidate, rejected
    pic.applyPosition(report({ t: T0, ...east(T0), received: T0 + 300 })); // a copy of the candidate
    pic.applyPosition(report({ t: T0 + 10_000, ...east(T0 + 10_000) })); // confirms: candidate then this fix join
    pic.applyPosition(report({ t: T0 + 5_000, ...east(T0 + 5_000) })); // older and plausible: kept
    pic.applyPosition(report({ t: T0 + 5_000, ...east(T0 + 5_000), received: T0 + 5_400 })); // copy of it
    expect(seen).toEqual([
      ['412412345', T0 - 10_000, true],
      ['412412345', T0, false],
      ['412412345', T0 + 10_000, true],
      ['412412345', T0 + 5_000, false],
    ]);
    // The same fixes as the track holds.
    expect(pic.track('412412345').map((p) => p.atMs)).toEqual(seen.map((s) => s[1]).sort((a, b) => a - b));
  });
});

describe('LivePicture: room (forgetting and the vessel limit)', () => {
  const HOUR = 3_600_000;
  /** An unregistered vessel's report, received when it was sent. */
  const junk = (mmsi: number, t: number, lat = 30, lon = 122): PositionReport => report({ t, lat, lon, mmsi });

  it('a flood of junk MMSIs leaves room for a registered vessel and a new real one; a vessel that keeps reporting stays', () => {
    const pic = new LivePicture(registry, { maxVessels: 1000 });
    const gone: string[] = [];
    pic.onForget = (id, why) => gone.push(`${why} ${id}`);
    // A real unregistered ship reporting every 10 s through a flood of 20 new MMSIs a second.
    let t = T0;
    for (let i = 0; i < 5000; i++) {
      t = T0 + i * 50;
      pic.applyPosition(junk(200_000_000 + i, t, 29 + (i % 100) * 0.01, 121 + Math.floor(i / 100) * 0.01));
      if (i % 200 === 0) expect(pic.applyPosition(report({ t, ...east(t), mmsi: 413000001 }))).toBe('moved');
    }
    const room = pic.room();
    // 1000 unregistered at most: the real ship and the 999 newest junk; the 4,001 oldest junk evicted.
    expect(room.unregistered).toBe(1000);
    expect(room.evicted).toBe(5001 - 1000);
    expect(gone).toHaveLength(4001);
    expect(gone.every((g) => g.startsWith('evicted 2'))).toBe(true);
    expect(pic.get('413000001')).toBeDefined();
    expect(pic.get('200000000')).toBeUndefined();
    expect(pic.get('200004999')).toBeDefined();
    // The registry hull is never refused or counted; a new real vessel makes room too.
    expect(pic.applyPosition(report({ t: t + 1000, ...east(t + 1000) }))).toBe('moved');
    expect(pic.applyPosition(report({ t: t + 1000, lat: 30.5, lon: 122.5, mmsi: 413000002 }))).toBe('moved');
    expect(pic.get('412412345')).toMatchObject({ registered: true });
    expect(pic.room()).toMatchObject({ unregistered: 1000, held: 1001, live: 1001, limit: 1000, evicted: 4002 });
    expect(pic.room().lastEvictedAtMs).toBe(t + 1000);
    expect(pic.all()).toHaveLength(1001);
  });

  it('after evictions the first page still holds vessels: the holes they leave do not use up the budget', () => {
    const pic = new LivePicture(registry, { maxVessels: 3000 });
    for (let i = 0; i < 4500; i++) pic.applyPosition(junk(200_000_000 + i, T0 + i));
    // 1,500 evicted from the front: fewer holes than half, so no compaction yet.
    expect(pic.room().evicted).toBe(1500);
    const first = pic.page({ limit: 10, budget: 1000 });
    expect(first.vessels.map((v) => v.vesselId)).toEqual(Array.from({ length: 10 }, (_, k) => String(200_001_500 + k)));
  });

  it('vessels not heard for forgetAfterMs leave; heard ones and registered ones heard lately stay; a forgotten one comes back new', () => {
    const pic = new LivePicture(registry, { forgetAfterMs: 24 * HOUR });
    const gone: string[] = [];
    pic.onForget = (id, why) => gone.push(`${why} ${id}`);
    pic.applyPosition(junk(413000001, T0));
    pic.applyPosition(report({ t: T0, ...east(T0) })); // the hull, by AIS
    pic.applyPosition(junk(413000002, T0 + 2 * HOUR));
    // Static data is hearing too.
    pic.applyStatic({ mmsi: asMmsi(413000003), atMs: T0 + 3 * HOUR, name: 'QUIET' });
    pic.applyPosition(junk(413000003, T0 + 3 * HOUR));
    pic.applyStatic({ mmsi: asMmsi(413000001), atMs: T0 + 20 * HOUR, name: 'ALIVE' });
    expect(pic.expire(T0 + 24 * HOUR)).toBe(0);
    expect(pic.expire(T0 + 24 * HOUR + 1)).toBe(1);
    expect(gone).toEqual(['aged 412412345']);
    expect(pic.get('412412345')).toBeUndefined();
    expect(pic.track('412412345')).toEqual([]);
    expect(pic.expire(T0 + 27 * HOUR + 1)).toBe(2);
    expect(gone.slice(1).sort()).toEqual(['aged 413000002', 'aged 413000003']);
    expect(pic.all().map((v) => v.vesselId)).toEqual(['413000001']);
    expect(pic.size).toBe(1);
    expect(pic.room()).toMatchObject({ live: 1, held: 1, aged: 3 });
    // Its card reaches the hull again, as a new vessel with a fresh track.
    expect(pic.applyPosition(report({ t: T0 + 30 * HOUR, lat: 30, lon: 122, source: 'beidou' }))).toBe('moved');
    expect(pic.get('412412345')).toMatchObject({ source: 'beidou', lastAisMs: undefined });
    expect(pic.track('412412345')).toHaveLength(1);
    // A forgotten vessel leaves the change list too.
    expect(pic.changedSince(0).vessels.map((v) => v.vesselId)).toEqual(['413000001', '412412345']);
  });

  it('pages in creation order with a cursor that survives inserts and removals: each vessel held throughout appears once', () => {
    const pic = new LivePicture(registry, { maxVessels: 100_000 });
    let next = 300_000_000;
    for (let i = 0; i < 2500; i++) pic.applyPosition(junk(next++, T0 + i));
    const before = new Set(pic.all().map((v) => v.vesselId));
    const seen: string[] = [];
    let cursor: number | undefined;
    let pages = 0;
    do {
      const p = pic.page({ limit: 100, ...(cursor === undefined ? {} : { after: cursor }) });
      seen.push(...p.vessels.map((v) => v.vesselId));
      cursor = p.next;
      pages++;
      // Between pages: 50 new vessels, and 30 of the oldest forgotten (2,000+ forgotten: holes are compacted).
      for (let k = 0; k < 50; k++) pic.applyPosition(junk(next++, T0 + 10_000 + pages * 100 + k));
      pic.expire(T0 + 24 * HOUR + pages * 30);
    } while (cursor !== undefined && pages < 1000);
    expect(new Set(seen).size).toBe(seen.length);
    const seenSet = new Set(seen);
    const missed = [...before].filter((id) => pic.get(id) !== undefined && !seenSet.has(id));
    expect(missed).toEqual([]);
    // Creation order: ascending MMSI here.
    expect([...seen].sort()).toEqual(seen);
  });

  it('a filter with a budget answers a short page and a cursor; among limits the walk to index candidates', () => {
    const pic = new LivePicture(registry);
    for (let i = 0; i < 1000; i++) pic.applyPosition(junk(300_000_000 + i, T0, 29 + i * 0.001, 122));
    const north = (_: string, lat: number): boolean => lat >= 29.9; // the last 100 created
    const first = pic.page({ limit: 50, where: north, budget: 500 });
    expect(first.vessels).toEqual([]);
    expect(first.next).toBeDefined();
    const all: string[] = [];
    let after: number | undefined;
    do {
      const p = pic.page({ limit: 50, where: north, budget: 500, ...(after === undefined ? {} : { after }) });
      all.push(...p.vessels.map((v) => v.vesselId));
      after = p.next;
    } while (after !== undefined);
    expect(all).toEqual(Array.from({ length: 100 }, (_, k) => String(300_000_900 + k)));
    const among = ['300000005', '300000002', 'nobody', '300000009'];
    expect(pic.page({ limit: 2, among }).vessels.map((v) => v.vesselId)).toEqual(['300000002', '300000005']);
    const p1 = pic.page({ limit: 2, among });
    expect(pic.page({ limit: 2, among, after: p1.next! })).toMatchObject({ vessels: [{ vesselId: '300000009' }], next: undefined });
  });
});
