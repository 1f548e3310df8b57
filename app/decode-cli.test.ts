/**
 * `seagrid decode` as users run it: a separate process on real descriptors (a file, a pipe on
 * stdin, a reader that goes away), built the way `npm run build` builds it (one esbuild bundle of
 * decode-main.ts), held byte for byte to the in-process decode.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRejectCode } from '../model/index.js';
import { runDecode } from './decode-command.js';

const CAPTURE = 'fixtures/ais/gpsd/ais-nmea-sample.log';
const dir = mkdtempSync(join(tmpdir(), 'seagrid-decode-cli-'));
const bundle = join(dir, 'decode.mjs');

async function inProcess(files: string[]): Promise<{ out: Buffer; err: Buffer }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  await runDecode(files, { unscaled: false }, { stdinFd: -1, out: (b) => out.push(Buffer.from(b)), err: (b) => err.push(Buffer.from(b)), nowMs: () => 0 });
  return { out: Buffer.concat(out), err: Buffer.concat(err) };
}

function cli(args: string[], input?: Buffer): { status: number | null; out: Buffer; err: Buffer } {
  const r = spawnSync(process.execPath, [bundle, 'decode', ...args], { input, maxBuffer: 1 << 28 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('seagrid decode, the process', () => {
  let expected: { out: Buffer; err: Buffer };

  beforeAll(async () => {
    buildSync({ entryPoints: ['app/decode-main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'warning' });
    expected = await inProcess([CAPTURE]);
  });

  it('prints for a FILE exactly what the in-process decode prints: every JSON line and every rejection', () => {
    const r = cli([CAPTURE]);
    expect(r.status).toBe(0);
    expect(r.out.length).toBeGreaterThan(10_000_000);
    expect(r.out.equals(expected.out)).toBe(true);
    expect(r.err.equals(expected.err)).toBe(true);
  });

  it('reads stdin through a pipe (non-blocking on the parent side) to the same bytes', () => {
    const r = cli([], readFileSync(CAPTURE));
    expect(r.status).toBe(0);
    expect(r.out.equals(expected.out)).toBe(true);
    // Rejections name their source: "-" for stdin.
    expect(r.err.toString('latin1')).toBe(expected.err.toString('latin1').replaceAll(`"source":"${CAPTURE}"`, '"source":"-"'));
  });

  it('decodes a .gz file to the same bytes', () => {
    const gz = join(dir, 'capture.log.gz');
    writeFileSync(gz, gzipSync(readFileSync(CAPTURE)));
    const r = cli([gz]);
    expect(r.status).toBe(0);
    expect(r.out.equals(expected.out)).toBe(true);
  });

  it('an unreadable input is one rejection line and exit 2; the inputs around it are still decoded', () => {
    const one = 'fixtures/ais/gpsd/ais-18-27.log';
    const r = cli([one, join(dir, 'missing.log'), one]);
    expect(r.status).toBe(2);
    const rejections = r.err.toString('latin1').trim().split('\n').map((l) => JSON.parse(l) as { code: string; source: string });
    expect(rejections.filter((x) => x.code === 'input.unreadable').map((x) => x.source)).toEqual([join(dir, 'missing.log')]);
    // Every code on stderr is one of the catalogue's (docs/CONTRACTS.md lists them).
    for (const x of rejections) expect(isRejectCode(x.code), x.code).toBe(true);
    const single = cli([one]);
    expect(r.out.length).toBe(2 * single.out.length);
  });

  it('a reader that goes away (`| head -1`) ends the run quietly with exit 0', async () => {
    const child = spawn(process.execPath, [bundle, 'decode', CAPTURE], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ class: 'AIS' });
    expect(code).toBe(0);
    expect(err).not.toMatch(/Error|EPIPE|at /);
  });
});
