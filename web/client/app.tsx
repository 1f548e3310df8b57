/** The console: the chart, the header with counts and clock, the side panel (alerts, grids, fleets), the vessel file. */
import type { AlertView, FleetView, VesselView } from '../protocol.js';
import { AlertPanel } from './alert-panel.js';
import { isActive } from './alert-order.js';
import { fetchJson, fetchMe, type Me } from './api.js';
import { currentLang, setLang, t, timeOf } from './i18n.js';
import { loadLand } from './land.js';
import type { LivePicture } from './live.js';
import type { GridCollection } from './grids.js';
import { COLOURS, SeaMap } from './map.js';
import { Search } from './search.js';
import { ReplayBar, ReplayController, ReplayPanel } from './replay.js';
import { SupervisionPage } from './supervision.js';
import { ReportsPage } from './reports.js';
import { beep } from './sound.js';
import { useEffect, useLang, useMemo, useRef, useState, useSubscription, useTick } from './ui.js';
import { areaFor } from './viewport.js';
import { VesselFile } from './vessel-file.js';
import { FleetViewPanel, GridView } from './views.js';

/** Grids' occupancy and fleets change slowly: read them this often. */
const SLOW_REFRESH_MS = 10_000;
/** The view must rest this long before the console asks for another area's vessels (ms). */
const VIEW_REST_MS = 400;
/** How long a new danger alert flashes in the panel. */
const FLASH_MS = 10_000;

type Tab = 'alerts' | 'grids' | 'fleets';

const css = (c: readonly number[]): string => `rgba(${c[0]},${c[1]},${c[2]},${(c[3] ?? 255) / 255})`;

export function App(props: { live: LivePicture; base: string; onMap(m: SeaMap): void }) {
  const { live, base } = props;
  useLang();
  const version = useSubscription(live.subscribe);
  useTick(1000);
  const mapEl = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<SeaMap | null>(null);
  const [tab, setTab] = useState<Tab>('alerts');
  const [selected, setSelected] = useState<string | null>(null);
  const [grids, setGrids] = useState<GridCollection | null>(null);
  const [fleets, setFleets] = useState<readonly FleetView[]>([]);
  const [flash, setFlash] = useState<ReadonlySet<string>>(new Set());
  const [alarm, setAlarm] = useState(false);
  // Live and replay are two modes of the one chart (replay.tsx).
  const [mode, setMode] = useState<'live' | 'replay'>(location.hash === '#replay' ? 'replay' : 'live');
  const replay = useMemo(() => new ReplayController(base), []);
  // Who is signed in: the console offers only what his role may do (the server refuses the rest).
  const [me, setMe] = useState<Me | null>(null);
  const [supervising, setSupervising] = useState(location.hash === '#supervision');
  const [reporting, setReporting] = useState(location.hash === '#reports');

  useEffect(() => {
    fetchMe(base)
      .then(setMe)
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    // The area to hold vessels for (viewport.ts), asked once the view has rested a moment.
    let viewTimer: number | undefined;
    const onViewChange = (): void => {
      clearTimeout(viewTimer);
      viewTimer = window.setTimeout(() => {
        const v = m.visible();
        if (v !== null) live.watchArea(areaFor(v.bbox, v.zoom, live.area()));
      }, VIEW_REST_MS);
    };
    const m = new SeaMap(mapEl.current!, { onVesselClick: (id) => setSelected(id), onViewChange });
    setMap(m);
    props.onMap(m);
    loadLand()
      .then((p) => m.setLand(p))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (map === null) return;
    let stop = false;
    const read = async (): Promise<void> => {
      const [g, f] = await Promise.all([fetchJson<GridCollection>(`${base}/api/grids`).catch(() => null), fetchJson<FleetView[]>(`${base}/api/fleets`).catch(() => null)]);
      if (stop) return;
      if (g !== null) {
        setGrids(g);
        map.setGrids(g);
      }
      if (f !== null) {
        setFleets(f);
        map.setFleets(f);
      }
    };
    void read();
    const id = setInterval(() => void read(), SLOW_REFRESH_MS);
    return () => {
      stop = true;
      clearInterval(id);
    };
  }, [map]);

  useEffect(() => replay.attach(map, mode === 'replay'), [map, mode]);

  // The live picture to the chart, and the cue for new danger alerts.
  useEffect(() => {
    if (map === null) return;
    map.setPicture([...live.vessels.values()], live.alerts.values(), (v) => live.isStale(v));
    const fresh = live.newAlerts.splice(0).filter((a) => a.severity === 'danger');
    if (fresh.length > 0) {
      beep();
      setAlarm(true);
      setFlash((s) => new Set([...s, ...fresh.map((a) => a.id)]));
      setTimeout(() => {
        setAlarm(false);
        setFlash((s) => new Set([...s].filter((id) => !fresh.some((a) => a.id === id))));
      }, FLASH_MS);
    }
  }, [version, map]);

  const focusVessel = (v: VesselView): void => {
    setSelected(v.vesselId);
    map?.flyTo(v.lon, v.lat, 12);
  };
  const focusAlert = (a: AlertView): void => {
    const meet = a.details['meetingPoint'] as { lat: number; lon: number } | undefined;
    const vs = a.vesselIds.map((id) => live.vessels.get(id)).filter((v): v is VesselView => v !== undefined);
    map?.focus(a.vesselIds);
    if (meet !== undefined) map?.flyTo(meet.lon, meet.lat, 12);
    else if (vs[0] !== undefined) map?.flyTo(vs[0].lon, vs[0].lat, 12);
  };

  // Counted among alerts whose condition is still there (a cleared danger waits for resolution, not action).
  let active = 0;
  let danger = 0;
  for (const a of live.alerts.values()) {
    if (!isActive(a)) continue;
    active++;
    if (a.severity === 'danger') danger++;
  }

  return (
    <div class={`console${alarm ? ' alarm' : ''}`}>
      <header>
        <h1>{t('title')}</h1>
        <span class="stat">
          {t('vessels')} <b data-testid="vessel-count">{live.vessels.size}</b>
          {live.areaOnly && <span class="dim"> ({t('inView')})</span>}
        </span>
        <span class="stat">
          {t('openAlerts')} <b>{live.alerts.size}</b>
          <span class="dim"> · {t('condActive', { n: active })}</span>
          {danger > 0 && <b class="danger-count"> · {t('sev_danger')} {danger}</b>}
        </span>
        <span class={`conn conn-${live.connection}`}>● {t(`conn_${live.connection}`)}</span>
        <Search live={live} onPick={focusVessel} />
        <span class="clock">
          {timeOf(Date.now())} {t('beijingTime')}
        </span>
        {me !== null && me.role !== 'liaison' && (
          <button class="open-supervision" onClick={() => setSupervising(!supervising)}>
            {t('supervision')}
          </button>
        )}
        {me !== null && me.role !== 'liaison' && (
          <button class="open-reports" onClick={() => setReporting(!reporting)}>
            {t('reports')}
          </button>
        )}
        <button class="mode" data-mode={mode} onClick={() => setMode(mode === 'live' ? 'replay' : 'live')}>
          {t(mode === 'live' ? 'mode_replay' : 'mode_live')}
        </button>
        <button class="lang" onClick={() => setLang(currentLang() === 'zh' ? 'en' : 'zh')}>
          {t('lang')}
        </button>
      </header>
      <main>
        <div class="map" ref={mapEl}>
          <div class="legend">
            {(['both', 'ais', 'beidou'] as const).map((k) => (
              <span>
                <i style={{ background: css(COLOURS[k]) }} />
                {t(`src_${k}`)}
              </span>
            ))}
            <span>
              <i style={{ background: css(COLOURS.both), opacity: 0.35 }} />
              {t('stale')}
            </span>
            <span>
              <i class="alerting" style={{ background: css(COLOURS.danger) }} />
              {t('sev_danger')}
            </span>
            <span>
              <i class="alerting" style={{ background: css(COLOURS.warning) }} />
              {t('sev_warning')}
            </span>
          </div>
          {supervising && <SupervisionPage base={base} onClose={() => setSupervising(false)} />}
          {reporting && <ReportsPage base={base} onClose={() => setReporting(false)} />}
          {mode === 'replay' && <ReplayBar ctl={replay} />}
          {selected !== null && (
            <VesselFile
              base={base}
              vesselId={selected}
              onTrack={(f, tr) => map?.select(f, tr)}
              onClose={() => {
                setSelected(null);
                map?.select(null);
              }}
            />
          )}
        </div>
        <aside>
          {mode === 'replay' && (
            <div class="panel">
              <ReplayPanel ctl={replay} fleets={fleets} grids={grids} />
            </div>
          )}
          {mode === 'live' && <nav class="tabs">
            {(['alerts', 'grids', 'fleets'] as const).map((k) => (
              <button class={tab === k ? 'active' : ''} data-tab={k} onClick={() => setTab(k)}>
                {t(`tab_${k}`)}
                {k === 'alerts' && ` (${live.alerts.size})`}
              </button>
            ))}
          </nav>}
          {/* One panel per tab (key): each opens at its top, not at the last tab's scroll. */}
          {mode === 'live' && <div class="panel" key={tab}>
            {tab === 'alerts' && <AlertPanel live={live} base={base} me={me} flashIds={flash} onFocus={focusAlert} />}
            {tab === 'grids' && <GridView grids={grids} onFly={(lon, lat, z) => map?.flyTo(lon, lat, z)} />}
            {tab === 'fleets' && <FleetViewPanel fleets={fleets} live={live} onFly={(lon, lat, z) => map?.flyTo(lon, lat, z)} onVessel={(id) => setSelected(id)} />}
          </div>}
        </aside>
      </main>
    </div>
  );
}
