import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from '../decode.js';
import type { AisBaseStation } from '../types.js';

// Expected values: gpsd test/sample.aivdm annotations and sample.aivdm.js.chk; libais
// typeexamples.json.

function baseStation(payload: string, fill = 0): AisBaseStation {
  const r = decodeAisPayload(payload, fill);
  if (!r.ok) throw new Error(`rejected: ${r.code}`);
  if (r.value.type !== 4 && r.value.type !== 11) throw new Error(`type ${r.value.type}`);
  return r.value;
}

describe('types 4 and 11: base station report, UTC/date response', () => {
  it('type 4 (sample.aivdm, 3669702)', () => {
    const m = baseStation('403OviQuMGCqWrRO9>E6fE700@GO');
    expect(m).toMatchObject({ type: 4, mmsi: 3669702, year: 2007, month: 5, day: 14, hour: 19, minute: 57, second: 39 });
    expect(m).toMatchObject({ accuracy: true, epfd: 7, raim: false, radio: 67039 });
    expect(m.lon).toBeCloseTo(-76.352361667, 8);
    expect(m.lat).toBeCloseTo(36.883766667, 8);
  });

  it('type 11 (sample.aivdm.js.chk, 304137000)', () => {
    const m = baseStation(';4R33:1uUK2F`q?mOt@@GoQ00000');
    expect(m).toMatchObject({ type: 11, mmsi: 304137000, year: 2009, month: 5, day: 22, hour: 2, minute: 22, second: 40 });
    expect(m.lon).toBeCloseTo(-94.4076833, 7);
    expect(m.lat).toBeCloseTo(28.4091167, 7);
  });

  it('date, time and position not available are absent (libais typeexamples, 3669713)', () => {
    const m = baseStation('403Ovl@000Htt<tSF0l4Q@100`Pq');
    for (const k of ['year', 'month', 'day', 'hour', 'minute', 'second', 'lon', 'lat'] as const) {
      expect(m[k], k).toBeUndefined();
    }
    expect(m).toMatchObject({ mmsi: 3669713, epfd: 1, accuracy: false });
  });

  it('out-of-band values are kept (sample.aivdm: year 10196, lat 109°; libais: hour 26)', () => {
    const a = baseStation('4>O7m7Iu@<9qUfbtm`vSnwvH20S8');
    expect(a).toMatchObject({ year: 10196, hour: 9, minute: 57, second: 37, epfd: 14, raim: true });
    expect(a.month).toBeUndefined();
    expect(a.lat).toBeCloseTo(109.3320517, 7);
    expect(a.lon).toBeCloseTo(205.1168867, 7);
    const b = baseStation(';5NDk68>1pJtJ68HggG88R4fP0GP');
    expect(b).toMatchObject({ type: 11, year: 8416, month: 7, day: 16, hour: 26, second: 26, epfd: 4 });
    expect(b.minute).toBeUndefined();
  });
});
