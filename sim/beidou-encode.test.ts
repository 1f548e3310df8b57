import { describe, expect, it } from 'vitest';
import { ggaSentence, nmeaLat, nmeaLon, nmeaTime, rmcSentence } from './beidou-encode.js';
import { checksumsValid, decodeAll } from './test-support.js';

const AT = Date.UTC(2025, 9, 12, 3, 18, 0, 0);

describe('BeiDou writer', () => {
  it('writes the sample feed line of fixtures/geo/sample-feed-lines.tsv', () => {
    // $GNRMC,031800.00,A,2952.7784,N,12231.4000,E,3.5,97.2,121025,,,A,V*08
    const line = rmcSentence({ talker: 'GN', atMs: AT, lat: 29 + 52.7784 / 60, lon: 122 + 31.4 / 60, sogKn: 3.5, cogDeg: 97.2 });
    expect(line).toBe('$GNRMC,031800.00,A,2952.7784,N,12231.4000,E,3.5,97.2,121025,,,A,V*08');
    const gga = ggaSentence({ talker: 'GN', atMs: AT, lat: 29 + 52.7784 / 60, lon: 122 + 31.4 / 60 }, { satellites: 18, hdop: 0.7, altitudeM: 6.2, geoidSeparationM: 9.8 });
    expect(gga).toBe('$GNGGA,031800.00,2952.7784,N,12231.4000,E,1,18,0.7,6.2,M,9.8,M,,*44');
  });

  it('BD and GB talkers decode with the project decoder; empty course when not moving', () => {
    const lines = [
      rmcSentence({ talker: 'BD', atMs: AT + 10, lat: 30.5, lon: 123.25, sogKn: 0 }),
      rmcSentence({ talker: 'GB', atMs: AT + 20_000, lat: -0.5, lon: -10.25, sogKn: 9.4, cogDeg: 41 }),
    ];
    expect(lines[0]).toMatch(/^\$BDRMC,031800\.01,A,3030\.0000,N,12315\.0000,E,0\.0,,121025,,,A\*[0-9A-F]{2}$/);
    for (const l of lines) expect(checksumsValid(l)).toBe(true);
    const fixes = decodeAll(lines).map((e) => (e.kind === 'gnss' ? e.fix : undefined));
    expect(fixes[0]).toMatchObject({ talker: 'BD', atMs: AT + 10, lat: 30.5, lon: 123.25, sogKn: 0 });
    expect(fixes[0]!.cogDeg).toBeUndefined();
    expect(fixes[1]).toMatchObject({ talker: 'GB', lat: -0.5, lon: -10.25, sogKn: 9.4, cogDeg: 41 });
  });

  it('rounds to 1/10000 minute and carries 60′ into the degrees', () => {
    expect(nmeaLat(29.999_999_99)).toBe('3000.0000,N');
    expect(nmeaLon(122.000_000_4)).toBe('12200.0000,E');
    expect(nmeaLon(5.5)).toBe('00530.0000,E');
    expect(nmeaTime(Date.UTC(2025, 0, 1, 23, 59, 59, 999))).toBe('235959.99');
  });
});
