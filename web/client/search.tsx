/** Find a vessel by Chinese name, MMSI or BeiDou card among every vessel the console has heard of (also outside a subscribed area). */
import type { VesselView } from '../protocol.js';
import { t, vesselLabel } from './i18n.js';
import type { LivePicture } from './live.js';
import { useState } from './ui.js';

const MAX_HITS = 12;

/** Name containing the text, or MMSI / BeiDou card / vessel id starting with it. */
export function searchVessels(vessels: Iterable<VesselView>, text: string, max = MAX_HITS): VesselView[] {
  const q = text.trim();
  if (q === '') return [];
  const hits: VesselView[] = [];
  for (const v of vessels) {
    if ((v.name !== null && v.name.includes(q)) || (v.mmsi !== null && String(v.mmsi).startsWith(q)) || (v.beidouCard !== null && v.beidouCard.startsWith(q)) || v.vesselId.startsWith(q)) {
      hits.push(v);
      if (hits.length >= max) break;
    }
  }
  return hits;
}

export function Search(props: { live: LivePicture; onPick(v: VesselView): void }) {
  const [text, setText] = useState('');
  const hits = searchVessels(props.live.directory.values(), text);
  return (
    <div class="search">
      <input type="search" placeholder={t('search')} value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
      {text.trim() !== '' && (
        <ul class="hits">
          {hits.length === 0 && <li class="dim">{t('noMatch')}</li>}
          {hits.map((v) => (
            <li
              class="clickable"
              onClick={() => {
                setText('');
                props.onPick(v);
              }}
            >
              <b>{vesselLabel(v.name, v.vesselId)}</b> <span class="dim">{v.mmsi ?? ''} {v.beidouCard !== null ? `BD ${v.beidouCard}` : ''}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
