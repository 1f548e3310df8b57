import type { Rng } from './rng.js';

/**
 * Plausible, synthetic identities: Chinese names, mobile numbers, MMSIs, IMO numbers, call signs,
 * BeiDou card numbers. Uniqueness is kept by the `Identities` allocator; nothing here is a real
 * person or ship.
 */

/** Surnames common in Zhoushan and Zhejiang (应, 虞, 乐, 邬 and 翁 are local). */
const SURNAMES = [
  '王', '张', '陈', '李', '刘', '林', '周', '徐', '胡', '沈', '应', '虞', '乐', '邬', '贺', '毛', '翁', '俞', '孙', '金',
  '杨', '吴', '朱', '郑', '黄', '何', '方', '叶', '夏', '蒋', '邵', '丁', '洪', '施', '庄', '柴', '傅', '董', '袁', '竺',
];
const GIVEN = [
  '国', '建', '海', '军', '明', '华', '伟', '强', '平', '忠', '荣', '波', '峰', '勇', '林', '德', '福', '财', '宝', '良',
  '根', '祥', '兴', '成', '文', '志', '杰', '斌', '东', '红', '芳', '英', '丽', '萍', '敏', '静', '秋', '龙', '辉', '永',
  '庆', '富', '亮', '涛', '鸿', '洋', '渔', '舟', '帆', '岳',
];
/** Mobile prefixes of the three Chinese carriers. */
const MOBILE_PREFIXES = ['130', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '157', '158', '159', '180', '187', '188', '189', '198', '199'];

export function personName(rng: Rng): string {
  const given = rng.chance(0.75) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

export function mobileNumber(rng: Rng): string {
  let s = rng.pick(MOBILE_PREFIXES);
  for (let i = 0; i < 8; i++) s += String(rng.int(0, 9));
  return s;
}

/** IMO ship number: six digits and a check digit (Σ dᵢ·(7−i) mod 10). */
export function imoNumber(rng: Rng): number {
  const digits = [rng.pick([9, 9, 9, 8]), ...Array.from({ length: 5 }, () => rng.int(0, 9))];
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += digits[i]! * (7 - i);
  return Number(digits.join('') + String(sum % 10));
}

export function isValidImo(imo: number): boolean {
  const s = String(imo);
  if (!/^\d{7}$/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(s[i]) * (7 - i);
  return sum % 10 === Number(s[6]);
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Flags of the merchant fleet on these routes: MID, weight, call-sign prefix. */
const FLAGS: readonly (readonly [string, number, string])[] = [
  ['412', 0.3, 'B'],
  ['413', 0.2, 'B'],
  ['414', 0.05, 'B'],
  ['477', 0.1, 'VR'],
  ['636', 0.08, 'A8'],
  ['538', 0.07, 'V7'],
  ['563', 0.06, '9V'],
  ['357', 0.06, '3F'],
  ['440', 0.04, 'D7'],
  ['431', 0.04, 'JD'],
];

export interface MerchantFlag {
  readonly mid: string;
  readonly callsignPrefix: string;
  readonly chinese: boolean;
}

export function merchantFlag(rng: Rng): MerchantFlag {
  const [mid, , prefix] = rng.weighted(FLAGS.map((f) => [f, f[1]] as const));
  return { mid, callsignPrefix: prefix, chinese: mid.startsWith('41') };
}

export function callsign(rng: Rng, prefix: string): string {
  let s = prefix;
  while (s.length < 4) s += rng.pick([...LETTERS]);
  if (rng.chance(0.6)) s += String(rng.int(0, 9));
  return s;
}

const SHIP_WORDS_A = ['HUA', 'XIN', 'MING', 'DONG', 'HAI', 'ZHONG', 'YONG', 'JIN', 'TAI', 'CHANG', 'FU', 'GUANG', 'NING', 'SHUN', 'HONG', 'DA', 'ZHE', 'HENG'];
const SHIP_WORDS_B = ['HAI', 'YANG', 'AN', 'DA', 'XING', 'TONG', 'YUN', 'SHENG', 'HANG', 'FENG', 'KANG', 'RUI', 'LONG', 'TAI'];
const SHIP_WORDS_EN = ['OCEAN', 'PACIFIC', 'GOLDEN', 'STAR', 'GRACE', 'GLORY', 'PEARL', 'BRIGHT', 'EASTERN', 'NEW', 'SEA', 'GREAT'];
const SHIP_WORDS_EN2 = ['HARMONY', 'FORTUNE', 'VENTURE', 'SPIRIT', 'TRADER', 'CARRIER', 'PIONEER', 'LEADER', 'WISDOM', 'DREAM'];

export function merchantName(rng: Rng, chinese: boolean): string {
  const base = chinese ? `${rng.pick(SHIP_WORDS_A)} ${rng.pick(SHIP_WORDS_B)}` : `${rng.pick(SHIP_WORDS_EN)} ${rng.pick(SHIP_WORDS_EN2)}`;
  return rng.chance(0.7) ? `${base} ${rng.int(1, 99)}` : base;
}

const COMPANIES_ZH = ['舟山', '宁波', '上海', '浙江', '中远', '东海'];
const COMPANIES_ZH2 = ['海运', '航运', '远洋运输', '油运', '集装箱运输'];

export function shippingCompany(rng: Rng, chinese: boolean, name: string): string {
  if (chinese) return `${rng.pick(COMPANIES_ZH)}${rng.pick(['恒', '鑫', '顺', '达', '通', '盛'])}${rng.pick(['泰', '源', '洋', '航', '安'])}${rng.pick(COMPANIES_ZH2)}有限公司`;
  return `${name.split(' ')[0]} Shipping Ltd.`;
}

/** Hands out unique MMSIs, BeiDou cards and registry serials. */
export class Identities {
  private readonly mmsis = new Set<number>();
  private readonly cards = new Set<string>();
  private readonly serials = new Map<string, Set<number>>();

  constructor(private readonly rng: Rng) {}

  /** MID + 6 digits (a ship station, ITU-R M.585). */
  mmsi(mid: string): number {
    for (;;) {
      const n = Number(mid + String(this.rng.int(0, 999_999)).padStart(6, '0'));
      if (n % 1_000_000 >= 1000 && !this.mmsis.has(n)) {
        this.mmsis.add(n);
        return n;
      }
    }
  }

  /** A 7-digit BeiDou user-card number. */
  beidouCard(): string {
    for (;;) {
      const s = String(this.rng.int(2_000_000, 4_999_999));
      if (!this.cards.has(s)) {
        this.cards.add(s);
        return s;
      }
    }
  }

  /** A free 5-digit serial for a registry prefix; with `pair`, also the next number (pair trawlers are numbered together). */
  registrySerial(prefix: string, pair = false): number {
    let used = this.serials.get(prefix);
    if (used === undefined) this.serials.set(prefix, (used = new Set()));
    for (;;) {
      const n = this.rng.int(1000, pair ? 99_997 : 99_998);
      const start = pair ? n - (n % 2) : n;
      if (!used.has(start) && (!pair || !used.has(start + 1))) {
        used.add(start);
        if (pair) used.add(start + 1);
        return start;
      }
    }
  }
}
