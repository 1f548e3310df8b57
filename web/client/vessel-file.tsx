/** The vessel file (一船一档): registry, owner, liaison official, fleet, grids, last fixes, track. */
import type { TrackPointView, VesselFileView } from '../protocol.js';
import { ApiError, fetchJson } from './api.js';
import { dateTimeOf, latLon, t, tOr, vesselLabel, withUnit, type MessageKey } from './i18n.js';
import { sourceClass } from './map.js';
import { useEffect, useState } from './ui.js';

const TRACK_POINTS = 500;
const LAST_FIXES = 6;

export function VesselFile(props: { base: string; vesselId: string; onTrack(file: VesselFileView, track: TrackPointView[]): void; onClose(): void }) {
  const [file, setFile] = useState<VesselFileView | null>(null);
  const [track, setTrack] = useState<TrackPointView[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    setFile(null);
    setTrack([]);
    setError(null);
    const id = encodeURIComponent(props.vesselId);
    Promise.all([
      fetchJson<VesselFileView>(`${props.base}/api/vessels/${id}`),
      fetchJson<TrackPointView[]>(`${props.base}/api/vessels/${id}/track?maxPoints=${TRACK_POINTS}`).catch(() => [] as TrackPointView[]),
    ])
      .then(([f, tr]) => {
        if (gone) return;
        setFile(f);
        setTrack(tr);
        props.onTrack(f, tr);
      })
      .catch((e: unknown) => !gone && setError(e instanceof ApiError ? e.code : String(e)));
    return () => {
      gone = true;
    };
  }, [props.vesselId]);

  const row = (k: MessageKey, v: string | number | null | undefined) => (
    <tr>
      <th>{t(k)}</th>
      <td>{v === null || v === undefined || v === '' ? t('none') : v}</td>
    </tr>
  );
  const phone = (name: string | null, tel: string | null): string | null => (name === null ? null : tel === null ? name : `${name}  ${tel}`);

  return (
    <div class="vessel-file" data-vessel-id={props.vesselId}>
      <div class="vf-head">
        <span class="vf-title">
          {t('vesselFile')} · {vesselLabel(file?.name, props.vesselId)}
        </span>
        <button class="close" onClick={props.onClose} aria-label={t('close')}>
          ×
        </button>
      </div>
      {error !== null && <div class="error">{error}</div>}
      {file !== null && (
        <div class="vf-body">
          <table>
            {row('f_name', file.name)}
            {row('f_registryNo', file.registryNo)}
            {row('f_mmsi', file.mmsi)}
            {row('f_beidou', file.beidouCard)}
            {row('f_callsign', file.callsign)}
            {row('f_gear', file.gear === null ? null : tOr('gear_', file.gear))}
            {row('f_length', file.lengthM === null ? null : withUnit(file.lengthM, 'unit_m'))}
            {row('f_homePort', file.homePort)}
            {row('f_owner', phone(file.owner, file.ownerPhone))}
            {row('f_liaison', phone(file.liaison, file.liaisonPhone))}
            {row('f_fleet', file.fleetId === null ? null : file.fleetLeader === null ? file.fleetId : `${file.fleetId} · ${t('leader')}: ${file.fleetLeader === file.vesselId ? t('leaderSelf') : file.fleetLeader}`)}
            {row('f_grids', [...file.grids.static, ...file.grids.control, ...file.grids.patrol, file.grids.fishingZone ?? ''].filter((x) => x !== '').join(' · '))}
            {row('f_zones', file.grids.zones.join(' · '))}
            {row('f_position', latLon(file.lat, file.lon))}
            {row('f_speed', withUnit(file.sogKn, 'unit_kn'))}
            {row('f_course', withUnit(file.cogDeg, 'unit_deg', 0))}
            {row('f_heading', withUnit(file.headingDeg, 'unit_deg', 0))}
            {row('f_at', dateTimeOf(file.at))}
            {row('f_source', t(`src_${sourceClass(file)}`))}
            {row('f_lastAis', file.lastAisAt === null ? null : dateTimeOf(file.lastAisAt))}
            {row('f_lastBeidou', file.lastBeidouAt === null ? null : dateTimeOf(file.lastBeidouAt))}
          </table>
          <div class="h-title">{t('lastFixes')}</div>
          <table class="fixes">
            {track
              .slice(-LAST_FIXES)
              .reverse()
              .map((p) => (
                <tr>
                  <td>{dateTimeOf(p.at)}</td>
                  <td>{t(`src_${p.source}`)}</td>
                  <td>{latLon(p.lat, p.lon)}</td>
                  <td>{withUnit(p.sogKn, 'unit_kn')}</td>
                </tr>
              ))}
          </table>
          <div class="dim">{t('track', { n: track.length })}</div>
        </div>
      )}
    </div>
  );
}
