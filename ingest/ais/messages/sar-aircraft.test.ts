import { describe, expect, it } from 'vitest';
import { decodeAisPayload } from '../decode.js';
import type { AisSarAircraft } from '../types.js';

// Expected values: gpsd test/sample.aivdm annotations (noaadata), libais typeexamples.json,
// Debian gpsdecode 3.22 output for the DMA capture (derived-gpsdecode-3.22).

function sar(payload: string): AisSarAircraft {
  const r = decodeAisPayload(payload, 0);
  if (!r.ok) throw new Error(`rejected: ${r.code}`);
  if (r.value.type !== 9) throw new Error(`type ${r.value.type}`);
  return r.value;
}

describe('type 9: SAR aircraft position report', () => {
  it('sample.aivdm 111265591 (noaadata)', () => {
    const m = sar('91b77=h3h00nHt0Q3r@@07000<0b');
    expect(m).toMatchObject({ mmsi: 111265591, altitudeM: 15, sogKn: 0, accuracy: false, cogDeg: 0, second: 28 });
    expect(m).toMatchObject({ regional: 0, dte: 0, assigned: false, raim: false });
    expect(m.lon).toBeCloseTo(7128960 / 600000, 10);
    expect(m.lat).toBeCloseTo(34667073 / 600000, 10);
  });

  it('sample.aivdm 111232511: SOG in whole knots', () => {
    const m = sar('91b55wi;hbOS@OdQAC062Ch2089h');
    expect(m).toMatchObject({ altitudeM: 303, sogKn: 42, cogDeg: 154.5, second: 15, dte: 1, radio: 33392 });
    expect(m.lon).toBeCloseTo(-6.27884, 5);
    expect(m.lat).toBeCloseTo(58.144, 5);
  });

  it('libais typeexamples 400214919 (libais prints speed/10; ITU and gpsd use 1 kn steps)', () => {
    const m = sar('9muc;QvN2`TG6BE76wm;U7u>K>?b');
    expect(m).toMatchObject({ repeat: 3, mmsi: 400214919, altitudeM: 3704, sogKn: 168, accuracy: true, second: 31 });
    expect(m).toMatchObject({ dte: 1, assigned: true, raim: false });
    expect(m.cogDeg).toBeCloseTo(296.4, 6);
    expect(m.lat).toBeCloseTo(-99.423645, 5);
  });

  it('altitude, speed, position and course not available are absent (DMA capture, 111232501)', () => {
    const m = sar('91b55uOwww<tSF0l4Q@>4?h20h@B');
    for (const k of ['altitudeM', 'sogKn', 'lon', 'lat', 'cogDeg'] as const) expect(m[k], k).toBeUndefined();
    expect(m).toMatchObject({ mmsi: 111232501, second: 63, dte: 1, radio: 197650 });
  });
});
