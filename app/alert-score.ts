/**
 * The alerts scored against ground truth (issue 12, "Scored against ground truth"): a simulated
 * fleet runs through the real path — simulator payloads → decode → normalise → live picture → sea
 * picture → every alert rule → the lifecycle, as `seagrid serve` composes them (no MQTT, sim time
 * fast-forwarded, a tick every sim second) — and the collision alerts are compared with where the
 * vessels truly were (sim/truth.ts: the simulator's own legs, not the decoded fixes).
 *
 * - True encounter: two vessels whose true distance goes below the warning CPA (0.5 nm), not of one
 *   fleet (fleet mates work together: issue 12 excludes them). With a vessel moored or at anchor at
 *   the closest point (by its status, or truly at rest for the 10 min before, as the rule judges a
 *   vessel that sends no status) the rule raises only `danger` (issue 12 §2), so such a pass counts when it
 *   comes within the danger CPA (0.1 nm). Harbour moves are not encounters: two boats that lay still
 *   alongside until one left (it starts within the radius), or whose closest point is where they came
 *   to rest (a boat berthing next to another). Passes already under way when the run starts are left out.
 * - Recall: share of true encounters with the closest point in the scored span whose pair had a
 *   collision alert in force (raised and not cleared) at some time in [CPA − 12 min, CPA − 3 min]:
 *   alerted at least 3 minutes ahead. Reported twice: over every encounter, and over the foreseeable
 *   ones — those whose true motion, held straight, already led to the encounter (CPA and TCPA within
 *   the level's limits) at some time in [CPA − 12 min, CPA − 3 min − I], I the longer of the two
 *   vessels' report intervals then (0 for one at rest): whatever the phase of its reports, one on
 *   that course reaches the centre at least 3 min ahead, and the rule (which evaluates a pair at
 *   each fix) can raise it then. The others arise from a turn too late for that (in the demo: fleets
 *   sailing abreast 0.6–1 nm apart when one turns across the other 1–3 min before they meet; a
 *   BeiDou-only boat, reporting every 3 min, closing on a moored one, whose danger level looks only
 *   5 min ahead); an event-driven CPA/TCPA rule warns of those 3 min ahead only when a report
 *   happens to fall early enough, so they are counted but kept out of the goal's figure.
 * - Precision: share of collision alerts raised in the scored span whose pair truly came within
 *   1 nm while the alert was in force (from its raise to its clear, or the end, and at least up to
 *   the meeting time it predicted at the raise).
 */
import { DEFAULT_ALERT_POLICY, STOPPED_AS_MOORED_MS } from '../alerts/index.js';
import { type AlertChange, type VesselId } from '../model/index.js';
import {
  aisIntervalMs,
  BEIDOU_INTERVAL_MS,
  createScenario,
  FleetSimulator,
  newKin,
  sampleTruth,
  trueEncounters,
  trueMinDistanceNm,
  type Scenario,
  type ScenarioOptions,
  type SimVessel,
  type TrueEncounter,
  type TruthSamples,
} from '../sim/index.js';
import { demoPipeline } from './demo-pipeline.js';

export interface AlertScoreOptions {
  readonly scenario?: ScenarioOptions;
  /** Sim time run before the scored span (the picture fills, the first holds elapse), ms. Default 10 min. */
  readonly warmUpMs?: number;
  /** Default one hour. */
  readonly scoredMs?: number;
}

/** How one true encounter was judged. */
export interface EncounterScore {
  readonly encounter: TrueEncounter;
  readonly vesselIds: readonly [VesselId, VesselId];
  readonly moored: boolean;
  /** True navigational status and SOG of each vessel at the closest point. */
  readonly navStatus: readonly [number, number];
  readonly sogKn: readonly [number, number];
  readonly alerted: boolean;
  /** The true motion showed it in time for a report to tell it 3 min ahead (see the header). */
  readonly foreseeable: boolean;
  /** Minutes before the closest point the pair's alert was first in force (in the 12 min before it); absent: never. */
  readonly leadMin?: number;
}

export interface AlertScore {
  readonly scoredMs: number;
  readonly encounters: readonly EncounterScore[];
  /** Passes within the warning CPA with the closest point in the scored span that are not encounters, by reason. */
  readonly excluded: { sameFleet: number; fromAlongside: number; berthed: number; mooredBeyondDanger: number };
  readonly recall: number;
  /** Recall over the foreseeable encounters only. */
  readonly recallForeseeable: number;
  /** Collision alerts raised in the scored span, each with its true closest approach while in force. */
  readonly collisionAlerts: readonly { readonly key: string; readonly severity: string; readonly trueMinNm: number; readonly sameFleet: boolean; readonly moored: boolean; readonly raisedAtMs: number }[];
  readonly precision: number;
  /** Raised in the scored span, by `kind|severity` (the severity it was raised with). */
  readonly raised: ReadonlyMap<string, number>;
  /** Open (raised, not resolved) and not cleared at the end, by kind. */
  readonly inForceAtEnd: ReadonlyMap<string, number>;
  readonly positionReports: number;
  readonly wallMs: number;
  /** Every alert change of the run, warm-up included (for diagnosing a miss). */
  readonly changes: readonly AlertChange[];
}

const MIN = 60_000;
const LEAD_MS = 3 * MIN;
const LOOKBACK_MS = 12 * MIN;
const PRECISION_NM = 1;
/** AIS navigational status at anchor (1) and moored (5). */
const STILL = new Set([1, 5]);

/** Runs the scenario through the pipeline and scores its collision alerts against the truth. */
export function scoreAlerts(o: AlertScoreOptions = {}): AlertScore {
  const wall0 = performance.now();
  const scenario = createScenario(o.scenario);
  const warmUpMs = o.warmUpMs ?? 10 * MIN;
  const scoredMs = o.scoredMs ?? 60 * MIN;
  const fromMs = scenario.startMs + warmUpMs;
  const toMs = fromMs + scoredMs;
  const { changes, positionReports } = runPipeline(scenario, toMs);

  const levels = DEFAULT_ALERT_POLICY.collision;
  // Sampled 10 min past the end: an alert raised late is judged on the meeting it predicted.
  const truth = sampleTruth(scenario, { fromMs: scenario.startMs, toMs: toMs + levels.warning.tcpaMin * MIN });
  const indexOf = new Map(scenario.vessels.map((v) => [v.vesselId, v.index] as const));
  const byPair = alertsByPair(changes);

  // Moored as the rule judges it (alerts/collision-rule.ts): by status, or truly at rest for the
  // last STOPPED_AS_MOORED_MS before the closest point (a boat at its berth sending no status).
  const restSteps = Math.round(STOPPED_AS_MOORED_MS / truth.stepMs);
  const atRest = (step: number, i: number): boolean => {
    if (step < restSteps) return false;
    for (let k = step - restSteps; k <= step; k++) if (truth.sogKn[k * truth.count + i] !== 0) return false;
    return true;
  };
  const still = (e: TrueEncounter): boolean => {
    const step = Math.min(truth.steps - 1, Math.round((e.tcpaMs - truth.fromMs) / truth.stepMs));
    return STILL.has(truth.navStatus[step * truth.count + e.a]!) || STILL.has(truth.navStatus[step * truth.count + e.b]!) || atRest(step, e.a) || atRest(step, e.b);
  };
  const encounters: EncounterScore[] = [];
  const excluded = { sameFleet: 0, fromAlongside: 0, berthed: 0, mooredBeyondDanger: 0 };
  for (const e of trueEncounters(truth, levels.warning.cpaNm)) {
    if (e.openAtStart || e.tcpaMs < fromMs || e.tcpaMs >= toMs) continue;
    const va = scenario.vessels[e.a]!;
    const vb = scenario.vessels[e.b]!;
    const j = Math.min(truth.steps - 1, Math.round((e.tcpaMs - truth.fromMs) / truth.stepMs)) * truth.count;
    const moored = still(e);
    let why: keyof AlertScore['excluded'] | undefined;
    if (va.fleetId !== undefined && va.fleetId === vb.fleetId) why = 'sameFleet';
    else if (e.startNm < levels.warning.cpaNm) why = 'fromAlongside';
    else if (truth.sogKn[j + e.a] === 0 && truth.sogKn[j + e.b] === 0) why = 'berthed';
    else if (moored && e.cpaNm >= levels.danger.cpaNm) why = 'mooredBeyondDanger';
    if (why !== undefined) {
      excluded[why]++;
      continue;
    }
    // The level the rule applies at each time: only danger while either vessel is still then.
    const levelAt = (step: number): { cpaNm: number; tcpaMin: number } => {
      const j = step * truth.count;
      const stillThen = (i: number): boolean => STILL.has(truth.navStatus[j + i]!) || truth.sogKn[j + i]! === 0;
      return stillThen(e.a) || stillThen(e.b) ? levels.danger : levels.warning;
    };
    // A vessel at rest tells nothing new by reporting: only one under way can turn unseen.
    const interval = (i: number, step: number): number => {
      const j = step * truth.count + i;
      return truth.sogKn[j]! === 0 ? 0 : reportIntervalMs(scenario.vessels[i]!, truth.sogKn[j]!, truth.navStatus[j]!);
    };
    const foreseeable = foreseenAtMs(truth, e.a, e.b, e.tcpaMs, levelAt, interval) !== undefined;
    const ids = pairOf(va.vesselId, vb.vesselId);
    const first = firstInForce(byPair.get(`collision:${ids[0]}|${ids[1]}`), e.tcpaMs - LOOKBACK_MS, e.tcpaMs - LEAD_MS);
    encounters.push({
      encounter: e,
      vesselIds: ids,
      moored,
      navStatus: [truth.navStatus[j + e.a]!, truth.navStatus[j + e.b]!],
      sogKn: [truth.sogKn[j + e.a]!, truth.sogKn[j + e.b]!],
      alerted: first !== undefined,
      foreseeable,
      ...(first === undefined ? {} : { leadMin: (e.tcpaMs - first) / MIN }),
    });
  }

  const collisionAlerts: AlertScore['collisionAlerts'][number][] = [];
  for (const [key, spans] of byPair) {
    const [a, b] = key.slice('collision:'.length).split('|') as [VesselId, VesselId];
    const ia = indexOf.get(a);
    const ib = indexOf.get(b);
    if (ia === undefined || ib === undefined) continue;
    for (const s of spans) {
      if (!s.raise || s.fromMs < fromMs || s.fromMs >= toMs) continue;
      // The alert's life: from this raise to the clear of its last span in force.
      const until = Math.max(s.alertEndMs ?? truth.fromMs + (truth.steps - 1) * truth.stepMs, s.fromMs + s.tcpaMin * MIN);
      const fa = scenario.vessels[ia]!.fleetId;
      const step = Math.min(truth.steps - 1, Math.round((s.fromMs - truth.fromMs) / truth.stepMs));
      collisionAlerts.push({
        key,
        severity: s.severity,
        trueMinNm: trueMinDistanceNm(truth, ia, ib, s.fromMs, until),
        sameFleet: fa !== undefined && fa === scenario.vessels[ib]!.fleetId,
        moored: STILL.has(truth.navStatus[step * truth.count + ia]!) || STILL.has(truth.navStatus[step * truth.count + ib]!),
        raisedAtMs: s.fromMs,
      });
    }
  }

  const raised = new Map<string, number>();
  const last = new Map<string, AlertChange>();
  for (const c of changes) {
    last.set(c.alertId, c);
    if (c.action === 'raise' && c.atMs >= fromMs && c.atMs < toMs) bump(raised, `${c.alert.kind}|${c.alert.severity}`);
  }
  const inForceAtEnd = new Map<string, number>();
  for (const c of last.values()) if (c.alert.state !== 'resolved' && c.alert.cleared !== true) bump(inForceAtEnd, c.alert.kind);

  const hits = encounters.filter((x) => x.alerted).length;
  const foreseen = encounters.filter((x) => x.foreseeable);
  const good = collisionAlerts.filter((x) => x.trueMinNm < PRECISION_NM).length;
  return {
    scoredMs,
    encounters,
    excluded,
    recall: encounters.length === 0 ? 1 : hits / encounters.length,
    recallForeseeable: foreseen.length === 0 ? 1 : foreseen.filter((x) => x.alerted).length / foreseen.length,
    collisionAlerts,
    precision: collisionAlerts.length === 0 ? 1 : good / collisionAlerts.length,
    raised,
    inForceAtEnd,
    positionReports,
    wallMs: performance.now() - wall0,
    changes,
  };
}

/**
 * The first sample time in [CPA − 12 min, CPA − 3 min − I] at which the pair's true motion, held
 * straight, leads to a closest approach below the level's CPA within 0 < TCPA ≤ its TCPA (the level
 * the rule applies at that time: `levelAt(step)`); I is
 * the longer of the two vessels' report intervals at that time (`intervalMs(vessel, step)`).
 * Undefined: never — the encounter arose too late for a report to show it 3 min ahead.
 * Velocities are the truth's own displacement over the next sample step, on a local flat earth
 * (independent of alerts/cpa.ts, which it judges).
 */
export function foreseenAtMs(
  truth: TruthSamples,
  a: number,
  b: number,
  cpaMs: number,
  levelAt: (step: number) => { readonly cpaNm: number; readonly tcpaMin: number },
  intervalMs: (vessel: number, step: number) => number,
): number | undefined {
  const first = Math.max(0, Math.ceil((cpaMs - LOOKBACK_MS - truth.fromMs) / truth.stepMs));
  const last = Math.min(truth.steps - 2, Math.floor((cpaMs - LEAD_MS - truth.fromMs) / truth.stepMs));
  const hours = truth.stepMs / 3_600_000;
  for (let s = first; s <= last; s++) {
    const t = truth.fromMs + s * truth.stepMs;
    if (t > cpaMs - LEAD_MS - Math.max(intervalMs(a, s), intervalMs(b, s))) break;
    const i0 = s * truth.count;
    const i1 = i0 + truth.count;
    const k = Math.cos(((truth.lat[i0 + a]! + truth.lat[i0 + b]!) / 2) * (Math.PI / 180)) * 60;
    // Position of b relative to a, and relative velocity, in nm and kn.
    const rx = (truth.lon[i0 + b]! - truth.lon[i0 + a]!) * k;
    const ry = (truth.lat[i0 + b]! - truth.lat[i0 + a]!) * 60;
    const vx = ((truth.lon[i1 + b]! - truth.lon[i0 + b]!) - (truth.lon[i1 + a]! - truth.lon[i0 + a]!)) * k / hours;
    const vy = ((truth.lat[i1 + b]! - truth.lat[i0 + b]!) - (truth.lat[i1 + a]! - truth.lat[i0 + a]!)) * 60 / hours;
    const v2 = vx * vx + vy * vy;
    if (v2 < 1e-9) continue;
    const level = levelAt(s);
    const tcpaH = -(rx * vx + ry * vy) / v2;
    if (!(tcpaH > 0) || tcpaH * 60 > level.tcpaMin) continue;
    if (Math.hypot(rx + vx * tcpaH, ry + vy * tcpaH) < level.cpaNm) return t;
  }
  return undefined;
}

/** The simulator's interval to a vessel's next position report from its fastest source (AIS by ITU-R M.1371, BeiDou 3 min). */
function reportIntervalMs(v: SimVessel, sogKn: number, navStatus: number): number {
  const kin = newKin();
  kin.sogKn = sogKn;
  kin.navStatus = navStatus;
  const ais = v.aisClass === 'none' ? Number.POSITIVE_INFINITY : aisIntervalMs(v.aisClass, kin);
  return Math.min(ais, v.beidouReports ? BEIDOU_INTERVAL_MS : Number.POSITIVE_INFINITY);
}

/** The pipeline as `seagrid serve` composes it, fed the simulator's payloads up to `toMs`, a tick every sim second; every alert change. */
export function runPipeline(scenario: Scenario, toMs: number): { changes: AlertChange[]; positionReports: number } {
  const { pipeline, sim } = demoPipeline(scenario);
  const changes: AlertChange[] = [];
  const feed = (batch: readonly { topic: string; payload: string; atMs: number }[]): void => {
    for (const m of batch) {
      const out = pipeline.onFrame({ topic: m.topic, payload: Buffer.from(m.payload), receivedAtMs: m.atMs });
      for (const c of out.alertChanges) changes.push(c);
    }
  };
  feed(sim.start(scenario.startMs));
  for (let t = scenario.startMs + 1000; t <= toMs; t += 1000) {
    feed(sim.advance(t));
    for (const c of pipeline.tick(t, t).alertChanges) changes.push(c);
  }
  return { changes, positionReports: sim.counters.positionReports };
}

/** One stretch of a collision alert in force (raised or un-cleared until cleared). */
interface InForce {
  readonly fromMs: number;
  toMs: number | undefined;
  /** This stretch began with the raise of a new alert (not a re-raise of a cleared one). */
  readonly raise: boolean;
  readonly severity: string;
  readonly tcpaMin: number;
  /** For a raise: when the alert's last stretch in force ended (undefined: still in force at the end). */
  alertEndMs: number | undefined;
}

/** Collision alerts by pair key: their stretches in force, in time order. */
function alertsByPair(changes: readonly AlertChange[]): Map<string, InForce[]> {
  const out = new Map<string, InForce[]>();
  const current = new Map<string, { span: InForce | undefined; raise: InForce }>();
  for (const c of changes) {
    const a = c.alert;
    if (a.kind !== 'collision' || a.key === undefined) continue;
    const inForce = a.state !== 'resolved' && a.cleared !== true;
    let cur = current.get(c.alertId);
    if (c.action === 'raise') {
      const span: InForce = { fromMs: c.atMs, toMs: undefined, raise: true, severity: a.severity, tcpaMin: Number(a.details['tcpaMin'] ?? 0), alertEndMs: undefined };
      cur = { span, raise: span };
      current.set(c.alertId, cur);
      push(out, a.key, span);
      continue;
    }
    if (cur === undefined) continue;
    if (!inForce && cur.span !== undefined) {
      cur.span.toMs = c.atMs;
      cur.raise.alertEndMs = c.atMs;
      cur.span = undefined;
    } else if (inForce && cur.span === undefined) {
      const span: InForce = { fromMs: c.atMs, toMs: undefined, raise: false, severity: a.severity, tcpaMin: Number(a.details['tcpaMin'] ?? 0), alertEndMs: undefined };
      cur.span = span;
      cur.raise.alertEndMs = undefined;
      push(out, a.key, span);
    }
  }
  return out;
}

/** The earliest time in [from, to] at which one of the stretches was in force; undefined if none. */
function firstInForce(spans: readonly InForce[] | undefined, from: number, to: number): number | undefined {
  if (spans === undefined) return undefined;
  for (const s of spans) {
    if (s.fromMs > to || (s.toMs !== undefined && s.toMs < from)) continue;
    return Math.max(s.fromMs, from);
  }
  return undefined;
}

function pairOf(a: VesselId, b: VesselId): readonly [VesselId, VesselId] {
  return a < b ? [a, b] : [b, a];
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l === undefined) m.set(k, [v]);
  else l.push(v);
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}
