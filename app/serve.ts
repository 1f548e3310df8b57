import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CollisionRule, Lifecycle as AlertLifecycle, parsePlannedRoute, RouteBook, type Rule } from '../alerts/index.js';
import { PartitionMap, SeaGridIndex, SeaPicture } from '../geo/index.js';
import { MqttPublisher, MqttSource, startEmbeddedBroker, type RawFrame } from '../ingest/adapters.js';
import { subscriptionFilters } from '../ingest/index.js';
import { RateLimitedLog, reject, type AlertChange, type AlertId, type FleetId, type Result, type VesselId } from '../model/index.js';
import { MAX_TRACK_POINTS, openStore, StoreError, type Store } from '../store/index.js';
import { alertChangeView, alertFileView, alertView, Auth, builtClientDir, isLoopbackHost, fleetView, gridEventView, gridCollectionView, plannedRouteView, PushHub, startWebServer, trackView, vesselFileView, type AlertActionBody, type AlertActionName, type AlertFileView, type HealthView } from '../web/index.js';
import { alertRules } from './alert-rules.js';
import { AlertsOut } from './alerts-out.js';
import type { CliIo } from './cli.js';
import type { Config } from './config.js';
import { startDemo, type Demo } from './demo.js';
import { createLogger } from './logger.js';
import { Lifecycle, StartAborted } from './lifecycle.js';
import { MetricsRegistry } from './metrics.js';
import { Pipeline } from './pipeline.js';
import { lastKnownFixes, recentFixes, REEVALUATE_MAX_FIXES, REEVALUATE_MS } from './warm-start.js';
import { ClusterDecider, ClusterNode, Ownership } from './cluster.js';
import { startReceipts } from './receipt-journal.js';
import { FeedClock } from './feed-clock.js';
import { exposeAlertMetrics, exposePipelineMetrics } from './pipeline-metrics.js';
import { recordAlertChange, recordOutcome, type AlertRecording } from './record.js';
import { answered, dispatchAction, respondersFor, responderWorld } from './response.js';
import { supervisionView } from './supervision.js';
import { Reports } from './report.js';
import { voyageReplay } from './voyage-replay.js';
import { readAlertPolicy, readRegistry, readRoutes, readSeaGrids } from './refdata.js';
import { exposeStoreMetrics } from './store-metrics.js';
import { buildEvidencePack } from './evidence.js';
import { exposePushMetrics, pushFeed } from './push.js';
import { inGrid, vesselPage } from './vessel-query.js';
import { readUsersFile, scopeSource, syncFileUsers } from './users.js';

/** `/health` is degraded while a vessel was evicted for room within this long. */
const EVICTING_MS = 10 * 60_000;

/** Open alerts read back at start: far more than a watch floor ever has open. */
const OPEN_ALERTS_LIMIT = 1_000_000;
/** Resolved alerts read back at start (the most recently changed of all): see `Lifecycle.restore`. */
const RESOLVED_ALERTS_REMEMBERED = 10_000;

/** A track asked for without `from` covers this long before `to`. */
const DEFAULT_TRACK_MS = 24 * 3_600_000;

/**
 * `seagrid serve`: broker (embedded unless MQTT_URL), MQTT source → pipeline → live picture,
 * HTTP API, and the Zhoushan demo feed when DEMO is on. Stops cleanly on SIGINT/SIGTERM.
 */
export async function runServe(config: Config, io: CliIo): Promise<number> {
  const log = createLogger(config.logLevel);
  // Process and Node.js metrics (CPU, memory, heap, GC, event-loop lag) beside the service's own.
  const metrics = new MetricsRegistry({ processMetrics: true });
  registerEventLoopMetrics(metrics);
  const startedAtMs = io.nowMs();
  const life = new Lifecycle(
    (part, e) => log.warn({ part, err: e.message }, 'stop step failed'),
    (part, ms) => log.info({ part, ms }, 'stopped'),
  );
  // A signal stops the service at any time, also in the middle of its start.
  void io.stopSignal.then((signal) => {
    log.info({ signal }, 'stopping');
    void life.stop();
  });

  try {
    let brokerUrl = config.mqttUrl;
    if (brokerUrl === undefined) {
      const broker = await life.step(startEmbeddedBroker({ port: config.mqttPort, host: '127.0.0.1' }), 'embedded broker', (b) => b.close());
      brokerUrl = broker.url;
      log.info({ url: broker.url }, 'embedded MQTT broker listening');
    }

    // The store first: every fix the pipeline accepts from the first MQTT message on is recorded.
    // Rows it refuses or cleans for their content are all counted (store metrics), logged at a bounded rate.
    const storeRefusals = new RateLimitedLog(
      (code, fields, heldBack) => log.warn({ part: 'store', code, ...fields, heldBack }, heldBack > 0 ? 'store refusals held back' : 'store refused'),
      io.nowMs,
    );
    const opening = openStore({
      onRefused: (code, detail) => storeRefusals.log(code, { detail }),
      ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }),
      dataDir: config.dataDir,
      log: log.child({ part: 'store' }),
      spoolMaxBytes: config.spoolMaxBytes,
      ...(config.positionRetentionDays > 0 ? { retention: { positionsDays: config.positionRetentionDays } } : {}),
    });
    const store: Store = await life.step(opening, 'store', (s) => s.close());
    exposeStoreMetrics(store, metrics);
    log.info({ kind: store.kind, timescale: store.timescale }, 'store open');

    // Sign-in: USERS_FILE into the store, then every user the store holds. None at all: no sign-in, loopback only.
    if (config.usersFile !== undefined) {
      const synced = await life.step(syncFileUsers(store, readUsersFile(config.usersFile)));
      log.info({ file: config.usersFile, ...synced }, 'users file loaded');
    }
    const auth = await life.step(
      Auth.open({ store, nowMs: io.nowMs, cookieMs: config.sessionMs, bearerMs: config.tokenMs, onError: (what, e) => log.warn({ part: 'auth', err: e instanceof Error ? e.message : String(e) }, what) }),
      'auth',
      async (a) => a.close(),
    );
    if (!auth.enforced) {
      if (!isLoopbackHost(config.httpHost)) {
        throw new Error(`HTTP_HOST=${config.httpHost} is not a loopback address and no users are configured: set USERS_FILE or add one with \`seagrid user add\` so sign-in guards the service, or bind HTTP_HOST=127.0.0.1`);
      }
      io.stdout.write(`seagrid: no users configured: no sign-in, serving the loopback interface only (${config.httpHost})\n`);
      log.warn({ host: config.httpHost }, 'no users configured: no sign-in, loopback only');
    } else {
      log.info({ users: auth.userCount }, 'sign-in required');
    }

    const gridDefs = config.gridsDir === undefined ? readSeaGrids() : readSeaGrids(config.gridsDir);
    const alertPolicy = readAlertPolicy(config.alertPolicyFile, gridDefs);
    if (config.alertPolicyFile !== undefined) log.info({ file: config.alertPolicyFile, collisionOverrides: alertPolicy.collisionOverrides.length }, 'alert policy loaded');
    const demo: Demo | undefined = config.demo ? await life.step(startDemo({ brokerUrl, topicPrefix: config.topicPrefix, log, now: io.nowMs, policy: alertPolicy.policy })) : undefined;
    const registry = demo?.registry ?? readRegistry(config.registryFile);
    log.info({ vessels: registry.size, fleets: registry.fleetIds().length }, 'vessel registry loaded');
    if (registry.size > 0) await life.step(store.upsertVessels(registry.all()));

    const sea = new SeaPicture(registry, SeaGridIndex.build(gridDefs, { res: config.seaGridRes }));
    // ROUTES_FILE, else the demo scenario's lanes (its route-departure incident is then raised).
    const routes = config.routesFile === undefined && demo !== undefined ? new RouteBook(demo.routes) : readRoutes(config.routesFile);
    log.info({ res: sea.grids.res, ...summariseGrids(sea.grids) }, 'sea grids indexed');

    // Hop 7 continues from the store: open alerts keep their ids and seqs across a restart (kill -9 included).
    const openAlerts = await life.step(store.alerts({ state: 'open', limit: OPEN_ALERTS_LIMIT }));
    // …and the recently resolved ones: a condition an officer resolved while it held raises nothing
    // new when the warm start's fixes go through the rules again (below), nor when the feed resumes.
    const recentlyResolved = (await life.step(store.alerts({ state: 'all', limit: RESOLVED_ALERTS_REMEMBERED }))).filter((a) => a.state === 'resolved');
    const decider = AlertLifecycle.restore(openAlerts, alertPolicy.policy.lifecycle, recentlyResolved);
    log.info({ open: decider.openCount }, 'open alerts restored');
    // Alerts out over MQTT; its publisher is attached once the source has proved the broker reachable.
    const alertsOutLog = new RateLimitedLog((code, fields, heldBack) => log.warn({ part: 'alerts out', code, ...fields, heldBack }, 'alert change not published'), io.nowMs);
    const alertsOut = new AlertsOut(
      config.alertsTopicPrefix,
      (e) => alertsOutLog.log('mqtt.publish', { err: e instanceof Error ? e.message : String(e) }),
      undefined,
      undefined,
      // A dispatch order goes to each responder's fleet (its leader's topic).
      (id) => registry.byVesselId(id as VesselId)?.fleetId,
    );
    alertsOut.restore(await life.step(store.openAlertChanges(OPEN_ALERTS_LIMIT)));
    const alertRecording: AlertRecording = {
      onError: (e) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'alert change not recorded'),
      // Out over MQTT and to every /ws client (the hub is made with the pipeline, below).
      publish: (c) => {
        alertsOut.publish(c);
        push.alertChanged(alertChangeView(c));
      },
    };

    const rejections = new RateLimitedLog(
      (code, fields, heldBack) => log.warn({ code, ...fields, heldBack }, heldBack > 0 ? 'rejections held back' : 'rejected'),
      io.nowMs,
    );
    // A rule that throws is a programmer error: logged loudly (bounded), counted, and the other rules still run.
    const ruleErrors = new RateLimitedLog((rule, fields, heldBack) => log.error({ rule, ...fields, heldBack }, 'alert rule failed'), io.nowMs);
    let collision: CollisionRule | undefined;
    let rules: readonly Rule[] = [];
    // CLUSTER: one instance of several (app/cluster.ts), the lifecycle fed only the alerts it owns.
    const ownership = config.cluster === undefined ? undefined : new Ownership(new PartitionMap());
    const pipeline = new Pipeline({
      topicPrefix: config.topicPrefix,
      registry,
      onReject: (code, detail, topic) => rejections.log(code, { detail, topic }),
      onRuleError: (rule, e) => ruleErrors.log(rule, { err: e instanceof Error ? e.message : String(e) }),
      // A fix far ahead of its receipt means a wrong clock; an accelerated simulation turns this off.
      live: { maxFutureMs: config.maxFixAheadMs, maxVessels: config.vesselLimit, forgetAfterMs: config.vesselForgetAfterMs },
      normalize: { maxFixAgeMs: config.maxFixAgeMs },
      sea,
      rules: (live) => {
        const built = alertRules(live, sea, registry, gridDefs, routes, decider, alertPolicy);
        collision = built.collision;
        rules = built.rules;
        return rules;
      },
      decider: ownership === undefined ? decider : new ClusterDecider(decider, ownership),
    });
    exposePipelineMetrics(metrics, pipeline, sea);
    exposeAlertMetrics(metrics, { pipeline, lifecycle: decider, alertsOut, rules, ...(collision === undefined ? {} : { collision }) });
    // Hop 9: /ws clients get the live picture and every alert change (web/push.ts).
    const push = new PushHub(pushFeed(pipeline.live, sea, decider));
    const responders = responderWorld(pipeline.live, sea, registry);
    const reports = new Reports({ store, sea, fleetOf: (id) => registry.byVesselId(id as VesselId)?.fleetId ?? '', nowMs: () => io.nowMs() });
    exposePushMetrics(metrics, push);

    // The lifecycle's holds run on the feed's time: a replayed capture's alerts come at its own moments.
    const feedClock = new FeedClock();
    const onFrame = (f: RawFrame): void => {
      const out = pipeline.onFrame(f);
      for (const x of out.fixes) feedClock.saw(x.report.atMs, f.receivedAtMs);
      recordOutcome(store, out, alertRecording);
      push.vesselsChanged(out.changed);
    };
    // Warm start (not for the demo, which starts its fleet afresh): each vessel's last stored fix, so a
    // restart neither re-enters every grid nor forgets a BeiDou boat until its next fix (app/warm-start.ts);
    // taken REEVALUATE_MS back, and the fixes stored since go through the rules again, which rebuilds
    // what they held in memory (a hold under way when the process died). A cluster instance
    // warm-starts each partition as it takes it (ClusterNode).
    if (demo === undefined && ownership === undefined) {
      try {
        // The span ends at the feed's last stored fix, not the wall clock: a feed behind it (a replayed
        // capture, a simulation started in the past) has its own last two minutes.
        const last = await lastKnownFixes(store, registry, io.nowMs());
        const feedEnd = last.reduce((m, r) => Math.max(m, r.atMs), -Infinity);
        const recent = last.length === 0 ? undefined : await recentFixes(store, registry, feedEnd - REEVALUATE_MS, feedEnd);
        const n = pipeline.restore(recent === undefined ? last : await lastKnownFixes(store, registry, feedEnd - REEVALUATE_MS));
        const again = recent === undefined ? undefined : pipeline.reevaluate(recent);
        if (again !== undefined) recordOutcome(store, { fixes: [], gridEvents: again.gridEvents, alertChanges: again.alertChanges, changed: new Set() }, alertRecording);
        log.info({ fixes: n, reevaluated: again?.fixes ?? (last.length === 0 ? 0 : `none: over ${REEVALUATE_MAX_FIXES}`), alertChanges: again?.alertChanges.length ?? 0 }, 'live picture restored from the store');
      } catch (e) {
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'live picture not restored: the store did not answer');
      }
    }
    // Kill -9 safe: each frame journaled before its acknowledgement; what an earlier run journaled and
    // the store may not hold is replayed now, on the warm-started picture and restored alerts.
    const receipts = demo === undefined && ownership === undefined ? startReceipts(config.dataDir, config.receiptJournalBytes, store, onFrame, metrics) : undefined;
    if (receipts !== undefined) {
      life.add('receipt journal', () => receipts.stop());
      if (receipts.replayed > 0) log.info({ frames: receipts.replayed }, 'receipt journal of the last run replayed');
    }
    const source = new MqttSource({
      url: brokerUrl,
      clientId: config.mqttClientId,
      topics: subscriptionFilters(config.topicPrefix),
      qos: 1,
      startTimeoutMs: config.mqttStartTimeoutMs,
      onFrame: receipts?.onFrame ?? onFrame,
      onError: (e, suppressed) => log.warn({ err: e.message, suppressed }, 'mqtt'),
    });
    const node =
      ownership === undefined || config.cluster === undefined || config.databaseUrl === undefined
        ? undefined
        : new ClusterNode({
            brokerUrl,
            instance: config.mqttClientId,
            topicPrefix: config.topicPrefix,
            ownership,
            partitions: ownership.map.partitionsCovering(config.clusterSea),
            databaseUrl: config.databaseUrl,
            cluster: config.cluster,
            pipeline,
            lifecycle: decider,
            store,
            registry,
            recording: alertRecording,
            now: io.nowMs,
            onOutcome: (out) => push.vesselsChanged(out.changed),
            onReject: (code, detail) => rejections.log(code, { detail }),
            onError: (what, e) => log.warn({ part: 'cluster', what, err: e.message }, 'cluster'),
          });
    const sourceState = () => node?.state() ?? source.state();
    metrics.gauge('seagrid_mqtt_connected', '1 while the MQTT source is connected', () => (sourceState().connected ? 1 : 0));
    metrics.gauge('seagrid_mqtt_reconnects_total', 'MQTT reconnects', () => sourceState().reconnects, 'counter');
    metrics.gauge('seagrid_mqtt_yields_total', 'runs of received MQTT messages that reached the turn budget and gave the event loop back (the broker holds the rest meanwhile)', () => sourceState().yields, 'counter');
    // Registered before it is ready: a start that fails must not leave it reconnecting.
    life.add('mqtt source', () => node?.stop() ?? source.stop());
    await life.step(node?.start() ?? source.start());
    // A publisher of its own (clean session; QoS 1 kept by mqtt.js across reconnects), stopped after the source.
    const alertsPublisher = await life.step(
      MqttPublisher.connect(brokerUrl, {
        clientId: `${config.mqttClientId}-alerts`,
        startTimeoutMs: config.mqttStartTimeoutMs,
        onError: (e, suppressed) => log.warn({ part: 'alerts out', err: e.message, suppressed }, 'mqtt'),
      }),
      'alerts publisher',
      (p) => p.close(5_000),
    );
    alertsOut.attach(alertsPublisher);
    // A cluster node ticks its pipeline itself, on its own feed clock.
    const ticker = setInterval(() => {
      if (node !== undefined) return;
      const wallMs = io.nowMs();
      // No feed to hear: the holds must not elapse before the broker's backlog says what happened meanwhile.
      if (!source.state().connected) feedClock.hold(wallMs);
      const out = pipeline.tick(wallMs, feedClock.nowMs(wallMs));
      recordOutcome(store, out, alertRecording);
      push.vesselsChanged(out.changed);
    }, 1000);
    life.add('pipeline ticker', async () => clearInterval(ticker));
    if (demo !== undefined) await life.step(demo.start(), 'demo feed', () => demo.stop());

    const health = (): HealthView => {
      const mq = sourceState();
      const st = store.health();
      const room = pipeline.live.room();
      // Vessels evicted for room lately: the picture is at VESSEL_LIMIT and losing vessels now.
      const evicting = room.lastEvictedAtMs !== undefined && io.nowMs() - room.lastEvictedAtMs < EVICTING_MS;
      return {
        // A spool still waiting for the database means stored history is behind the live picture.
        status: mq.connected && st.connected && st.spooledRows === 0 && !evicting ? 'ok' : 'degraded',
        uptimeS: Math.round((io.nowMs() - startedAtMs) / 1000),
        broker: { connected: mq.connected, url: mq.url, embedded: config.mqttUrl === undefined, reconnects: mq.reconnects, lastError: mq.lastError ?? null },
        ingest: { messages: mq.messages, lastMessageAt: mq.lastMessageAtMs === undefined ? null : new Date(mq.lastMessageAtMs).toISOString() },
        vessels: {
          live: room.live,
          held: room.held,
          unregistered: room.unregistered,
          limit: room.limit,
          evicting,
          evicted: room.evicted,
          lastEvictedAt: room.lastEvictedAtMs === undefined ? null : new Date(room.lastEvictedAtMs).toISOString(),
          aged: room.aged,
        },
        demo: demo === undefined ? 'off' : 'on',
        store: {
          connected: st.connected,
          kind: st.kind,
          timescale: st.timescale,
          queuedRows: st.queuedRows,
          spooledRows: st.spooledRows,
          spooledBytes: st.spooledBytes,
          writtenRows: st.writtenRows,
          droppedRows: st.droppedRows,
          readsWaiting: st.readsWaiting,
          lastError: st.lastError ?? null,
          lastFlushAt: st.lastFlushAtMs === undefined ? null : new Date(st.lastFlushAtMs).toISOString(),
          ...(st.embedded === undefined ? {} : { embedded: st.embedded }),
        },
      };
    };
    const httpErrors = metrics.counter('seagrid_http_errors_total', 'HTTP error answers, by status and stable code');
    const httpLog = new RateLimitedLog(
      (code, fields, heldBack) => (code === 'http.internal' ? log.error : log.warn).call(log, { code, ...fields, heldBack }, heldBack > 0 ? 'http errors held back' : 'http error'),
      io.nowMs,
    );
    const webStart = startWebServer(config.httpHost, config.httpPort, {
      health,
      push,
      auth,
      scope: scopeSource(registry, pipeline.live),
      awarenessNm: config.awarenessNm,
      clientDir: builtClientDir(),
      maxTrackPoints: MAX_TRACK_POINTS,
      // The store's own refusals: a saturated read gate is worth a retry, not a 500.
      classifyError: (e) => {
        const code = e instanceof StoreError ? e.code : undefined;
        if (code === 'store.busy') return { status: 503, code: 'http.busy', message: 'the store is busy with other reads; retry shortly' };
        if (code === 'store.max_points') return { status: 400, code: 'http.bad_param', message: `maxPoints may be at most ${MAX_TRACK_POINTS}` };
        return undefined;
      },
      onError: (e) => {
        httpErrors.inc({ status: String(e.status), code: e.code });
        httpLog.log(e.code, { status: e.status, requestId: e.requestId, method: e.method, path: e.path, ...(e.detail === undefined ? {} : { detail: e.detail }) });
      },
      metrics: () => metrics.render(),
      vessels: (q) => vesselPage(pipeline.live, sea, registry, q),
      vessel: (id) => {
        const v = pipeline.live.get(id);
        return v === undefined ? undefined : vesselFileView(v, registry.byVesselId(id as VesselId), sea.membership(v.vesselId), v.fleetId === undefined ? undefined : registry.leaderOf(v.fleetId)?.vesselId);
      },
      grids: () => gridCollectionView(sea.gridsGeoJson(), (id) => sea.appliesAt(id, feedClock.nowMs(io.nowMs()))),
      fleets: () => sea.fleets.all().map((f) => fleetView(f, registry.leaderOf(f.fleetId)?.vesselId)),
      fleet: (id) => {
        const f = sea.fleets.fleet(id as FleetId);
        return f === undefined ? undefined : fleetView(f, registry.leaderOf(f.fleetId)?.vesselId);
      },
      // Tracks come from the store (every fix since the vessel was first heard); the in-memory ring
      // answers only while the store cannot.
      track: async (id, q) => {
        const known = pipeline.live.get(id) !== undefined || registry.byVesselId(id as VesselId) !== undefined;
        const toMs = q.toMs ?? io.nowMs();
        const fromMs = q.fromMs ?? toMs - DEFAULT_TRACK_MS;
        if (!store.health().connected && known) return trackView(pipeline.live.track(id, fromMs, toMs));
        const points = await store.track(id as VesselId, fromMs, toMs, { fields: 'route', ...(q.maxPoints === undefined ? {} : { maxPoints: q.maxPoints }) });
        return points.length === 0 && !known ? undefined : trackView(points);
      },
      alerts: async (q) => (await store.alerts(q)).map(alertView),
      alertHistory: async (id) => {
        const h = await store.alertHistory(id as AlertId);
        return h.length === 0 ? undefined : h.map(alertChangeView);
      },
      alert: async (id) => {
        const h = await store.alertHistory(id as AlertId);
        return h.length === 0 ? undefined : alertFileView(h[h.length - 1]!.alert, h);
      },
      // Routes set here live in memory until a restart (ROUTES_FILE is read again at start).
      route: (of, id) => {
        const r = of === 'fleet' ? routes.fleetRoute(id as FleetId) : routes.routeFor(id as VesselId, registry.byVesselId(id as VesselId)?.fleetId);
        return r === undefined ? undefined : plannedRouteView(r);
      },
      putRoute: (of, id, body, actor) => {
        const known = of === 'fleet' ? registry.fleet(id as FleetId).length > 0 : registry.byVesselId(id as VesselId) !== undefined || pipeline.live.get(id as VesselId) !== undefined;
        if (!known) return undefined;
        const r = parsePlannedRoute(body, `${of}:${id}`);
        if (!r.ok) return r;
        if (of === 'fleet') routes.setFleetRoute(id as FleetId, r.value);
        else routes.setVesselRoute(id as VesselId, r.value);
        log.info({ of, id, actor, points: r.value.points.length, corridorHalfWidthNm: r.value.corridorHalfWidthNm }, 'planned route set');
        return { ok: true, value: plannedRouteView(r.value) };
      },
      alertAction: (id, action, body, actor, opts) => alertAction(decider, store, alertRecording, id as AlertId, action, body, actor, io.nowMs(), opts?.onlyIfCleared === true),
      responders: (id) => respondersFor(decider, responders, id as AlertId, io.nowMs()),
      dispatch: (id, body, actor) => dispatchAction(decider, store, alertRecording, id as AlertId, body, actor, io.nowMs()),
      supervision: (q, sees) => supervisionView(store, sea, q, sees),
      reports: (q, seesFleet) => reports.view(q, seesFleet),
      gridEvents: async (q) => (await store.gridEvents(q)).map(gridEventView),
      // Evidence packs read the store only (what was recorded), never the live picture.
      evidence: async (subject, actor, sees) => buildEvidencePack(store, { subject, actor, ...(sees === undefined ? {} : { sees }) }, io.nowMs()),
      replay: (subject, fromMs, toMs) =>
        voyageReplay(
          {
            store,
            fleetMembers: (id) => registry.fleet(id as FleetId).map((f) => f.vesselId),
            inGridAt: (gridId, lat, lon, atMs) => inGrid(sea.grids.assign(lat, lon, atMs), gridId),
            gridBox: (gridId) => {
              const b = sea.gridBox(gridId);
              return b === undefined ? undefined : [b.minLon, b.minLat, b.maxLon, b.maxLat];
            },
            fileOf: (id) => {
              const f = registry.byVesselId(id as VesselId);
              return { name: f?.name || null, fleetId: f?.fleetId ?? null };
            },
          },
          subject,
          fromMs,
          toMs,
        ),
      picture: async (q) => {
        const ids = q.fleetId === undefined ? undefined : registry.fleet(q.fleetId as FleetId).map((f) => f.vesselId);
        let fixes = await store.pictureAt(q.atMs, ids === undefined ? {} : { vesselIds: ids });
        // A grid's picture: where each vessel was, placed in the grids in force at that moment.
        if (q.gridId !== undefined) fixes = fixes.filter((p) => inGrid(sea.grids.assign(p.lat, p.lon, q.atMs), q.gridId!));
        return { at: new Date(q.atMs).toISOString(), vessels: fixes.map((p) => ({ vesselId: p.vesselId, ...trackView([p])[0]! })) };
      },
    });
    const web = await life.step(webStart, 'web server', (w) => w.close());
    io.stdout.write(`seagrid: command map and API on http://${config.httpHost}:${web.port}/ (health at /health)\n`);
    log.info({ port: web.port, demo: config.demo }, 'seagrid serving');

    await io.stopSignal;
  } catch (e) {
    // Stopped during the start (a signal) is a stop like any other; anything else is a failed start.
    if (!(e instanceof StartAborted)) {
      const message = e instanceof Error ? e.message : String(e);
      log.error({ err: message }, 'start failed');
      io.stderr.write(`seagrid: start failed: ${message}\n`);
      await life.stop();
      log.flush();
      return 1;
    }
  }
  await life.stop();
  io.stdout.write('seagrid: stopped\n');
  log.flush();
  return 0;
}

/**
 * An officer's action through the one state machine (the lifecycle); its change is recorded and
 * published like a rule's, and the answer is the alert after it with its stored history.
 */
async function alertAction(
  decider: AlertLifecycle,
  store: Store,
  recording: AlertRecording,
  id: AlertId,
  action: AlertActionName,
  body: AlertActionBody,
  actor: string,
  nowMs: number,
  onlyIfCleared: boolean,
): Promise<Result<AlertFileView>> {
  const r =
    action === 'acknowledge'
      ? decider.acknowledge(id, actor, nowMs, body.note)
      : action === 'assign'
        ? decider.assign(id, actor, body.assignee ?? '', nowMs, body.note)
        : decider.resolve(id, actor, nowMs, body.note, onlyIfCleared);
  if (!r.ok) {
    // Resolved before a restart, so unknown to this lifecycle: the store still says it was resolved.
    if (r.code === 'alert.not_found' && (await store.alertHistory(id)).at(-1)?.alert.state === 'resolved') return reject('alert.transition', `${action} on a resolved alert`);
    return r;
  }
  return { ok: true, value: await answered(store, recording, r.value) };
}

function summariseGrids(index: SeaGridIndex): Record<string, number> {
  const by: Record<string, number> = {};
  for (const g of index.grids()) by[g.layer] = (by[g.layer] ?? 0) + 1;
  return by;
}

/**
 * How long a ready callback waits for the event loop: under a feed heavier than one core the
 * store's database round trips wait here, not in PostgreSQL (measured in the ingest-load bench).
 */
function registerEventLoopMetrics(metrics: MetricsRegistry): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  metrics.gauge('seagrid_event_loop_delay_seconds', 'event-loop delay since start, by quantile', () => [
    [{ quantile: '0.5' }, delay.percentile(50) / 1e9],
    [{ quantile: '0.99' }, delay.percentile(99) / 1e9],
    [{ quantile: '1' }, delay.max / 1e9],
  ]);
}
