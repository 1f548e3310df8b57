import type { SeaPicture } from '../geo/index.js';
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
