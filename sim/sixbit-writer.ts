/**
 * Writes AIS message fields MSB-first straight into 6-bit symbols and armours them
 * (ITU-R M.1371 annex 8 / IEC 61162-1 six-bit ASCII), so encoding allocates only the payload
 * string. One writer is reused for every message: encoding is synchronous.
 */
export interface ArmouredPayload {
  /** The armoured characters (IEC 61162-1 table 7). */
  readonly payload: string;
  /** Padding bits added to the last character, 0–5. */
  readonly fillBits: number;
}

/** 6-bit value → armour character: 0–39 are '0'…'W', 40–63 are '`'…'w'. */
const ARMOUR: readonly string[] = Array.from({ length: 64 }, (_, v) => String.fromCharCode(v < 40 ? v + 48 : v + 56));

const POW2: readonly number[] = Array.from({ length: 32 }, (_, i) => 2 ** i);

export class SixbitWriter {
  private readonly symbols = new Uint8Array(128);
  private bits = 0;

  reset(): this {
    this.symbols.fill(0, 0, Math.ceil(this.bits / 6) + 1);
    this.bits = 0;
    return this;
  }

  get bitLength(): number {
    return this.bits;
  }

  /** Unsigned field: `value` must fit in `width` (≤ 30) bits. */
  u(value: number, width: number): this {
    if (!(value >= 0 && value < POW2[width]!) || value !== Math.floor(value)) {
      throw new RangeError(`${value} does not fit ${width} unsigned bits`);
    }
    this.put(value, width);
    return this;
  }

  /** Signed field in two's complement. */
  s(value: number, width: number): this {
    const half = POW2[width - 1]!;
    if (!(value >= -half && value < half) || value !== Math.floor(value)) {
      throw new RangeError(`${value} does not fit ${width} signed bits`);
    }
    this.put(value & (POW2[width]! - 1), width);
    return this;
  }

  flag(on: boolean): this {
    this.put(on ? 1 : 0, 1);
    return this;
  }

  /**
   * Six-bit text, padded with '@' (the "not available" character) to `chars`. Lower case is
   * raised; anything outside the AIS text table is a programmer error.
   */
  text(value: string, chars: number): this {
    if (value.length > chars) throw new RangeError(`"${value}" is longer than ${chars} characters`);
    for (let i = 0; i < chars; i++) {
      let c = i < value.length ? value.charCodeAt(i) : 64;
      if (c >= 97 && c <= 122) c -= 32;
      if (c < 32 || c > 95) throw new RangeError(`"${value}" has a character outside the AIS six-bit table`);
      this.put(c >= 64 ? c - 64 : c, 6);
    }
    return this;
  }

  /** Spare or reserved bits, sent as zero. */
  zero(width: number): this {
    this.bits += width;
    return this;
  }

  /** The armoured payload; the last character is padded with fill bits. */
  armour(): ArmouredPayload {
    const n = Math.ceil(this.bits / 6);
    let payload = '';
    for (let i = 0; i < n; i++) payload += ARMOUR[this.symbols[i]!]!;
    return { payload, fillBits: n * 6 - this.bits };
  }

  /** `value` is a non-negative integer below 2^30, so 32-bit shifts are exact. */
  private put(value: number, width: number): void {
    const symbols = this.symbols;
    let left = width;
    let at = this.bits;
    while (left > 0) {
      const index = (at / 6) | 0;
      const room = 6 - (at - index * 6);
      const take = left < room ? left : room;
      // Top `take` bits of what is left of the field, placed just below the bits already there.
      const chunk = (value >>> (left - take)) & ((1 << take) - 1);
      symbols[index] = symbols[index]! | (chunk << (room - take));
      left -= take;
      at += take;
    }
    this.bits = at;
  }
}
