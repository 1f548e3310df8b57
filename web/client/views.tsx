/** Grid and fleet views: the occupancy of every grid; each fleet's members as the API serves them. */
import type { FleetView } from '../protocol.js';
import { currentLang, t, withUnit } from './i18n.js';
import type { LivePicture } from './live.js';
import { centreOf, inForceNow, type GridCollection } from './grids.js';
import { useState } from './ui.js';

const LAYERS = ['static', 'control', 'patrol', 'zone'] as const;
const MAX_FLEETS = 150;

export function GridView(props: { grids: GridCollection | null; onFly(lon: number, lat: number, zoom: number): void }) {
  if (props.grids === null) return <div class="empty">…</div>;
  const en = currentLang() === 'en';
  return (
    <div class="grid-view">
      {LAYERS.map((layer) => {
        const fs = props.grids!.features.filter((f) => f.properties.layer === layer);
        if (fs.length === 0) return null;
        const total = fs.reduce((n, f) => n + (f.properties.occupancy ?? 0), 0);
        return (
          <section>
            <div class="h-title">
              {t(`g_${layer}`)} <span class="dim">· {total}</span>
            </div>
            <table class="occupancy">
              <tr>
                <th>{t('grid')}</th>
                <th />
                <th class="num">{t('occupancy')}</th>
              </tr>
              {fs.map((f) => {
                const c = centreOf(f.geometry.coordinates);
                return (
                  <tr class="clickable" data-grid-id={f.properties.id} onClick={() => c !== null && props.onFly(c[0], c[1], 9)}>
                    <td>{f.properties.id}</td>
                    <td>
                      {en ? (f.properties.name_en ?? f.properties.name_zh) : f.properties.name_zh}
                      {f.properties.inForce != null && inForceNow(f) && <span class="tag">{t('inForce')}</span>}
                    </td>
                    <td class="num">{f.properties.occupancy ?? t('none')}</td>
                  </tr>
                );
              })}
            </table>
          </section>
        );
      })}
    </div>
  );
}

/** Fleets with members out of place first. */
function trouble(f: FleetView): number {
  return f.outside.length * 3 + f.missing.length * 2 + f.stale.length;
}

export function FleetViewPanel(props: { fleets: readonly FleetView[]; live: LivePicture; onFly(lon: number, lat: number, zoom: number): void; onVessel(id: string): void }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const q = query.toUpperCase();
  const list = props.fleets.filter((f) => q === '' || f.fleetId.toUpperCase().includes(q)).sort((a, b) => trouble(b) - trouble(a) || a.fleetId.localeCompare(b.fleetId));
  const nameOf = (id: string): string => props.live.directory.get(id)?.name ?? id;
  return (
    <div class="fleet-view">
      <div class="filters">
        <input placeholder={t('fleet')} value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value.trim())} />
      </div>
      <table class="fleets">
        <tr>
          <th>{t('fleet')}</th>
          <th class="num">{t('located')}</th>
          <th class="num">{t('spread')}</th>
          <th class="num">{t('stragglers')}</th>
          <th class="num">{t('stale')}</th>
          <th class="num">{t('missing')}</th>
        </tr>
        {list.slice(0, MAX_FLEETS).map((f) => [
          <tr
            class={`clickable${trouble(f) > 0 ? ' trouble' : ''}`}
            data-fleet-id={f.fleetId}
            onClick={() => {
              setOpen(open === f.fleetId ? null : f.fleetId);
              if (f.centroid !== null) props.onFly(f.centroid.lon, f.centroid.lat, 11);
            }}
          >
            <td>{f.fleetId}</td>
            <td class="num">
              {f.located}/{f.members.length}
            </td>
            <td class="num">{withUnit(f.spreadNm, 'unit_nm')}</td>
            <td class={`num${f.outside.length > 0 ? ' bad' : ''}`}>{f.outside.length}</td>
            <td class={`num${f.stale.length > 0 ? ' warn' : ''}`}>{f.stale.length}</td>
            <td class={`num${f.missing.length > 0 ? ' warn' : ''}`}>{f.missing.length}</td>
          </tr>,
          open === f.fleetId && (
            <tr class="members">
              <td colSpan={6}>
                <div class="dim">
                  {t('leader')}: {f.leader === null ? t('leaderNone') : nameOf(f.leader)}
                </div>
                {f.members.map((id) => {
                  const flag: 'stragglers' | 'missing' | 'stale' | null = f.outside.includes(id) ? 'stragglers' : f.missing.includes(id) ? 'missing' : f.stale.includes(id) ? 'stale' : null;
                  return (
                    <span class={`member${flag !== null ? ` m-${flag}` : ''}`} onClick={() => props.onVessel(id)}>
                      {id === f.leader && '★ '}
                      {nameOf(id)}
                      {flag !== null && ` (${t(flag)})`}
                    </span>
                  );
                })}
              </td>
            </tr>
          ),
        ])}
      </table>
      {list.length > MAX_FLEETS && <div class="more">{t('more', { n: list.length - MAX_FLEETS })}</div>}
    </div>
  );
}
