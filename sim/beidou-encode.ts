import { withChecksum } from '../ingest/index.js';

/**
 * BeiDou terminal output: RMC (fix with date, speed, course) and GGA (fix quality, satellites),
 * under the talker the terminal uses: `BD` (the Chinese BDS module standard), `GB` (NMEA 4.10's
 * BeiDou id) or `GN` (multi-constellation).
 */
export type GnssTalker = 'BD' | 'GB' | 'GN';

export interface GnssFixOut {
  readonly talker: GnssTalker;
  readonly atMs: number;
  readonly lat: number;
  readonly lon: number;
  /** Absent → empty field. */
  readonly sogKn?: number;
  readonly cogDeg?: number;
}

export interface GgaExtras {
  readonly satellites?: number;
  readonly hdop?: number;
  readonly altitudeM?: number;
  readonly geoidSeparationM?: number;
}

/**
 * `$xxRMC,hhmmss.ss,A,ddmm.mmmm,N,dddmm.mmmm,E,sog,cog,ddmmyy,,,A*hh`; GN terminals (NMEA 4.1)
 * add the navigational status field `V`, as u-blox receivers do.
 */
export function rmcSentence(f: GnssFixOut): string {
  const sog = f.sogKn === undefined ? '' : f.sogKn.toFixed(1);
  const cog = f.cogDeg === undefined ? '' : f.cogDeg.toFixed(1);
  const tail = f.talker === 'GN' ? 'A,V' : 'A';
  return withChecksum(
    '$',
    `${f.talker}RMC,${nmeaTime(f.atMs)},A,${nmeaLat(f.lat)},${nmeaLon(f.lon)},${sog},${cog},${nmeaDate(f.atMs)},,,${tail}`,
  );
}

/** `$xxGGA,hhmmss.ss,lat,N,lon,E,1,sats,hdop,alt,M,sep,M,,*hh` (a GNSS fix, no differential data). */
export function ggaSentence(f: GnssFixOut, x: GgaExtras = {}): string {
  const sats = String(x.satellites ?? 12).padStart(2, '0');
  return withChecksum(
    '$',
    `${f.talker}GGA,${nmeaTime(f.atMs)},${nmeaLat(f.lat)},${nmeaLon(f.lon)},1,${sats},${(x.hdop ?? 0.9).toFixed(1)},` +
      `${(x.altitudeM ?? 8).toFixed(1)},M,${(x.geoidSeparationM ?? 9.8).toFixed(1)},M,,`,
  );
}

/** `ddmm.mmmm,N` — 1/10000 minute, the same resolution as AIS. */
export function nmeaLat(deg: number): string {
  return `${degMin(Math.abs(deg), 2)},${deg < 0 ? 'S' : 'N'}`;
}

export function nmeaLon(deg: number): string {
  return `${degMin(Math.abs(deg), 3)},${deg < 0 ? 'W' : 'E'}`;
}

function degMin(absDeg: number, degDigits: number): string {
  // Rounded once, in integer 1/10000 minutes, so 59.99995′ carries into the degrees.
  const total = Math.round(absDeg * 600_000);
  const d = Math.floor(total / 600_000);
  const rest = total - d * 600_000;
  const m = Math.floor(rest / 10_000);
  const frac = rest - m * 10_000;
  return `${String(d).padStart(degDigits, '0')}${String(m).padStart(2, '0')}.${String(frac).padStart(4, '0')}`;
}

/** `hhmmss.ss` UTC (centiseconds truncated). */
export function nmeaTime(atMs: number): string {
  const msOfDay = ((atMs % 86_400_000) + 86_400_000) % 86_400_000;
  const cs = Math.floor(msOfDay / 10);
  const h = Math.floor(cs / 360_000);
  const m = Math.floor(cs / 6000) % 60;
  const s = Math.floor(cs / 100) % 60;
  return `${two(h)}${two(m)}${two(s)}.${two(cs % 100)}`;
}

/** `ddmmyy` UTC. */
export function nmeaDate(atMs: number): string {
  const d = new Date(atMs);
  return `${two(d.getUTCDate())}${two(d.getUTCMonth() + 1)}${two(d.getUTCFullYear() % 100)}`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
