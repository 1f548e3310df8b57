/**
 * The evidence pack of the simulator's scripted collision (issue 15 "Done when"), against a real
 * PostgreSQL: 18 minutes of the Zhoushan small scenario (seed 7; its collision-course incident has
 * 412359363 and 412993769 pass 0.0177 nm apart 844 s in) through the pipeline with every rule and
 * the lifecycle, recorded in the store as `seagrid serve` records it; the pack asked over HTTP by a
 * signed-in analyst (an `evidence.create` audit line). The zip is read with yauzl — not fflate,
 * which wrote it — every hash checked, and the closest approach recomputed by brute force from the
 * packed tracks (both interpolated to whole seconds, haversine written here), which must agree with
 * the alert's figures and with the simulator's scripted truth. One changed byte, a missing and an
 * extra file, and an edited manifest each make `seagrid verify-pack` fail naming the file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { XMLValidator } from 'fast-xml-parser';
import pgClient from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { Lifecycle, RouteBook } from '../alerts/index.js';
import { SeaGridIndex, SeaPicture } from '../geo/index.js';
import { parseRegistry, seededRandom, VesselRegistry, type AlertChange } from '../model/index.js';
import { scenarioFixture, SMALL_FIXTURE } from '../sim/index.js';
import { openStore, type Store } from '../store/index.js';
import { postgresAvailable, startPostgres, type Postgres } from '../store/pg-test-support.js';
import { Auth, hashPassword, startWebServer, type WebServer } from '../web/index.js';
import { alertRules } from './alert-rules.js';
import { runCli } from './cli.js';
import { buildEvidencePack } from './evidence.js';
import { zipFiles } from './evidence-zip.js';
import { Pipeline } from './pipeline.js';
import { readSeaGrids } from './refdata.js';

const A = '412359363';
const B = '412993769';
const DURATION_MS = 18 * 60_000;
const ARTEFACTS = path.join(process.cwd(), '.test-artefacts');

/** Every file of a zip, read with yauzl. */
function unzipIndependently(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, zf) => {
      if (err !== null) return reject(err);
      const out = new Map<string, Buffer>();
      zf.on('error', reject);
      zf.on('end', () => resolve(out));
      zf.on('entry', (e: yauzl.Entry) => {
        zf.openReadStream(e, (err2, s) => {
          if (err2 !== null) return reject(err2);
          const parts: Buffer[] = [];
          s.on('data', (d: Buffer) => parts.push(d));
          s.on('end', () => {
            out.set(e.fileName, Buffer.concat(parts));
            zf.readEntry();
          });
        });
      });
      zf.readEntry();
    });
  });
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Great-circle distance, nm (mean Earth radius 6,371,008.8 m; 1,852 m a nm). */
function haversineNm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const a = Math.sin(((lat2 - lat1) * r) / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return (2 * 6_371_008.8 * Math.asin(Math.sqrt(a))) / 1852;
}

/** The position on a track at a time, linear between the fixes around it. */
function at(track: readonly { t: number; lat: number; lon: number }[], t: number): { lat: number; lon: number } | undefined {
  let i = 1;
  while (i < track.length && track[i]!.t < t) i++;
  if (i >= track.length) return undefined;
  const p = track[i - 1]!;
  const q = track[i]!;
  if (t < p.t) return undefined;
  const f = q.t === p.t ? 0 : (t - p.t) / (q.t - p.t);
  return { lat: p.lat + (q.lat - p.lat) * f, lon: p.lon + (q.lon - p.lon) * f };
}

describe.skipIf(!postgresAvailable())('needs Debian postgresql: the evidence pack of the scripted collision', () => {
  let pg: Postgres;
  let store: Store;
  let auth: Auth;
  let web: WebServer;
  let alertId: string;
  let scripted: { cpaNm: number; cpaAtMs: number };
  let pack: Buffer;
  let packName: string;
  const dirs: string[] = [];
  const now = Date.UTC(2026, 11, 3, 9, 0, 0);

  /** Packs the service was asked to build. */
  let builds = 0;
  beforeAll(async () => {
    pg = await startPostgres();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'seagrid-evidence-'));
    dirs.push(dataDir);
    store = await openStore({ databaseUrl: pg.url, dataDir });

    // The feed and the service's pipeline, recorded as serve records it.
    const fixture = scenarioFixture({ ...SMALL_FIXTURE, durationMs: DURATION_MS });
    const doc = JSON.parse(fixture.json) as { registry: unknown; parameters: { startMs: number }; incidents: { kind: string; vesselIds: string[]; details: { cpaNm: number; cpaAtMs: number } }[] };
    scripted = doc.incidents.find((i) => i.kind === 'collision-course' && i.vesselIds.includes(A) && i.vesselIds.includes(B))!.details;
    const parsed = parseRegistry(JSON.stringify(doc.registry), 'json');
    if (!parsed.ok) throw new Error(parsed.detail);
    const registry = new VesselRegistry(parsed.value);
    await store.upsertVessels(registry.all());
    const grids = readSeaGrids();
    const sea = new SeaPicture(registry, SeaGridIndex.build(grids, { res: 7 }));
    const decider = new Lifecycle();
    const pipeline = new Pipeline({ topicPrefix: '', registry, sea, decider, live: { maxFutureMs: Infinity }, rules: (live) => alertRules(live, sea, registry, grids, new RouteBook(), decider).rules });
    const frames = fixture.ndjson.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { atMs: number; topic: string; payload: string });
    const written: Promise<void>[] = [];
    const changes: AlertChange[] = [];
    const record = (out: ReturnType<Pipeline['tick']>): void => {
      for (const f of out.fixes) store.writePosition(f.vesselId, f.report);
      if (out.gridEvents.length > 0) store.recordGridEvents(out.gridEvents);
      for (const c of out.alertChanges) changes.push(c), written.push(store.recordAlertChange(c));
    };
    let i = 0;
    for (let t = doc.parameters.startMs; t <= doc.parameters.startMs + DURATION_MS; t += 1000) {
      for (; i < frames.length && frames[i]!.atMs <= t; i++) record(pipeline.onFrame({ topic: frames[i]!.topic, payload: Buffer.from(frames[i]!.payload), receivedAtMs: frames[i]!.atMs }));
      record(pipeline.tick(t));
    }
    await Promise.all(written);
    await store.flush();
    // The scenario has no vessel within 3 nm of A or B in the window: passers are added around A's
    // track, each a minute of fixes 0–5 nm off A's place up to 5 min earlier or later, so some
    // come near (3 nm, 2 min) and some only come close to where A was or will be.
    const trackOfA = await store.track(A as never, doc.parameters.startMs, doc.parameters.startMs + DURATION_MS, { maxPoints: 10_000 });
    const rand = seededRandom(1203);
    for (let k = 0; k < 60; k++) {
      const p = trackOfA[Math.floor(rand() * trackOfA.length)]!;
      const dt = Math.round((rand() - 0.5) * 10 * 60_000);
      const r = rand() * 5;
      const bearing = rand() * 2 * Math.PI;
      for (let j = 0; j < 6; j++) {
        store.writePosition(`41390${String(k).padStart(4, '0')}` as never, { source: 'ais', mmsi: (413_900_000 + k) as never, atMs: p.atMs + dt + j * 10_000, receivedAtMs: p.atMs + dt + j * 10_000 + 500, lat: p.lat + (r * Math.cos(bearing)) / 60, lon: p.lon + (r * Math.sin(bearing)) / 60 / Math.cos((p.lat * Math.PI) / 180), sogKn: 0.5, cogDeg: 90 });
      }
    }
    await store.flush();
    alertId = changes.find((c) => c.alert.kind === 'collision' && c.alert.vesselIds.includes(A as never) && c.alert.vesselIds.includes(B as never))!.alertId;

    await store.putUser({ username: 'zhao', role: 'analyst', fleetIds: [], displayName: null, source: 'store', passwordHash: await hashPassword('Analyst-pass-265') });
    auth = await Auth.open({ store, nowMs: () => now, onError: () => undefined });
    web = await startWebServer('127.0.0.1', 0, {
      auth,
      health: () => ({ status: 'ok' as const }),
      metrics: () => '',
      vessels: () => ({ vessels: [], next: undefined }),
      vessel: () => undefined,
      track: () => undefined,
      evidence: (subject, actor, sees) => {
        builds++;
        return buildEvidencePack(store, { subject, actor, ...(sees === undefined ? {} : { sees }) }, now);
      },
    });
  }, 300_000);
  afterAll(async () => {
    await web?.close();
    auth?.close();
    await store?.close();
    await pg?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, 60_000);

  const base = (): string => `http://127.0.0.1:${web.port}`;
  const bearer = async (): Promise<string> =>
    ((await (await fetch(`${base()}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhao', password: 'Analyst-pass-265', session: 'bearer' }) })).json()) as { token: string }).token;

  it('an analyst gets the pack as application/zip with a file name, and its creation is in the audit trail', async () => {
    const r = await fetch(`${base()}/api/alerts/${encodeURIComponent(alertId)}/evidence`, { headers: { authorization: `Bearer ${await bearer()}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    const disposition = r.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="seagrid-evidence-alert-[^"]+\.zip"$/);
    packName = /filename="([^"]+)"/.exec(disposition)![1]!;
    pack = Buffer.from(await r.arrayBuffer());
    const audit = await store.audit({ action: 'evidence.create', limit: 10 });
    expect(audit.map((a) => [a.actor, a.action, a.target, a.outcome])).toEqual([['zhao', 'evidence.create', alertId, 'ok']]);
    const manifest = JSON.parse((await unzipIndependently(pack)).get('manifest.json')!.toString('utf8')) as { packSha256: string };
    expect(audit[0]!.detail).toBe(`packSha256 ${manifest.packSha256}`);
  });

  it('unpacked by another reader, every file matches its SHA-256 in the manifest, and the whole its packSha256', async () => {
    const files = await unzipIndependently(pack);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: { name: string; bytes: number; sha256: string }[]; packSha256: string; subject: string };
    expect(manifest.subject).toBe(`alert:${alertId}`);
    const names = [...files.keys()].filter((n) => n !== 'manifest.json').sort();
    expect(manifest.files.map((f) => f.name).sort()).toEqual(names);
    expect(names).toEqual(['README.txt', 'alerts.json', 'fixes-as-received.csv', 'grid-events.csv', 'map.svg', 'subject.json', 'tracks.csv', 'tracks.geojson', 'vessels.json']);
    for (const f of manifest.files) {
      expect(sha(files.get(f.name)!), f.name).toBe(f.sha256);
      expect(files.get(f.name)!.length).toBe(f.bytes);
    }
    // The whole: SHA-256 of the `sha256sum` listing of the files, by name.
    const listing = [...manifest.files].sort((a, b) => (a.name < b.name ? -1 : 1)).map((f) => `${sha(files.get(f.name)!)}  ${f.name}\n`).join('');
    expect(manifest.packSha256).toBe(sha(listing));
  });

  it('the closest approach recomputed from the packed tracks is the alert\'s CPA and the simulator\'s', async () => {
    const files = await unzipIndependently(pack);
    const rows = files.get('tracks.csv')!.toString('utf8').trimEnd().split('\r\n').slice(1).map((l) => l.split(','));
    const track = (id: string): { t: number; lat: number; lon: number }[] => rows.filter((r) => r[0] === id).map((r) => ({ t: Date.parse(r[1]!), lat: Number(r[2]), lon: Number(r[3]) }));
    const a = track(A);
    const b = track(B);
    expect(a.length).toBeGreaterThan(50);
    expect(b.length).toBeGreaterThan(50);
    // Brute force: both tracks at every whole second they share.
    let best = { nm: Infinity, t: 0, lat: 0, lon: 0 };
    for (let t = Math.ceil(Math.max(a[0]!.t, b[0]!.t) / 1000) * 1000; t <= Math.min(a.at(-1)!.t, b.at(-1)!.t); t += 1000) {
      const pa = at(a, t);
      const pb = at(b, t);
      if (pa === undefined || pb === undefined) continue;
      const nm = haversineNm(pa.lat, pa.lon, pb.lat, pb.lon);
      if (nm < best.nm) best = { nm, t, lat: (pa.lat + pb.lat) / 2, lon: (pa.lon + pb.lon) / 2 };
    }
    // The simulator's truth: 0.0177 nm at 844 s.
    expect(Math.abs(best.nm - scripted.cpaNm)).toBeLessThan(0.01);
    expect(Math.abs(best.t - scripted.cpaAtMs)).toBeLessThanOrEqual(5_000);
    // The alert's figures as packed (its last change with collision figures): CPA, time and place.
    const alerts = JSON.parse(files.get('alerts.json')!.toString('utf8')) as { id: string; kind: string; history: { at: string; alert: { details: { cpaNm?: number; tcpaMin?: number; meetingPoint?: { lat: number; lon: number } } } }[] }[];
    const alert = alerts.find((x) => x.id === alertId)!;
    expect(alert.kind).toBe('collision');
    // The last figures, timed by the first change that carried them (a later one may repeat them).
    const last = alert.history.findLastIndex((h) => h.alert.details.cpaNm !== undefined);
    const d = alert.history[last]!.alert.details;
    const figures = alert.history.find((h) => JSON.stringify(h.alert.details) === JSON.stringify(d))!;
    expect(Math.abs(d.cpaNm! - best.nm)).toBeLessThan(0.05);
    expect(Math.abs(Date.parse(figures.at) + d.tcpaMin! * 60_000 - best.t)).toBeLessThanOrEqual(30_000);
    expect(haversineNm(d.meetingPoint!.lat, d.meetingPoint!.lon, best.lat, best.lon)).toBeLessThan(0.1);
    // The history is whole: seqs 1…n.
    expect(alert.history.map((_, i) => i + 1)).toEqual(alert.history.map((h) => (h as unknown as { seq: number }).seq));
  });

  it('holds the fixes as received, the vessels near them, grid events, files, and a map with coast, tracks and CPA', async () => {
    const files = await unzipIndependently(pack);
    const subject = JSON.parse(files.get('subject.json')!.toString('utf8')) as { vessels: { vesselId: string; role: string; fixes: number }[] };
    const roles = new Map(subject.vessels.map((v) => [v.vesselId, v.role]));
    expect(roles.get(A)).toBe('involved');
    expect(roles.get(B)).toBe('involved');
    const received = files.get('fixes-as-received.csv')!.toString('utf8').trimEnd().split('\r\n');
    expect(received[0]).toBe('vessel_id,at,source,lat,lon,sog_kn,cog_deg,heading_deg,rot_deg_min,nav_status,mmsi,beidou_card,receiver,received_at');
    const rows = received.slice(1).map((l) => l.split(','));
    // Every track fix is there as received: a receiver and a receipt time on each AIS fix of A.
    const ofA = rows.filter((r) => r[0] === A);
    expect(ofA.length).toBe(subject.vessels.find((v) => v.vesselId === A)!.fixes);
    expect(ofA.every((r) => r[2] === 'ais' && r[12] !== '' && r[13] !== '')).toBe(true);
    // Near: every other packed vessel came within 3 nm of A or B within 2 min (checked by brute force here).
    const byId = (id: string): string[][] => rows.filter((r) => r[0] === id);
    const involved = [...byId(A), ...byId(B)].map((r) => ({ t: Date.parse(r[1]!), lat: Number(r[3]), lon: Number(r[4]) }));
    for (const [id, role] of roles) {
      if (role !== 'near') continue;
      const close = byId(id).some((r) => involved.some((p) => Math.abs(p.t - Date.parse(r[1]!)) <= 120_000 && haversineNm(p.lat, p.lon, Number(r[3]), Number(r[4])) <= 3));
      expect(close, id).toBe(true);
    }
    // And every vessel that came that near is packed: brute force over every fix stored in the window, read here by SQL.
    const window = JSON.parse(files.get('subject.json')!.toString('utf8')) as { from: string; to: string };
    const client = new pgClient.Client({ connectionString: pg.url });
    await client.connect();
    try {
      const all = (await client.query<{ vessel_id: string; t: number; lat: number; lon: number }>(
        `select vessel_id, (extract(epoch from at) * 1000)::float8 as t, lat, lon from positions where at between $1 and $2 and vessel_id not in ($3, $4)`,
        [window.from, window.to, A, B],
      )).rows;
      expect(all.length).toBeGreaterThan(1000);
      const near = new Set(all.filter((r) => involved.some((p) => Math.abs(p.t - r.t) <= 120_000 && haversineNm(p.lat, p.lon, r.lat, r.lon) <= 3)).map((r) => r.vessel_id));
      // Both kinds are there, or the comparison proves little.
      expect(near.size).toBeGreaterThan(5);
      expect(near.size).toBeLessThan(55);
      expect([...roles].filter(([, role]) => role === 'near').map(([id]) => id).sort()).toEqual([...near].sort());
    } finally {
      await client.end();
    }
    const vessels = JSON.parse(files.get('vessels.json')!.toString('utf8')) as { vesselId: string }[];
    expect(vessels.map((v) => v.vesselId).sort()).toEqual([...roles.keys()].filter((id) => vessels.some((v) => v.vesselId === id)).sort());
    expect(vessels.some((v) => v.vesselId === A)).toBe(true);
    expect(files.get('grid-events.csv')!.toString('utf8').startsWith('vessel_id,layer,grid_id,kind,at,lat,lon\r\n')).toBe(true);
    const svg = files.get('map.svg')!.toString('utf8');
    // Kept to be looked at (.test-artefacts/ is not committed).
    mkdirSync(ARTEFACTS, { recursive: true });
    writeFileSync(path.join(ARTEFACTS, 'evidence-map.svg'), svg);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain(`id="track-${A}"`);
    expect(svg).toContain(`id="track-${B}"`);
    expect(svg).toMatch(/<g id="cpa">.*CPA 0\.0\d\d nm at \d\d:\d\d:\d\d UTC/s);
    // The scene is open sea, 20 nm off Zhoushan: its islands' coast is drawn in the locator inset.
    expect(svg).toMatch(/<g id="locator">.*<path d="M[^"]+Z" fill="#efe9d8"/s);
  });

  it('seagrid verify-pack: the pack passes; one changed byte, a missing or an extra file, an edited manifest fail, naming the file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'seagrid-verify-'));
    dirs.push(dir);
    const verify = async (bytes: Uint8Array): Promise<{ code: number; out: string; err: string }> => {
      const file = path.join(dir, packName);
      writeFileSync(file, bytes);
      const out = new PassThrough();
      const err = new PassThrough();
      let o = '';
      let e = '';
      out.on('data', (d: Buffer) => (o += d.toString()));
      err.on('data', (d: Buffer) => (e += d.toString()));
      const code = await runCli({ argv: ['verify-pack', file], env: {}, stdin: new PassThrough(), stdout: out, stderr: err, nowMs: () => now, stopSignal: new Promise(() => undefined) });
      return { code, out: o, err: e };
    };
    const ok = await verify(pack);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/OK, 9 files and the whole match the manifest/);

    const files = await unzipIndependently(pack);
    const rezip = (m: Map<string, Buffer>): Promise<Uint8Array> => zipFiles(m, now);
    // One byte of tracks.csv: a digit of its last row's latitude.
    const csv = Buffer.from(files.get('tracks.csv')!);
    const rowStart = csv.lastIndexOf('\r\n', csv.length - 3) + 2;
    const digit = csv.indexOf(',', csv.indexOf(',', rowStart) + 1) + 5;
    csv[digit] = csv[digit] === 0x37 ? 0x38 : 0x37;
    const changed = await verify(await rezip(new Map([...files, ['tracks.csv', csv]])));
    expect(changed.code).toBe(1);
    expect(changed.out).toContain('tracks.csv: CHANGED');
    expect(changed.out.split('\n').filter((l) => l.includes('CHANGED'))).toEqual([expect.stringContaining('tracks.csv')]);

    const missing = new Map(files);
    missing.delete('map.svg');
    const gone = await verify(await rezip(missing));
    expect(gone.code).toBe(1);
    expect(gone.out).toContain('map.svg: MISSING');

    const extra = await verify(await rezip(new Map([...files, ['note.txt', Buffer.from('added later')]])));
    expect(extra.code).toBe(1);
    expect(extra.out).toContain('note.txt: EXTRA');

    // A file changed and its hash in the manifest with it: the whole no longer matches.
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: { name: string; sha256: string; bytes: number }[] };
    const svg = Buffer.from(`${files.get('map.svg')!.toString('utf8')}<!-- edited -->`);
    for (const f of manifest.files) if (f.name === 'map.svg') (f.sha256 = sha(svg)), (f.bytes = svg.length);
    const forged = await verify(await rezip(new Map([...files, ['map.svg', svg], ['manifest.json', Buffer.from(JSON.stringify(manifest))]])));
    expect(forged.code).toBe(1);
    expect(forged.out).toContain('manifest.json: CHANGED');

    const notZip = await verify(Buffer.from('not a zip'));
    expect(notZip.code).toBe(2);
  });

  it('an area pack: within its bounds it holds the vessels there; beyond them 400 http.bad_window', async () => {
    const token = await bearer();
    const area = async (q: string): Promise<Response> => fetch(`${base()}/api/evidence?${q}`, { headers: { authorization: `Bearer ${token}` } });
    const from = new Date(scripted.cpaAtMs - 5 * 60_000).toISOString();
    const to = new Date(scripted.cpaAtMs + 60_000).toISOString();
    const files = await unzipIndependently(pack);
    const cpa = (JSON.parse(files.get('subject.json')!.toString('utf8')) as { predictedCpa: { lat: number; lon: number } }).predictedCpa;
    const bbox = [cpa.lon - 0.05, cpa.lat - 0.05, cpa.lon + 0.05, cpa.lat + 0.05].map((v) => v.toFixed(4)).join(',');
    const r = await area(`bbox=${bbox}&from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    const got = await unzipIndependently(Buffer.from(await r.arrayBuffer()));
    const roles = (JSON.parse(got.get('subject.json')!.toString('utf8')) as { vessels: { vesselId: string; role: string }[] }).vessels;
    expect(roles.filter((v) => v.vesselId === A || v.vesselId === B).map((v) => v.role)).toEqual(['area', 'area']);
    // Every fix packed lies in the box and the window.
    const [w, s, e, n] = bbox.split(',').map(Number) as [number, number, number, number];
    for (const l of got.get('fixes-as-received.csv')!.toString('utf8').trimEnd().split('\r\n').slice(1)) {
      const c = l.split(',');
      expect(Number(c[3]) >= s && Number(c[3]) <= n && Number(c[4]) >= w && Number(c[4]) <= e && c[1]! >= from && c[1]! <= to).toBe(true);
    }
    for (const q of [`bbox=${bbox}&from=${from}&to=${new Date(scripted.cpaAtMs + 7 * 3_600_000).toISOString()}`, `bbox=121,29,122.5,30.5&from=${from}&to=${to}`, `bbox=${bbox}&from=${to}&to=${from}`, `from=${from}&to=${to}`]) {
      const bad = await area(q);
      expect(bad.status, q).toBe(400);
      expect(((await bad.json()) as { error: { code: string } }).error.code, q).toBe('http.bad_window');
    }
    const unknown = await fetch(`${base()}/api/alerts/no-such-alert/evidence`, { headers: { authorization: `Bearer ${token}` } });
    expect(unknown.status).toBe(404);
  });

  it('HEAD is not offered: 405 with Allow: GET, no pack built, nothing audited', async () => {
    const token = await bearer();
    const before = { builds, audited: (await store.audit({ action: 'evidence.create', limit: 1000 })).length };
    for (const url of [`/api/alerts/${encodeURIComponent(alertId)}/evidence`, `/api/evidence?bbox=122,30,122.1,30.1&from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z`]) {
      const r = await fetch(`${base()}${url}`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } });
      expect(r.status, url).toBe(405);
      expect(r.headers.get('allow'), url).toBe('GET');
    }
    expect({ builds, audited: (await store.audit({ action: 'evidence.create', limit: 1000 })).length }).toEqual(before);
  });
});
