import { describe, expect, it } from 'vitest';
import type { Result } from '../../model/index.js';
import { frameLine, withChecksum, type Sentence } from '../nmea/index.js';
import { GnssDecoder, type GnssFix } from './index.js';

/** A real framed sentence from the text between `$` and `*` (the checksum is computed). */
function sentence(body: string): Sentence {
  let out: Sentence | undefined;
  frameLine(withChecksum('$', body), (framed) => {
    if (framed.kind === 'sentence') out = framed.sentence;
  });
  if (out === undefined) throw new Error(`does not frame: ${body}`);
  return out;
}

const t = (iso: string): number => Date.parse(iso);
const RECEIVED = t('2024-05-01T22:54:45Z');

function decode(body: string, decoder = new GnssDecoder(), source = 'card-1', receivedAtMs = RECEIVED): Result<GnssFix> | undefined {
  return decoder.decode(sentence(body), { source, receivedAtMs });
}

function fixOf(r: Result<GnssFix> | undefined): GnssFix {
  if (r === undefined || !r.ok) throw new Error(`not a fix: ${JSON.stringify(r)}`);
  return r.value;
}

const code = (r: Result<GnssFix> | undefined): string | undefined => (r === undefined || r.ok ? undefined : r.code);

// The NMEA 0183 examples quoted in gpsd's driver comments and the NMEA standard.
const RMC_WEST = 'GPRMC,225446.33,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A';
const GLL_WEST = 'GPGLL,4916.45,N,12311.12,W,225444,A,A';
const GGA = 'GPGGA,123519,4807.038,N,01131.324,E,1,08,0.9,545.4,M,46.9,M,,';
const GNS = 'GPGNS,224749.00,3333.4268304,N,11153.3538273,W,D,19,0.6,406.110,-26.294,6.0,0138,S';

describe('GnssDecoder: the four sentences', () => {
  it('RMC: date and time, west negative, speed, course and mode', () => {
    expect(fixOf(decode(RMC_WEST))).toEqual({
      sentence: 'RMC',
      talker: 'GP',
      atMs: t('1994-11-19T22:54:46.330Z'), // 19 Nov 1994 by gpsd's century rule
      lat: expect.closeTo(49 + 16.45 / 60, 12),
      lon: expect.closeTo(-(123 + 11.12 / 60), 12),
      sogKn: 0.5,
      cogDeg: 54.7,
      mode: 'A',
    });
  });

  it('RMC: south is negative; empty speed and course are absent, not zero', () => {
    const fix = fixOf(decode('BDRMC,010203.04,A,3340.1200,S,01820.4000,E,,,150326,,,D'));
    expect(fix.atMs).toBe(t('2026-03-15T01:02:03.040Z'));
    expect(fix.lat).toBeCloseTo(-(33 + 40.12 / 60), 12);
    expect(fix.lon).toBeCloseTo(18 + 20.4 / 60, 12);
    expect('sogKn' in fix).toBe(false);
    expect('cogDeg' in fix).toBe(false);
    expect(fix.mode).toBe('D');
  });

  it('RMC of NMEA 2.0 (11 fields, no mode) decodes without a mode', () => {
    const fix = fixOf(decode('GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E'));
    expect(fix.atMs).toBe(t('1998-09-13T08:18:36Z'));
    expect(fix.cogDeg).toBe(360);
    expect('mode' in fix).toBe(false);
  });

  it('GGA: quality, satellites, hdop, altitude; dated from the receipt day', () => {
    const receivedAtMs = t('2024-05-01T12:35:20Z');
    expect(fixOf(decode(GGA, new GnssDecoder(), 'card-1', receivedAtMs))).toEqual({
      sentence: 'GGA',
      talker: 'GP',
      atMs: t('2024-05-01T12:35:19Z'),
      lat: expect.closeTo(48 + 7.038 / 60, 12),
      lon: expect.closeTo(11 + 31.324 / 60, 12),
      quality: 1,
      satellites: 8,
      hdop: 0.9,
      altitudeM: 545.4,
    });
  });

  it('GNS: the whole multi-constellation mode string; a BDS-only fix (NNNA) is a fix', () => {
    const receivedAtMs = t('2024-05-01T22:47:50Z');
    const fix = fixOf(decode(GNS, new GnssDecoder(), 'card-1', receivedAtMs));
    expect(fix).toEqual({
      sentence: 'GNS',
      talker: 'GP',
      atMs: t('2024-05-01T22:47:49Z'),
      lat: expect.closeTo(33 + 33.4268304 / 60, 12),
      lon: expect.closeTo(-(111 + 53.3538273 / 60), 12),
      satellites: 19,
      hdop: 0.6,
      altitudeM: 406.11,
      mode: 'D',
    });
    const bdsOnly = fixOf(decode('GNGNS,074155.799,3114.8770,N,12135.2463,E,NNNA,05,1.3,156.9,8.3,,0000', new GnssDecoder(), 'c', t('2015-02-25T07:42:00Z')));
    expect(bdsOnly.mode).toBe('NNNA');
  });

  it('GLL: time and mode, west negative', () => {
    expect(fixOf(decode(GLL_WEST))).toEqual({
      sentence: 'GLL',
      talker: 'GP',
      atMs: t('2024-05-01T22:54:44Z'),
      lat: expect.closeTo(49 + 16.45 / 60, 12),
      lon: expect.closeTo(-(123 + 11.12 / 60), 12),
      mode: 'A',
    });
    expect(fixOf(decode('GPGLL,4916.45,N,12311.12,W,225444,A')).mode).toBeUndefined(); // 6 fields, pre-2.3
  });
});

describe('GnssDecoder: rejections', () => {
  it('status V is beidou.no_fix (RMC and GLL), even with position fields present', () => {
    expect(code(decode('GNRMC,074150.799,V,,,,,,,250215,,,N'))).toBe('beidou.no_fix');
    expect(code(decode('GPRMC,225446,V,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A'))).toBe('beidou.no_fix');
    expect(code(decode('GPGLL,4916.45,N,12311.12,W,225444,V,N'))).toBe('beidou.no_fix');
  });

  it('mode N is beidou.no_fix even with status A (RMC, GLL); GNS only when every letter is N', () => {
    expect(code(decode('GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,N'))).toBe('beidou.no_fix');
    expect(code(decode('GPGLL,4916.45,N,12311.12,W,225444,A,N'))).toBe('beidou.no_fix');
    expect(code(decode('GNGNS,074150.799,,,,,NNNN,00,,,0.0,,0000'))).toBe('beidou.no_fix');
    expect(code(decode('GNGNS,074150.799,3114.8770,N,12135.2463,E,NNNN,05,1.3,156.9,8.3,,0000'))).toBe('beidou.no_fix');
  });

  it('GGA quality 0 is beidou.no_fix', () => {
    expect(code(decode('GNGGA,074150.799,,,,,0,00,,,M,0.0,M,,0000,'))).toBe('beidou.no_fix');
    expect(code(decode('GPGGA,123519,4807.038,N,01131.324,E,0,08,0.9,545.4,M,46.9,M,,'))).toBe('beidou.no_fix');
  });

  it('a bad hemisphere letter is beidou.field', () => {
    expect(decode('GPRMC,225446,A,4916.45,X,12311.12,W,000.5,054.7,191194,020.3,E,A')).toMatchObject({ ok: false, code: 'beidou.field', detail: 'N/S' });
    expect(decode('GPRMC,225446,A,4916.45,N,12311.12,S,000.5,054.7,191194,020.3,E,A')).toMatchObject({ ok: false, code: 'beidou.field', detail: 'E/W' });
    expect(code(decode('GPGGA,123519,4807.038,E,01131.324,E,1,08,0.9,545.4,M,46.9,M,,'))).toBe('beidou.field');
    expect(code(decode('GPGLL,4916.45,n,12311.12,W,225444,A,A'))).toBe('beidou.field');
  });

  it('minutes 60 and coordinates beyond 90/180 are beidou.field', () => {
    expect(decode('GPRMC,225446,A,4960.00,N,12311.12,W,000.5,054.7,191194,020.3,E,A')).toMatchObject({ code: 'beidou.field', detail: 'latitude' });
    expect(decode('GPRMC,225446,A,4916.45,N,12360.00,W,000.5,054.7,191194,020.3,E,A')).toMatchObject({ code: 'beidou.field', detail: 'longitude' });
    expect(code(decode('GPGGA,123519,9000.001,N,01131.324,E,1,08,0.9,545.4,M,46.9,M,,'))).toBe('beidou.field');
    expect(code(decode('GPGLL,4916.45,N,18000.01,W,225444,A,A'))).toBe('beidou.field');
    expect(fixOf(decode('GPGLL,9000.00,S,18000.00,W,225444,A,A'))).toMatchObject({ lat: -90, lon: -180 });
  });

  it('a bad time, date, status, mode or number is beidou.field', () => {
    const field = (body: string): void => expect(code(decode(body)), body).toBe('beidou.field');
    field('GPRMC,245446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A'); // hour 24
    field('GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,311194,020.3,E,A'); // 31 November
    field('GPRMC,225446,X,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A'); // status X
    field('GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,a'); // mode a
    field('GPRMC,225446,A,4916.45,N,12311.12,W,fast,054.7,191194,020.3,E,A'); // speed
    field('GPRMC,225446,A,4916.45,N,12311.12,W,000.5,361.0,191194,020.3,E,A'); // course
    field('GPGGA,12:35:19,4807.038,N,01131.324,E,1,08,0.9,545.4,M,46.9,M,,'); // time
    field('GPGGA,123519,4807.038,N,01131.324,E,x,08,0.9,545.4,M,46.9,M,,'); // quality
    field('GPGGA,123519,4807.038,N,01131.324,E,1,8.5,0.9,545.4,M,46.9,M,,'); // satellites
    field('GPGNS,224749.00,3333.42,N,11153.35,W,D,19,0.6,4o6,-26.294,6.0,0138,S'); // altitude
    field('GPGNS,224749.00,3333.42,N,11153.35,W,D-,19,0.6,406,-26.294,6.0,0138,S'); // mode
  });

  it('truncated or overlong field lists are beidou.format', () => {
    const format = (body: string): void => expect(decode(body), body).toMatchObject({ ok: false, code: 'beidou.format', detail: 'field count' });
    format('GPRMC,225446.33,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3'); // 10
    format('GPRMC,225446.33,A,4916.45,N'); // cut short
    format(`${RMC_WEST},V,X`); // 14
    format('GPGGA,123519,4807.038,N,01131.324,E,1,08,0.9,545.4,M,46.9,M,'); // 13
    format('GPGNS,224749.00,3333.4268304,N,11153.3538273,W,D,19,0.6,406.110,-26.294'); // 10
    format('GPGLL,4916.45,N,12311.12,W'); // 4: pre-NMEA 2 GLL, no time to date it
    format('GPGLL'); // no fields at all
  });

  it('empty mandatory fields are beidou.format', () => {
    const format = (body: string, detail: string): void => expect(decode(body), body).toMatchObject({ code: 'beidou.format', detail });
    format('GPRMC,225446,A,,N,12311.12,W,000.5,054.7,191194,020.3,E,A', 'lat/lon empty');
    format('GPRMC,225446,A,4916.45,N,12311.12,,000.5,054.7,191194,020.3,E,A', 'lat/lon empty');
    format('GPRMC,,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A', 'time empty');
    format('GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,,020.3,E,A', 'date empty');
    format('GPRMC,225446,,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A', 'status empty');
    format('GPGGA,123519,4807.038,N,01131.324,E,,08,0.9,545.4,M,46.9,M,,', 'quality empty');
    format('GPGNS,224749.00,3333.42,N,11153.35,W,,19,0.6,406.110,-26.294,6.0,0138,S', 'mode empty');
    format('GPGLL,4916.45,N,12311.12,W,,A,A', 'time empty');
  });

  it('ignores sentences that carry no position we use: undefined, not an error', () => {
    const d = new GnssDecoder();
    for (const body of [
      'BDGSV,2,2,07,05,27,090,,13,19,016,,11,07,147,',
      'BDGSA,A,3,02,03,04,,,,,,,,,,5.1,1.3,4.9,3.3',
      'GPTXT,01,01,02,ANTSTATUS=OK',
      'GPVTG,054.7,T,034.4,M,005.5,N,010.2,K',
      'GPZDA,201530.00,04,07,2002,00,00',
      'PSRFEPE,074155.799,A,1.3,10.59,52.97,0.6,180.0',
      'PRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E,A', // proprietary, not RMC
      'BDTXR,1,1234567,2,,A4502C',
    ]) {
      expect(decode(body, d), body).toBeUndefined();
    }
    let ais: Sentence | undefined;
    frameLine('!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A', (f) => {
      if (f.kind === 'sentence') ais = f.sentence;
    });
    expect(ais && d.decode(ais, { source: 'x', receivedAtMs: RECEIVED })).toBeUndefined();
  });
});

describe('GnssDecoder: dating GGA/GNS/GLL', () => {
  it('rolls a GGA over midnight after an RMC from just before it', () => {
    const d = new GnssDecoder();
    const rmc = decode('GNRMC,235959.50,A,2952.8000,N,12231.2000,E,3.6,95.0,311224,,,A', d, 'c', t('2025-01-01T00:00:00.100Z'));
    expect(fixOf(rmc).atMs).toBe(t('2024-12-31T23:59:59.500Z'));
    // Same second as the RMC: same day.
    expect(fixOf(decode('GNGGA,235959.50,2952.8000,N,12231.2000,E,1,18,0.7,6.2,M,9.8,M,,', d, 'c', t('2025-01-01T00:00:00.120Z'))).atMs).toBe(
      t('2024-12-31T23:59:59.500Z'),
    );
    // Next second, past midnight: next day.
    expect(fixOf(decode('GNGGA,000000.50,2952.8001,N,12231.2000,E,1,18,0.7,6.2,M,9.8,M,,', d, 'c', t('2025-01-01T00:00:01.100Z'))).atMs).toBe(
      t('2025-01-01T00:00:00.500Z'),
    );
  });

  it('without an RMC, rolls back a day for a fix from 23:59:58 received at 00:00:01', () => {
    const r = decode('GNGGA,235958,2952.8000,N,12231.2000,E,1,18,0.7,6.2,M,9.8,M,,', new GnssDecoder(), 'c', t('2025-01-01T00:00:01Z'));
    expect(fixOf(r).atMs).toBe(t('2024-12-31T23:59:58Z'));
    const gll = decode('GPGLL,2952.8000,N,12231.2000,E,235958,A,A', new GnssDecoder(), 'c', t('2025-01-01T00:00:01Z'));
    expect(fixOf(gll).atMs).toBe(t('2024-12-31T23:59:58Z'));
  });

  it('keeps the receiver’s date from its RMC when the receipt clock is far off (replayed capture)', () => {
    const d = new GnssDecoder();
    const now = t('2026-11-23T05:00:00Z');
    decode('GNRMC,074155.799,A,3114.8770,N,12135.2463,E,0.30,4.94,250215,,,A', d, 'log', now);
    const gns = decode('GNGNS,074156.799,3114.8950,N,12135.2442,E,ANNA,07,1.1,190.7,8.3,,0000', d, 'log', now + 1000);
    expect(fixOf(gns).atMs).toBe(t('2015-02-25T07:41:56.799Z'));
  });

  it('does not use an RMC received a day or more ago, nor one from another source, nor a V one', () => {
    const d = new GnssDecoder();
    decode('GNRMC,120000,A,2952.8000,N,12231.2000,E,3.6,95.0,010120,,,A', d, 'a', t('2024-05-01T12:00:00Z'));
    decode('GNRMC,120000,V,,,,,,,010120,,,N', d, 'b', t('2024-05-01T12:00:00Z'));
    const gga = 'GNGGA,120001,2952.8000,N,12231.2000,E,1,18,0.7,6.2,M,9.8,M,,';
    expect(fixOf(decode(gga, d, 'a', t('2024-05-01T12:00:01Z'))).atMs).toBe(t('2020-01-01T12:00:01Z'));
    expect(fixOf(decode(gga, d, 'a', t('2024-05-02T12:00:01Z'))).atMs).toBe(t('2024-05-02T12:00:01Z'));
    expect(fixOf(decode(gga, d, 'b', t('2024-05-01T12:00:01Z'))).atMs).toBe(t('2024-05-01T12:00:01Z'));
    expect(fixOf(decode(gga, d, 'c', t('2024-05-01T12:00:01Z'))).atMs).toBe(t('2024-05-01T12:00:01Z'));
  });

  it('bounds per-source state to maxSources, evicting the least recently updated source', () => {
    const d = new GnssDecoder({ maxSources: 2 });
    const rmc = 'GNRMC,120000,A,2952.8000,N,12231.2000,E,3.6,95.0,010120,,,A';
    const at = t('2024-05-01T12:00:00Z');
    for (const source of ['a', 'b', 'a', 'c']) decode(rmc, d, source, at);
    expect(d.trackedSources).toBe(2);
    const gga = 'GNGGA,120001,2952.8000,N,12231.2000,E,1,18,0.7,6.2,M,9.8,M,,';
    expect(fixOf(decode(gga, d, 'a', at + 1000)).atMs).toBe(t('2020-01-01T12:00:01Z')); // refreshed, kept
    expect(fixOf(decode(gga, d, 'c', at + 1000)).atMs).toBe(t('2020-01-01T12:00:01Z'));
    expect(fixOf(decode(gga, d, 'b', at + 1000)).atMs).toBe(t('2024-05-01T12:00:01Z')); // evicted
    expect(() => new GnssDecoder({ maxSources: 0 })).toThrow(RangeError);
  });
});
