import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { PositionReport, RejectCode, VesselStatic } from '../model/index.js';
import { createNmeaDecoder, type DecodeEvent } from './decoder.js';
import { Normalizer, type Normalized, type NormalizeContext } from './normalize.js';

/*
 * Expectations come from the sentences and from gpsd's output for the same lines
 * (fixtures/ais/gpsd/sample.aivdm.js.chk, and Debian gpsdecode 3.22 over AISHub's
 * ais-nmea-sample.log), read back with the ITU "not available" values gpsd prints
 * (lat 91, lon 181, speed 102.3 / 1023 / 63, course 360 / 511, heading 511, second ≥ 60).
 */

const AIS_DIR = new URL('../fixtures/ais/', import.meta.url);
const RECEIVED = Date.parse('2026-11-23T00:00:00Z');

interface GpsdAis {
  readonly type: number;
  readonly mmsi: number;
  readonly lat?: number;
  readonly lon?: number;
  /** gpsdecode 3.22 prints "nan" where later gpsd prints the sentinel, and "fast" for 102.2 (ITU: 102.2 kn or more). */
  readonly speed?: number | 'nan' | 'fast';
  readonly course?: number | 'nan';
  readonly heading?: number;
  readonly second?: number;
  readonly status?: number;
  readonly shipname?: string;
  readonly callsign?: string;
  readonly shiptype?: number;
  readonly imo?: number;
  readonly to_bow?: number;
  readonly to_stern?: number;
  readonly to_port?: number;
  readonly to_starboard?: number;
  readonly draught?: number;
  readonly destination?: string;
}

interface Run {
  readonly events: { e: Extract<DecodeEvent, { kind: 'ais' }>; out: Normalized[] }[];
  readonly normalizer: Normalizer;
}

/** Decodes and normalizes every line; keeps each AIS event with what normalize made of it. */
function run(lines: readonly string[], ctx: NormalizeContext = { receivedAtMs: RECEIVED }): Run {
  const decoder = createNmeaDecoder();
  const normalizer = new Normalizer();
  const events: Run['events'] = [];
  for (const line of lines) {
    decoder.decodeLine(line, { source: 'test', receivedAtMs: ctx.receivedAtMs }, (e) => {
      if (e.kind !== 'ais') return;
      const out: Normalized[] = [];
      normalizer.normalize(e, ctx, (n) => out.push(n));
      events.push({ e, out });
    });
  }
  return { events, normalizer };
}

function gpsdObjects(text: string): Map<string, GpsdAis[]> {
  const byKey = new Map<string, GpsdAis[]>();
  for (const l of text.split('\n')) {
    if (!l.startsWith('{') || !l.includes('"class":"AIS"')) continue;
    const o = JSON.parse(l) as GpsdAis;
    const k = `${o.type}:${o.mmsi}`;
    const q = byKey.get(k);
    if (q === undefined) byKey.set(k, [o]);
    else q.push(o);
  }
  return byKey;
}

const POSITION_TYPES = new Set([1, 2, 3, 9, 18, 19, 27]);

/** The PositionReport gpsd's object implies, or the rejection code when it has no usable position. */
function expectedPosition(g: GpsdAis): Partial<PositionReport> | RejectCode {
  const lat = g.lat!;
  const lon = g.lon!;
  if (lat === 91 || lon === 181) return 'ais.no_position';
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'ais.position_range';
  if (lat === 0 && lon === 0) return 'ais.no_position';
  const speedNa = g.type === 9 ? 1023 : g.type === 27 ? 63 : 102.3;
  const courseNa = g.type === 27 ? 511 : 360;
  return {
    source: 'ais',
    mmsi: g.mmsi as PositionReport['mmsi'],
    sogKn: g.speed === speedNa || g.speed === 'nan' ? undefined : g.speed === 'fast' ? 102.2 : g.speed,
    cogDeg: g.course === courseNa || g.course === 'nan' ? undefined : g.course,
    headingDeg: g.heading === undefined || g.heading === 511 ? undefined : g.heading,
    utcSecond: g.second === undefined || g.second >= 60 ? undefined : g.second,
    navStatus: g.status,
  };
}

function checkPosition(got: Normalized[], g: GpsdAis, where: string): void {
  const want = expectedPosition(g);
  const pos = got.find((n) => n.kind === 'position' || n.kind === 'reject');
  if (typeof want === 'string') {
    expect(pos, where).toMatchObject({ kind: 'reject', code: want });
    return;
  }
  expect(pos?.kind, where).toBe('position');
  if (pos?.kind !== 'position') return;
  const r = pos.report;
  // gpsd prints 7 (sample.aivdm) or 6 (gpsdecode 3.22) decimals, type 27 only 4.
  const tol = g.type === 27 ? 6e-5 : 6e-7;
  expect(Math.abs(r.lat - g.lat!), `${where} lat ${r.lat} vs ${g.lat}`).toBeLessThan(tol);
  expect(Math.abs(r.lon - g.lon!), `${where} lon ${r.lon} vs ${g.lon}`).toBeLessThan(tol);
  expect({ source: r.source, mmsi: r.mmsi, sogKn: r.sogKn, cogDeg: r.cogDeg, headingDeg: r.headingDeg, utcSecond: r.utcSecond, navStatus: r.navStatus }, where).toEqual(want);
}

function expectedStatic(g: GpsdAis, part: 0 | 1 | undefined): Partial<VesselStatic> {
  const dims = g.to_bow || g.to_stern || g.to_port || g.to_starboard;
  const d = dims ? { toBowM: g.to_bow, toSternM: g.to_stern, toPortM: g.to_port, toStarboardM: g.to_starboard } : {};
  if (part === 0) return { mmsi: g.mmsi as VesselStatic['mmsi'], name: g.shipname };
  const s: Partial<VesselStatic> = {
    mmsi: g.mmsi as VesselStatic['mmsi'],
    name: part === 1 ? undefined : g.shipname === '' ? undefined : g.shipname,
    callsign: g.type === 19 || g.callsign === '' ? undefined : g.callsign,
    imo: g.type === 5 && g.imo !== 0 ? g.imo : undefined,
    shipType: g.shiptype === 0 ? undefined : g.shiptype,
    ...d,
    draughtM: g.type === 5 && g.draught !== 0 ? g.draught : undefined,
    destination: g.type === 5 && g.destination !== '' ? g.destination : undefined,
  };
  return s;
}

describe('normalize: AIS against gpsd (sample.aivdm)', () => {
  const lines = readFileSync(new URL('gpsd/sample.aivdm', AIS_DIR), 'latin1').split('\n');
  const gpsd = gpsdObjects(readFileSync(new URL('gpsd/sample.aivdm.js.chk', AIS_DIR), 'latin1'));
  const { events, normalizer } = run(lines);
  const seen = new Map<number, number>();
  for (const { e } of events) seen.set(e.msg.type, (seen.get(e.msg.type) ?? 0) + 1);

  it('every position and static message matches gpsd', () => {
    let type24Checked = 0;
    for (const { e, out } of events) {
      const m = e.msg;
      const queue = gpsd.get(`${m.type}:${m.mmsi}`);
      const where = `type ${m.type} ${m.mmsi}`;
      if (POSITION_TYPES.has(m.type) || m.type === 5) {
        const g = queue?.shift();
        expect(g, where).toBeDefined();
        if (POSITION_TYPES.has(m.type)) checkPosition(out, g!, where);
        if (m.type === 5 || m.type === 19) {
          const st = out.find((n) => n.kind === 'static');
          expect(st?.kind, where).toBe('static');
          if (st?.kind === 'static') expect(st.static, where).toEqual({ atMs: RECEIVED, ...expectedStatic(g!, undefined) });
        }
      } else if (m.type === 24 && m.partno !== 'AB') {
        // gpsd prints only merged A+B pairs (part A gives the name, part B the rest). Parts it
        // could not pair (an orphan A or B) still give us static data, checked by MMSI only.
        const g = queue?.[0];
        expect(out).toHaveLength(1);
        const st = out[0]!;
        expect(st.kind).toBe('static');
        if (st.kind !== 'static') continue;
        if (g === undefined) expect(st.static.mmsi).toBe(m.mmsi);
        else expect(st.static, where).toEqual({ atMs: RECEIVED, ...expectedStatic(g, m.partno) });
        type24Checked += g === undefined ? 0 : 1;
      } else {
        expect(out, where).toEqual([]);
      }
    }
    expect(type24Checked).toBe(5);
  });

  it('covers each family; base stations and aids to navigation are counted, not vessels', () => {
    for (const t of [1, 2, 3, 4, 5, 9, 18, 19, 21, 24, 27]) expect(seen.get(t) ?? 0, `type ${t}`).toBeGreaterThan(0);
    expect(normalizer.counters.notVessel).toBe((seen.get(4) ?? 0) + (seen.get(21) ?? 0));
    const positions = [...POSITION_TYPES].reduce((n, t) => n + (seen.get(t) ?? 0), 0);
    expect(normalizer.counters.positions + normalizer.counters.rejected).toBe(positions);
    expect(normalizer.counters.statics).toBe((seen.get(5) ?? 0) + (seen.get(19) ?? 0) + (seen.get(24) ?? 0));
    expect(normalizer.counters.unused).toBeGreaterThan(0);
  });

  it('a position report of a type 1 carries ROT and navigational status as sent', () => {
    // !AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A: ROT −127 ("turning left faster than 5°/30 s": no rate).
    const first = events.find(({ e }) => e.msg.mmsi === 371798000)!;
    expect(first.out[0]).toMatchObject({ kind: 'position', report: { rotDegMin: undefined, navStatus: 0, sogKn: 12.3, headingDeg: 215, utcSecond: 33 } });
  });
});

describe('normalize: AIS against gpsdecode 3.22 (AISHub ais-nmea-sample.log, 82k messages)', () => {
  it('positions and type 5 statics match, including the reports with no position', () => {
    const lines = readFileSync(new URL('gpsd/ais-nmea-sample.log', AIS_DIR), 'latin1').split('\n');
    const gpsd = gpsdObjects(gunzipSync(readFileSync(new URL('derived-gpsdecode-3.22/ais-nmea-sample.log.gpsdecode.json.gz', AIS_DIR))).toString('latin1'));
    const { events } = run(lines);
    let compared = 0;
    let noPosition = 0;
    for (const { e, out } of events) {
      const m = e.msg;
      if (!POSITION_TYPES.has(m.type) && m.type !== 5) continue;
      const g = gpsd.get(`${m.type}:${m.mmsi}`)?.shift();
      if (g === undefined) throw new Error(`gpsd has no type ${m.type} ${m.mmsi}`);
      const where = `type ${m.type} ${m.mmsi}`;
      if (m.type === 5) {
        expect(out[0]).toEqual({ kind: 'static', static: { atMs: RECEIVED, ...expectedStatic(g, undefined) } });
      } else {
        checkPosition(out, g, where);
        if (out[0]?.kind === 'reject') noPosition++;
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(70_000);
    expect(noPosition).toBeGreaterThan(1000);
  });
});

describe('normalize: time and receiver from the tag block', () => {
  it('AIS time is the tag-block c: time; the receiver is s:', () => {
    // fixtures/ais/amsa-risky/exact-earth-with-tag-block.txt
    const { events } = run(['\\s:rEV02,c:1334337317*58\\!AIVDM,1,1,,B,19NWuLhuRb5QHfCpPcwj`26B0<02,0*5F']);
    expect(events[0]!.out[0]).toMatchObject({ kind: 'position', report: { atMs: 1334337317_000, receivedAtMs: RECEIVED, receiver: 'rEV02' } });
  });

  it('a multipart type 5 takes the time of its first fragment', () => {
    const { events } = run([
      '\\g:1-2-3985,s:rEV02,c:1334337317*2D\\!AIVDM,2,1,9,B,58KvN<42ACikUKW77F1H4hF0<PTp622222222216`0`cF5BF0RT13H0T,0*70',
      '\\g:2-2-3985*5A\\!AIVDM,2,2,9,B,PFRC88888888880,2*29',
    ]);
    expect(events[0]!.out[0]).toMatchObject({ kind: 'static', static: { atMs: 1334337317_000 } });
  });
});

describe('normalize: BeiDou fixes', () => {
  it('card from the topic; values as in the RMC sentence and gpsd TPV (beidou-bd.log)', () => {
    // $GNRMC,074156.799,A,3114.8950,N,12135.2442,E,0.26,4.94,250215,,,A*7D
    // gpsd TPV: time 2015-02-25T07:41:56.799Z, lat 31.248250000, lon 121.587403333
    const out = gnss(['$GNRMC,074156.799,A,3114.8950,N,12135.2442,E,0.26,4.94,250215,,,A*7D'], { receivedAtMs: RECEIVED, beidouCard: '1234567' });
    expect(out).toHaveLength(1);
    const r = (out[0] as Extract<Normalized, { kind: 'position' }>).report;
    expect(r).toMatchObject({ source: 'beidou', beidouCard: '1234567', atMs: Date.parse('2015-02-25T07:41:56.799Z'), sogKn: 0.26, cogDeg: 4.94, receivedAtMs: RECEIVED });
    expect(r.mmsi).toBeUndefined();
    expect(r.lat).toBeCloseTo(31.24825, 9);
    expect(r.lon).toBeCloseTo(121.587403333, 8);
  });

  it('card from the tag block s: (bd spelling dropped) when the topic names none (sample-feed-lines.tsv)', () => {
    const out = gnss(['\\s:bd1234567,c:1760238900*0A\\$GNRMC,031500.00,A,2952.8000,N,12231.2000,E,3.6,95.0,121025,,,A,V*04']);
    expect(out).toEqual([
      {
        kind: 'position',
        report: expect.objectContaining({ source: 'beidou', beidouCard: '1234567', atMs: Date.parse('2025-10-12T03:15:00Z'), lat: 29.88, lon: 122.52, sogKn: 3.6, cogDeg: 95, receiver: 'bd1234567' }),
      },
    ]);
  });

  it('the topic card wins over the tag block', () => {
    const out = gnss(['\\s:bd1234567,c:1760238900*0A\\$GNRMC,031500.00,A,2952.8000,N,12231.2000,E,3.6,95.0,121025,,,A,V*04'], { receivedAtMs: RECEIVED, beidouCard: 'bd2000001' });
    expect(out[0]).toMatchObject({ kind: 'position', report: { beidouCard: '2000001' } });
  });

  it('a GNSS fix on an AIS topic is the receiver position: counted, not a vessel', () => {
    const decoder = createNmeaDecoder();
    const normalizer = new Normalizer();
    const out: Normalized[] = [];
    const ctx: NormalizeContext = { receivedAtMs: RECEIVED, topicKind: 'ais' };
    const line = '\\s:bd1234567,c:1760238900*0A\\$GNRMC,031500.00,A,2952.8000,N,12231.2000,E,3.6,95.0,121025,,,A,V*04';
    decoder.decodeLine(line, { source: 'zs-ais-01', receivedAtMs: RECEIVED }, (e) => normalizer.normalize(e, ctx, (n) => out.push(n)));
    expect(out).toEqual([]);
    expect(normalizer.counters.receiverFixes).toBe(1);
  });

  it('no card anywhere: beidou.no_card; decoder rejections pass through', () => {
    const out = gnss(['$GNRMC,074156.799,A,3114.8950,N,12135.2442,E,0.26,4.94,250215,,,A*7D', '$GNRMC,074150.799,V,,,,,,,250215,,,N*52']);
    expect(out).toEqual([
      { kind: 'reject', code: 'beidou.no_card', detail: 'no topic card and no tag block s:' },
      { kind: 'reject', code: 'beidou.no_fix', detail: expect.any(String) },
    ]);
  });
});

function gnss(lines: readonly string[], ctx: NormalizeContext = { receivedAtMs: RECEIVED }): Normalized[] {
  const decoder = createNmeaDecoder();
  const normalizer = new Normalizer();
  const out: Normalized[] = [];
  for (const line of lines) decoder.decodeLine(line, { source: 'test', receivedAtMs: ctx.receivedAtMs }, (e) => normalizer.normalize(e, ctx, (n) => out.push(n)));
  return out;
}
