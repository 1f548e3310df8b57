import type { CollisionRule, Lifecycle, Rule } from '../alerts/index.js';
import type { SeaPicture } from '../geo/index.js';
import type { AlertsOut } from './alerts-out.js';
import type { MetricsRegistry } from './metrics.js';
import type { Pipeline } from './pipeline.js';

/** The pipeline's counts on /metrics, read when scraped (the pipeline itself keeps plain numbers). */
export function exposePipelineMetrics(m: MetricsRegistry, pipeline: Pipeline, sea?: SeaPicture): void {
  const c = pipeline.counters;
  const live = pipeline.live.counters;
  const d = pipeline.decoderCounters;
  const norm = pipeline.normalizerCounters;
  m.gauge('seagrid_rejected_total', 'records rejected (or corrected and kept), by stable reason code', () => labelled(c.rejected, (code) => ({ code })), 'counter');
  m.gauge('seagrid_mqtt_frames_total', 'MQTT messages received, by topic kind', () => Object.entries(c.frames).filter(([, n]) => n > 0).map(([kind, n]) => [{ kind }, n] as [Record<string, string>, number]), 'counter');
  m.gauge('seagrid_lines_total', 'NMEA lines received', () => c.lines, 'counter');
  m.gauge('seagrid_sentences_total', 'framed NMEA sentences', () => d.sentences, 'counter');
  m.gauge('seagrid_lines_ignored_total', 'valid lines not used (comments, GSV, proprietary …)', () => d.ignored, 'counter');
  m.gauge('seagrid_tag_blocks_dropped_total', 'bad tag blocks dropped from good sentences', () => d.tagProblems, 'counter');
  m.gauge('seagrid_fragments_pending', 'multipart AIS messages waiting for fragments', () => pipeline.pendingFragments);
  m.gauge('seagrid_positions_total', 'position reports by outcome', () => [
    [{ outcome: 'moved' }, live.moved],
    [{ outcome: 'older_kept' }, live.olderKept],
    [{ outcome: 'duplicate' }, live.duplicates],
    [{ outcome: 'jump_rejected' }, live.jumpsRejected],
    [{ outcome: 'jump_accepted' }, live.jumpsAccepted],
  ], 'counter');
  m.gauge('seagrid_statics_total', 'AIS static reports applied', () => norm.statics, 'counter');
  m.gauge('seagrid_ais_not_vessel_total', 'AIS base-station and aid-to-navigation reports', () => norm.notVessel, 'counter');
  m.gauge('seagrid_vessels', 'vessels in the live picture', () => pipeline.live.size);
  m.gauge('seagrid_vessels_forgotten_total', 'vessels that left the live picture: aged (not heard for VESSEL_FORGET_AFTER_H) or evicted (room for a new one at VESSEL_LIMIT)', () => [
    [{ reason: 'aged' }, live.aged],
    [{ reason: 'evicted' }, live.evicted],
  ], 'counter');
  m.gauge('seagrid_grid_events_total', 'vessels entering or leaving a grid, by layer and kind', () => labelled(c.gridEvents, (k) => {
    const [layer, kind] = k.split('|');
    return { layer: layer!, kind: kind! };
  }), 'counter');
  m.gauge('seagrid_rule_errors_total', 'alert rule evaluations that threw (the other rules still ran), by rule', () => labelled(c.ruleErrors, (rule) => ({ rule })), 'counter');
  if (sea !== undefined) {
    m.gauge('seagrid_vessels_located_total', 'fixes placed in the sea grids', () => sea.counters.located, 'counter');
    // One series per area grid except the 渔区 lattice (thousands of sub-zones: /api/grids has them).
    const layerOf = new Map(sea.grids.grids().map((g) => [g.id, g.layer]));
    m.gauge('seagrid_grid_occupancy', 'vessels in each static, control and patrol grid and zone', () => {
      const out: [Record<string, string>, number][] = [];
      for (const [grid, n] of sea.tracker.occupancy()) {
        const layer = layerOf.get(grid);
        if (layer !== undefined) out.push([{ grid, layer }, n]);
      }
      return out;
    });
  }
  m.gauge('seagrid_ingest_lag_seconds', 'receipt time minus fix time of the latest position', () => c.lagMs / 1000);
}

function labelled<K>(counts: ReadonlyMap<K, number>, labels: (key: K) => Record<string, string>): [Record<string, string>, number][] {
  return [...counts].map(([k, n]) => [labels(k), n]);
}

/** What the alert metrics read: the pipeline's rule timing, the lifecycle, the collision rule and the MQTT alert publisher. */
export interface AlertParts {
  readonly pipeline: Pipeline;
  readonly lifecycle: Lifecycle;
  readonly collision?: CollisionRule;
  readonly alertsOut?: AlertsOut;
  /** Every rule; those keeping signal counts (each of alerts/ does) show them by rule. */
  readonly rules?: readonly Rule[];
}

/** A rule that counts the signals it sent (its own counters; the Rule interface does not require them). */
type CountingRule = Rule & { readonly counters: { readonly signalsRaised: number; readonly signalsCleared: number } };

function countsSignals(r: Rule): r is CountingRule {
  const c = (r as { counters?: { signalsRaised?: unknown; signalsCleared?: unknown } }).counters;
  return typeof c?.signalsRaised === 'number' && typeof c.signalsCleared === 'number';
}

/** Issue 12's alert figures on /metrics, read when scraped. */
export function exposeAlertMetrics(m: MetricsRegistry, parts: AlertParts): void {
  const lc = parts.lifecycle.counters;
  m.gauge('seagrid_alerts_raised_total', 'alerts raised, by kind and severity', () => labelled(lc.raised, (k) => {
    const [kind, severity] = k.split('|');
    return { kind: kind!, severity: severity! };
  }), 'counter');
  m.gauge('seagrid_alerts_open', 'alerts not yet resolved (cleared ones included)', () => parts.lifecycle.openCount);
  m.gauge('seagrid_alert_updates_total', 'alert updates sent (severity, cleared, vessels, details beyond tolerance)', () => lc.updates, 'counter');
  m.gauge('seagrid_alert_holds_cancelled_total', 'conditions that ended before their raise hold: flicker that raised nothing', () => lc.holdsCancelled, 'counter');
  m.gauge('seagrid_alert_actions_refused_total', 'officer actions the lifecycle refused, by stable code', () => labelled(lc.refused, (code) => ({ code })), 'counter');
  // A summary as two counters: rate(seconds) / rate(evaluations) is the mean cost of one evaluation.
  const ev = parts.pipeline.counters.ruleEvaluation;
  m.gauge('seagrid_rule_evaluation_seconds_total', 'wall time spent in the alert rules (hop 6), summed over evaluations', () => ev.seconds, 'counter');
  m.gauge('seagrid_rule_evaluations_total', 'hop 6 evaluations (a frame with moved fixes, or a tick) that ran the rules', () => ev.count, 'counter');
  const counting = (parts.rules ?? []).filter(countsSignals);
  if (counting.length > 0) {
    m.gauge('seagrid_rule_signals_total', 'signals each rule sent: a condition holding at a level (raised) or ending (cleared); the lifecycle turns them into alerts', () =>
      counting.flatMap((r): [Record<string, string>, number][] => [
        [{ rule: r.name, signal: 'raised' }, r.counters.signalsRaised],
        [{ rule: r.name, signal: 'cleared' }, r.counters.signalsCleared],
      ]), 'counter');
  }
  const col = parts.collision?.counters;
  if (col !== undefined) {
    m.gauge('seagrid_collision_pairs_total', 'vessel pairs the collision rule looked at, by outcome (skipped_motion: COG/SOG not available)', () => [
      [{ outcome: 'evaluated' }, col.pairsEvaluated],
      [{ outcome: 'skipped_motion' }, col.pairsSkippedMotion],
      [{ outcome: 'stationary' }, col.pairsStationary],
      [{ outcome: 'out_of_reach' }, col.pairsOutOfReach],
    ], 'counter');
  }
  const out = parts.alertsOut;
  if (out !== undefined) {
    m.gauge('seagrid_alerts_out_total', 'MQTT alert messages: published changes, cleared retained topics, failed publishes, waiting changes replaced by a newer one of the same topic (coalesced)', () => [
      [{ outcome: 'published' }, out.counters.published],
      [{ outcome: 'cleared' }, out.counters.cleared],
      [{ outcome: 'failed' }, out.counters.failed],
      [{ outcome: 'coalesced' }, out.counters.coalesced],
    ], 'counter');
    m.gauge('seagrid_alerts_out_waiting', 'MQTT alert messages waiting for the broker (at most two per topic)', () => [[{}, out.waiting]]);
  }
}
