/** Entry of the command map (bundled to dist/client/app.js by `npm run build:client`). */
import { App } from './app.js';
import { setLang } from './i18n.js';
import { LivePicture } from './live.js';
import type { SeaMap } from './map.js';
import { armSound } from './sound.js';
import { render } from './ui.js';
import './app.css';

const live = new LivePicture(location.origin);
let map: SeaMap | undefined;

/** Read-only handle for tests and benches (page state: what is held and drawn). */
declare global {
  interface Window {
    seagrid?: { live: LivePicture; map(): ReturnType<SeaMap['debug']> | undefined; redraw(): void };
  }
}
window.seagrid = { live, map: () => map?.debug(), redraw: () => map?.redraw() };

setLang(new URLSearchParams(location.search).get('lang') === 'en' ? 'en' : 'zh');
armSound();
live.start();
render(<App live={live} base={location.origin} onMap={(m) => (map = m)} />, document.getElementById('app')!);
