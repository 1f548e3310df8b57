/**
 * The operator's alert policy (`ALERT_POLICY_FILE`): issue 12 §2's "configurable per zone and per
 * vessel class", and every other threshold of DEFAULT_ALERT_POLICY, from one JSON object. Only what
 * differs need be written; everything left out keeps its default. Pure: text in, a policy or a
 * rejection naming the field out; never throws.
 *
 *   {
 *     "collision": { "warning": { "cpaNm": 0.3 } },
 *     "collisionOverrides": [
 *       { "gridId": "ANCH-XZM-N", "levels": { "danger": { "cpaNm": 0.05, "tcpaMin": 3 } }, "dangerOnly": true },
 *       { "shipTypes": [80, 81, 82, 83, 84, 85, 86, 87, 88, 89], "levels": { "warning": { "cpaNm": 1 } } }
 *     ],
 *     "fleetStraggler": { "distanceNm": 3 },
 *     "lifecycle": { "default": { "clearHoldMs": 90000 }, "byKind": { "zone": { "raiseHoldMs": { "warning": 60000 } } } }
 *   }
 *
 * An override's levels are the file's base collision levels with its own numbers on top; the first
 * override that matches either vessel of a pair gives the pair's levels (alerts/collision-rule.ts).
 * The rule screens every vessel with the widest CPA and the longest TCPA of all levels, so a long
 * TCPA in one override costs the screening of all (and is bounded: a 40 kn craft must still be
 * screened within the 12 nm the neighbour index is tested to).
 * `dangerOnly` sets the warning level to the danger level, which the rule tries first, so no pair
 * is ever a warning there: in a harbour or an
 * anchorage boats pass moored ones within the warning distance all day, and only a danger is news.
 * Keys starting with `$` (`$comment`) are notes, at any depth. Refused: a key the policy does not have (a misspelt one would silently do nothing), a number that
 * is not finite and ≥ 0 (or > 0 where zero means nothing), a danger level not stricter than its
 * warning on both counts, an override with neither `gridId` nor `shipTypes`, a grid the caller does
 * not know.
 */
import { ok, reject, type Result } from '../model/index.js';
import type { CollisionOverride } from './collision-rule.js';
import { ALERT_KINDS } from '../model/index.js';
import { DEFAULT_ALERT_POLICY, type AlertPolicy, type LifecyclePolicy, type LifecycleTiming } from './policy.js';

/** The collision and fleet rules' screening radius cap, nm (their `maxScreenNm` default: the neighbour index's tested radius). */
const MAX_SCREEN_NM = 12;
/** A speed every level must still screen at, kn: above the high-speed passenger craft of these waters. */
const SCREENED_KN = 40;

export interface AlertPolicyFile {
  readonly policy: AlertPolicy;
  readonly collisionOverrides: readonly CollisionOverride[];
}

/**
 * Parses the file's text (or an already parsed object). `knownGrid` says whether an override's
 * `gridId` names a grid the service knows (sea, control, patrol grid, zone, 渔区).
 */
export function parseAlertPolicy(input: unknown, knownGrid: (gridId: string) => boolean): Result<AlertPolicyFile> {
  let doc: unknown = input;
  if (typeof input === 'string') {
    try {
      doc = JSON.parse(input);
    } catch (e) {
      return reject('policy.json', (e as Error).message);
    }
  }
  if (!isRecord(doc)) return reject('policy.json', 'expected a JSON object');
  const { collisionOverrides: rawOverrides, lifecycle: rawLifecycle, ...rest } = withoutComments(doc);
  const { lifecycle: defaultLifecycle, ...defaults } = DEFAULT_ALERT_POLICY;
  const merged = mergeInto(defaults, rest, '');
  if (!merged.ok) return merged;
  const lifecycle = mergeLifecycle(defaultLifecycle, rawLifecycle ?? {});
  if (!lifecycle.ok) return lifecycle;
  const policy = { ...(merged.value as Omit<AlertPolicy, 'lifecycle'>), lifecycle: lifecycle.value };
  const ranges = checkRanges(policy);
  if (!ranges.ok) return ranges;
  const overrides: CollisionOverride[] = [];
  if (rawOverrides !== undefined) {
    if (!Array.isArray(rawOverrides)) return reject('policy.override', 'collisionOverrides: expected an array');
    for (let i = 0; i < rawOverrides.length; i++) {
      const o = parseOverride(rawOverrides[i], policy.collision, knownGrid, `collisionOverrides[${i}]`);
      if (!o.ok) return o;
      overrides.push(o.value);
    }
  }
  // The collision rule screens every pair with the widest CPA and the longest TCPA of all levels,
  // looking TCPA ahead along the track within the neighbour index's 12 nm: a vessel faster than
  // (12 − CPA) / TCPA screens nothing. Keep that above any craft in these waters.
  const all = [policy.collision, ...overrides.map((o) => o.levels)].flatMap((l) => [l.warning, l.danger]);
  const cpaNm = Math.max(...all.map((l) => l.cpaNm));
  const tcpaMin = Math.max(...all.map((l) => l.tcpaMin));
  if (!(cpaNm + (SCREENED_KN * tcpaMin) / 60 < MAX_SCREEN_NM))
    return reject('policy.levels', `widest CPA ${cpaNm} nm and longest TCPA ${tcpaMin} min (over every level and override): a vessel at ${SCREENED_KN} kn would look beyond the ${MAX_SCREEN_NM} nm the rule screens (CPA + TCPA × ${SCREENED_KN} kn < ${MAX_SCREEN_NM} nm)`);
  return ok({ policy, collisionOverrides: overrides });
}

/**
 * The lifecycle: `default` merged first; a kind's timing in `byKind` keeps only the fields written
 * for it (the lifecycle takes the rest from `default`), each whole: a kind's `raiseHoldMs` with one
 * level written gets the others from the merged default, not nothing.
 */
function mergeLifecycle(base: LifecyclePolicy, over: unknown): Result<LifecyclePolicy> {
  if (!isRecord(over)) return reject('policy.field', 'lifecycle: expected an object');
  for (const k of Object.keys(over)) if (!k.startsWith('$') && k !== 'default' && k !== 'byKind') return reject('policy.field', `lifecycle.${k}: no such setting`);
  const d = mergeInto(base.default, over.default ?? {}, '.lifecycle.default');
  if (!d.ok) return d;
  const timing = d.value as LifecycleTiming;
  const byKind: Record<string, Partial<LifecycleTiming>> = { ...base.byKind };
  const kinds = over.byKind ?? {};
  if (!isRecord(kinds)) return reject('policy.field', 'lifecycle.byKind: expected an object of alert kinds');
  for (const [kind, v] of Object.entries(kinds)) {
    if (kind.startsWith('$')) continue;
    if (!(ALERT_KINDS as readonly string[]).includes(kind)) return reject('policy.field', `lifecycle.byKind.${kind}: no such alert kind (${ALERT_KINDS.join(', ')})`);
    if (!isRecord(v)) return reject('policy.field', `lifecycle.byKind.${kind}: expected an object`);
    const had = byKind[kind] ?? {};
    const full = mergeInto({ ...timing, ...had }, v, `.lifecycle.byKind.${kind}`);
    if (!full.ok) return full;
    const f = full.value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(had), ...Object.keys(v)])) if (!k.startsWith('$')) out[k] = f[k];
    byKind[kind] = out as Partial<LifecycleTiming>;
  }
  return ok({ default: timing, byKind });
}

/** The bounds the rules hold their numbers to (their constructors would throw at start otherwise). */
function checkRanges(p: AlertPolicy): Result<true> {
  const base = checkLevels(p.collision, 'collision');
  if (!base.ok) return base;
  if (!(p.fleetProximity.regroupNm > p.fleetProximity.clearMarginNm)) return reject('policy.field', 'fleetProximity.regroupNm: must exceed clearMarginNm (else a lone member is never back)');
  if (!(p.fleetProximity.footprintNm < MAX_SCREEN_NM)) return reject('policy.field', `fleetProximity.footprintNm: must be below the ${MAX_SCREEN_NM} nm the fleet rule screens`);
  if (!(p.signalLost.overdueFactor >= 1)) return reject('policy.field', 'signalLost.overdueFactor: must be ≥ 1 (a report is not overdue before its interval)');
  if (!(p.routeDeviation.clearMarginFraction < 1)) return reject('policy.field', 'routeDeviation.clearMarginFraction: must be < 1');
  const fp = p.fleetProximity;
  if (!(p.fleetStraggler.distanceNm > fp.clearMarginNm && fp.regroupNm > 0 && fp.footprintNm > 0 && fp.horizonMin > 0))
    return reject('policy.field', 'fleetProximity: regroupNm, footprintNm, horizonMin > 0 and clearMarginNm below fleetStraggler.distanceNm');
  if (!(p.zones.trawlingSogKn.min <= p.zones.trawlingSogKn.max)) return reject('policy.field', 'zones.trawlingSogKn: min above max');
  return ok(true);
}

function parseOverride(raw: unknown, base: AlertPolicy['collision'], knownGrid: (gridId: string) => boolean, at: string): Result<CollisionOverride> {
  if (!isRecord(raw)) return reject('policy.override', `${at}: expected an object`);
  for (const k of Object.keys(withoutComments(raw))) if (!['gridId', 'shipTypes', 'levels', 'dangerOnly'].includes(k)) return reject('policy.field', `${at}.${k}: no such setting`);
  const { gridId, shipTypes, levels, dangerOnly } = withoutComments(raw);
  if (gridId === undefined && shipTypes === undefined) return reject('policy.override', `${at}: needs gridId or shipTypes`);
  if (gridId !== undefined && (typeof gridId !== 'string' || !knownGrid(gridId))) return reject('policy.override', `${at}.gridId: ${JSON.stringify(gridId)} is no known grid, zone or 渔区`);
  if (shipTypes !== undefined && (!Array.isArray(shipTypes) || shipTypes.length === 0 || !shipTypes.every((t) => Number.isInteger(t) && t >= 0 && t <= 99)))
    return reject('policy.field', `${at}.shipTypes: expected a non-empty array of AIS ship types 0–99`);
  if (dangerOnly !== undefined && typeof dangerOnly !== 'boolean') return reject('policy.field', `${at}.dangerOnly: expected true or false`);
  const merged = mergeInto(base, levels ?? {}, `.${at}.levels`);
  if (!merged.ok) return merged;
  let l = merged.value as unknown as AlertPolicy['collision'];
  // The rule tries danger first, so a warning level equal to it is never the one a pair meets.
  if (dangerOnly === true) l = { warning: l.danger, danger: l.danger };
  const checked = checkLevels(l, `${at}.levels`);
  if (!checked.ok) return checked;
  return ok({
    ...(gridId === undefined ? {} : { gridId: gridId as string }),
    ...(shipTypes === undefined ? {} : { shipTypes: shipTypes as number[] }),
    levels: l,
  });
}

/** Danger stricter than warning on both counts, both levels > 0 (a zero would raise nothing ever). */
function checkLevels(l: AlertPolicy['collision'], at: string): Result<true> {
  at = at.replace(/^\./, '');
  for (const [name, v] of [['warning', l.warning], ['danger', l.danger]] as const) {
    if (!(v.cpaNm > 0) || !(v.tcpaMin > 0)) return reject('policy.levels', `${at}.${name}: cpaNm and tcpaMin must be > 0`);
  }
  if (!(l.danger.cpaNm <= l.warning.cpaNm && l.danger.tcpaMin <= l.warning.tcpaMin)) return reject('policy.levels', `${at}: danger must be stricter than warning on both counts (cpaNm and tcpaMin no larger)`);
  return ok(true);
}

/** `over` on top of `base`, key by key; every leaf a finite number ≥ 0; no key the base lacks (but any field name in a detail tolerance). */
function mergeInto(base: unknown, over: unknown, at: string): Result<unknown> {
  const name = at.replace(/^\./, '');
  if (typeof base === 'number') {
    if (typeof over !== 'number' || !Number.isFinite(over) || over < 0) return reject('policy.field', `${name}: expected a finite number ≥ 0, got ${JSON.stringify(over)}`);
    return ok(over);
  }
  if (!isRecord(over)) return reject('policy.field', `${name === '' ? 'the policy' : name}: expected an object`);
  const b = base as Record<string, unknown>;
  const out: Record<string, unknown> = { ...b };
  const open = at.endsWith('.detailTolerance');
  for (const [k, v] of Object.entries(over)) {
    if (k.startsWith('$')) continue; // a note
    const has = Object.hasOwn(b, k);
    if (!has && !open) return reject('policy.field', `${name === '' ? '' : `${name}.`}${k}: no such setting`);
    const m = mergeInto(has ? b[k] : 0, v, `${at}.${k}`);
    if (!m.ok) return m;
    out[k] = m.value;
  }
  return ok(out);
}

/** Keys starting with `$` are notes (JSON has no comments; `$comment` as in JSON Schema). */
function withoutComments(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('$')));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
