import type { Result } from '../../model/index.js';
import type { Sentence } from '../nmea/index.js';
import { decodeGga } from './gga.js';
import { decodeGll } from './gll.js';
import { decodeGns } from './gns.js';
import { decodeRmc } from './rmc.js';
import { SourceDates } from './source-dates.js';
import type { GnssContext, GnssDecoderOptions, GnssFix } from './types.js';

const DEFAULT_MAX_SOURCES = 10_000;

/**
 * Decodes the position sentences of any talker (`$BDRMC`, `$GBGGA`, `$GNGNS`, `$GPGLL`…) into
 * fixes. Holds, per source, the date of its last RMC so that GGA/GNS/GLL (time of day only) can
 * be dated; that state is bounded by `maxSources`.
 */
export class GnssDecoder {
  private readonly dates: SourceDates;

  constructor(opts: GnssDecoderOptions = {}) {
    const max = opts.maxSources ?? DEFAULT_MAX_SOURCES;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxSources must be a positive integer, got ${max}`);
    this.dates = new SourceDates(max);
  }

  /** Sources whose last RMC date is held (at most `maxSources`). */
  get trackedSources(): number {
    return this.dates.size;
  }

  /**
   * A fix, a rejection (`beidou.format`, `beidou.no_fix`, `beidou.field`), or undefined for a
   * sentence that is not a position sentence we use (GSV, GSA, TXT, TXR, VTG, ZDA, proprietary,
   * AIS …): ignored, not an error. Never throws on wire data.
   */
  decode(s: Sentence, ctx: GnssContext): Result<GnssFix> | undefined {
    // Proprietary sentences (talker `P`) are the maker's own: a `$PRMC` is not an RMC.
    if (s.start !== '$' || s.talker === 'P') return undefined;
    switch (s.formatter) {
      case 'RMC':
        return decodeRmc(s, ctx, this.dates);
      case 'GGA':
        return decodeGga(s, ctx, this.dates);
      case 'GNS':
        return decodeGns(s, ctx, this.dates);
      case 'GLL':
        return decodeGll(s, ctx, this.dates);
      default:
        return undefined;
    }
  }
}
