import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createNmeaDecoder } from '../decoder.js';
import { toGpsdJson } from './gpsd-json.js';
import { Type24Merger } from './type24.js';
import type { AisMessage } from './types.js';

/**
 * Golden test against gpsd's own regression output (fixtures/ais/gpsd, see PROVENANCE.md):
 * each log goes through framing, reassembly, decoding and the type 24 merger — exactly as
 * `seagrid decode` runs — and every gpsd AIS object of a type we decode must be reproduced
 * field for field and character for character (number formats included; "device" aside).
 *
 * gpsd objects and ours are aligned by (type, MMSI) in order. gpsd objects of types we pass
 * through are skipped and listed; messages we emit that gpsd does not are listed with the
 * reason, and anything else fails the test.
 */

const DIR = new URL('../../fixtures/ais/gpsd/', import.meta.url);
const DECODED = new Set([1, 2, 3, 4, 5, 9, 11, 18, 19, 21, 24, 27]);
const LOOK_AHEAD = 40;

interface Case {
  readonly log: string;
  readonly chk: string;
  readonly scaled: boolean;
  /** gpsd objects of our types that must be matched. */
  readonly compared: number;
  /** gpsd objects skipped because we pass their type through, by type. */
  readonly skipped: Readonly<Record<number, number>>;
  /** Messages we emit and gpsd does not: "type:mmsi" → why. */
  readonly extras?: Readonly<Record<string, string>>;
  /**
   * The daemon repeats its last AIS object whenever a GPS sentence arrives (ais-nmea.log mixes
   * both): drop consecutive identical objects on both sides.
   */
  readonly dedupe?: boolean;
}

const PASS_THROUGH_IN_SAMPLE = { 6: 13, 7: 3, 8: 18, 10: 2, 12: 7, 13: 1, 14: 3, 15: 3, 16: 2, 17: 2, 20: 5, 22: 3, 23: 1, 25: 3, 26: 5 };

const CASES: readonly Case[] = [
  { log: 'sample.aivdm', chk: 'sample.aivdm.js.chk', scaled: true, compared: 26, skipped: PASS_THROUGH_IN_SAMPLE },
  { log: 'sample.aivdm', chk: 'sample.aivdm.ju.chk', scaled: false, compared: 26, skipped: PASS_THROUGH_IN_SAMPLE },
  { log: 'ais-18-27.log', chk: 'ais-18-27.log.chk', scaled: false, compared: 138, skipped: {} },
  { log: 'ais-raw-messages.log', chk: 'ais-raw-messages.log.chk', scaled: false, compared: 108, skipped: {} },
  { log: 'ais_unpack_sixbit.log', chk: 'ais_unpack_sixbit.log.chk', scaled: false, compared: 12, skipped: {} },
  { log: 'ais-nmea.log', chk: 'ais-nmea.log.chk', scaled: false, compared: 160, skipped: { 8: 6 }, dedupe: true },
  {
    log: 'ais-nmea-type6-fid55.log',
    chk: 'ais-nmea-type6-fid55.log.chk',
    scaled: false,
    compared: 1103,
    skipped: { 6: 68, 7: 2, 8: 73, 17: 5, 20: 12, 23: 2 },
    extras: {
      '24:244770168':
        'part A came 832 lines before its B with 9 other part As between: gpsd keeps only the last 8 As of a feed',
    },
  },
];

function decodeLog(name: string, scaled: boolean): string[] {
  const decoder = createNmeaDecoder();
  const merger = new Type24Merger();
  const out: string[] = [];
  for (const line of readFileSync(new URL(name, DIR), 'latin1').split('\n')) {
    decoder.decodeLine(line, { source: name, receivedAtMs: 0 }, (e) => {
      if (e.kind !== 'ais') return;
      let msg: AisMessage = e.msg;
      if (msg.type === 24) {
        const merged = merger.push(msg);
        if (merged === undefined || !merged.ok) return;
        msg = merged.value;
      }
      out.push(toGpsdJson(msg, { scaled }));
    });
  }
  return out;
}

function gpsdObjects(name: string): string[] {
  return readFileSync(new URL(name, DIR), 'latin1')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.startsWith('{') && l.includes('"class":"AIS"'));
}

function dropRepeats(lines: string[]): string[] {
  return lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
}

type Json = Record<string, unknown>;

function fieldDiffs(want: Json, got: Json): string[] {
  const diffs: string[] = [];
  const wantKeys = Object.keys(want).filter((k) => k !== 'device');
  const gotKeys = Object.keys(got).filter((k) => k !== 'device');
  if (wantKeys.join() !== gotKeys.join()) diffs.push(`fields ${wantKeys.join()} != ${gotKeys.join()}`);
  for (const k of wantKeys) if (want[k] !== got[k]) diffs.push(`${k}: ${JSON.stringify(want[k])} != ${JSON.stringify(got[k])}`);
  return diffs;
}

describe('golden: gpsd regression output', () => {
  for (const c of CASES) {
    it(`${c.log} reproduces ${c.chk}`, () => {
      let ours = decodeLog(c.log, c.scaled);
      let want = gpsdObjects(c.chk);
      if (c.dedupe === true) {
        ours = dropRepeats(ours);
        want = dropRepeats(want);
      }
      const oursJson = ours.map((l) => JSON.parse(l) as Json);
      const problems: string[] = [];
      const skipped: Record<number, number> = {};
      const extras: string[] = [];
      let compared = 0;
      let next = 0;
      for (const line of want) {
        const w = JSON.parse(line) as Json;
        const type = w.type as number;
        if (!DECODED.has(type)) {
          skipped[type] = (skipped[type] ?? 0) + 1;
          continue;
        }
        let k = next;
        while (k < oursJson.length && k < next + LOOK_AHEAD && !(oursJson[k]!.type === type && oursJson[k]!.mmsi === w.mmsi)) k++;
        if (k >= oursJson.length || k >= next + LOOK_AHEAD) {
          problems.push(`missing: ${line}`);
          continue;
        }
        for (let x = next; x < k; x++) {
          if (DECODED.has(oursJson[x]!.type as number)) extras.push(`${String(oursJson[x]!.type)}:${String(oursJson[x]!.mmsi)}`);
        }
        next = k + 1;
        compared++;
        const diffs = fieldDiffs(w, oursJson[k]!);
        if (diffs.length > 0) problems.push(`${type}:${String(w.mmsi)} ${diffs.join('; ')}`);
        else if (ours[k]!.replace('"device":"stdin",', '') !== line.replace('"device":"stdin",', '')) {
          problems.push(`formatting:\n  want ${line}\n  got  ${ours[k]!}`);
        }
      }
      for (let x = next; x < oursJson.length; x++) {
        if (DECODED.has(oursJson[x]!.type as number)) extras.push(`${String(oursJson[x]!.type)}:${String(oursJson[x]!.mmsi)}`);
      }
      expect(problems).toEqual([]);
      expect(compared).toBe(c.compared);
      expect(skipped).toEqual(c.skipped);
      expect(extras).toEqual(Object.keys(c.extras ?? {}));
    });
  }
});
