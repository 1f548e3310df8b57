/**
 * The one message catalogue of the map: every label, unit and time on screen goes through here.
 * zh-CN first (the watch floor's language), English switchable. Times are shown in Beijing time
 * (Asia/Shanghai); the API stays in UTC.
 */
export type Lang = 'zh' | 'en';

const zh = {
  title: '舟山海域船舶态势',
  lang: 'English',
  beijingTime: '北京时间',
  vessels: '船舶',
  inView: '视野内',
  openAlerts: '未结告警',
  conn_live: '实时推送',
  conn_poll: '轮询',
  conn_down: '连接中断',
  search: '搜索船名 / MMSI / 北斗卡号',
  noMatch: '无匹配船舶',
  tab_alerts: '告警',
  tab_grids: '网格',
  tab_fleets: '编组',
  src_ais: 'AIS',
  src_beidou: '北斗',
  src_both: 'AIS+北斗',
  stale: '信号陈旧',
  sev_danger: '危险',
  sev_warning: '警告',
  sev_info: '提示',
  state_raised: '待处理',
  state_acknowledged: '已确认',
  state_assigned: '已指派',
  state_resolved: '已解除',
  kind_collision: '碰撞风险',
  'kind_route-deviation': '偏离航线',
  'kind_fleet-straggler': '脱离编组',
  'kind_fleet-proximity': '外船靠近编组',
  'kind_signal-lost': '信号丢失',
  kind_zone: '区域违规',
  allKinds: '全部类型',
  condLabel: '告警条件',
  pairLabel: '涉及船舶',
  pairAll: '全部船舶',
  pairOthers: '非同编组 {n}',
  pairMates: '同编组 {n}',
  resolveClearedAsk: '解除这 {n} 条已消失的告警…',
  resolveClearedConfirm: '确认解除 {n} 条',
  resolvedCleared: '已解除 {n} 条（跳过 {skipped} 条）',
  cancel: '取消',
  condAll: '全部 {n}',
  condActive: '进行中 {n}',
  condCleared: '已消失 {n}',
  filterFleet: '编组',
  filterGrid: '网格',
  cleared: '条件已消失',
  acknowledge: '确认',
  assign: '指派',
  resolve: '解除',
  evidencePack: '下载证据包',
  note: '备注',
  assignee: '人员或 team:网格',
  history: '处置记录',
  actor: '操作人',
  act_raise: '产生',
  act_update: '更新',
  act_acknowledge: '确认',
  act_assign: '指派',
  act_resolve: '解除',
  act_dispatch: '派遣救援',
  act_arrive: '救援到场',
  respondersSent: '已派遣',
  respondersOffered: '可救援船舶（按到达时间）',
  noResponders: '附近无可派遣船舶',
  role_patrol: '执法艇',
  'role_fleet-mate': '同编组',
  role_nearby: '附近渔船',
  eta: '{nm} 海里 · 约 {min} 分钟',
  closing: '在途 · 距现场 {nm} 海里 · 约 {min} 分钟',
  enRoute: '在途',
  arrivedAt: '{time} 到场',
  dispatch: '派遣',
  more: '另有 {n} 条',
  noAlerts: '无未结告警',
  ago_s: '{n} 秒前',
  ago_m: '{n} 分钟前',
  ago_h: '{n} 小时前',
  cpa: '最近会遇距离 {cpa} 海里，{tcpa} 分钟后',
  offRoute: '偏离航线 {n} 海里',
  fromCentroid: '距编组中心 {n} 海里',
  actionFailed: '操作失败：{code}',
  vesselFile: '一船一档',
  close: '关闭',
  f_name: '船名',
  f_mmsi: 'MMSI',
  f_beidou: '北斗卡号',
  f_registryNo: '渔船编号',
  f_callsign: '呼号',
  f_gear: '作业方式',
  // The registry's gear codes (the simulator's and a registry file's usual ones); others show as written.
  'gear_pair-trawl': '双船拖网',
  'gear_single-trawl': '单船拖网',
  'gear_beam-trawl': '桁杆拖网',
  gear_gillnet: '刺网',
  'gear_stow-net': '张网',
  'gear_purse-seine': '围网',
  f_length: '船长',
  f_homePort: '船籍港',
  f_owner: '船东',
  f_liaison: '联系干部（定人联船）',
  f_fleet: '编组',
  f_grids: '所在网格',
  f_zones: '所在区域',
  f_position: '位置',
  f_speed: '航速',
  f_course: '航向',
  f_heading: '艏向',
  f_at: '定位时间',
  f_source: '来源',
  f_lastAis: '最近 AIS',
  f_lastBeidou: '最近北斗',
  lastFixes: '最近定位',
  track: '航迹（{n} 点）',
  g_static: '静态网格',
  g_control: '管控网格',
  g_patrol: '巡查网格',
  g_zone: '区域',
  g_fishingZone: '渔区',
  grid: '网格',
  occupancy: '船数',
  inForce: '生效中',
  fleet: '编组',
  members: '成员',
  located: '在位',
  spread: '散布',
  stragglers: '脱编',
  missing: '未收到',
  leader: '长船',
  leaderNone: '登记未指定',
  leaderSelf: '本船',
  unit_nm: '海里',
  unit_kn: '节',
  unit_m: '米',
  unit_deg: '°',
  mode_live: '实时态势',
  mode_replay: '航迹回放',
  replay_title: '航迹回放',
  rp_vessels: '指定船舶',
  rp_fleet: '编组',
  rp_grid: '网格',
  rp_ids: 'MMSI / bd北斗卡号，逗号分隔',
  rp_gridId: '网格编号',
  rp_from: '开始（北京时间）',
  rp_to: '结束（北京时间）',
  rp_load: '载入回放',
  rp_loading: '载入中…',
  rp_failed: '回放载入失败：{code}',
  rp_play: '播放',
  rp_pause: '暂停',
  rp_speed: '倍速',
  rp_summary: '{n} 艘船，{fixes} 个定位点，保留 {points} 个（保留拐点，误差不超过 {tol} 米）',
  rp_empty: '此时段无航迹',
  rp_cut: '进出网格事件过多，仅列前 {n} 条',
  rp_vesselsCut: '船舶过多：仅回放按编号前 {max} 艘，另有 {n} 艘未回放',
  rp_events: '时间轴',
  rp_noEvents: '此时段无告警，无进出网格',
  rp_enter: '{vessel} 进入 {grid}',
  rp_exit: '{vessel} 驶出 {grid}',
  none: '—',
  newDanger: '新危险告警',
  ownDispatched: '本编组船 {names} 已派往此警情',
  liaisonOf: '{vessel} 联船干部：{name} {phone}',
  supervision: '全链监督',
  reports: '统计报表',
  rep_days: '近 {n} 天',
  rep_vessels: '在场船舶',
  rep_hoursAtSea: '海上时长（小时）',
  rep_distanceNm: '航程（海里）',
  rep_moratoriumHours: '伏休区内时长（小时）',
  rep_alerts: '告警数',
  rep_byDay: '逐日',
  rep_day: '日期',
  rep_kinds: '告警类型',
  rep_csv: '下载 CSV',
  rep_summary: '{from} 至 {to}（北京时间日）共 {n} 行',
  rep_none: '该时段无数据',
  rep_note: '每日按北京时间计；航迹按每分钟末次定位点计算，间隔超过 10 分钟按 10 分钟计，隐含航速超过 60 节的跳变不计航程；伏休区时长只计休渔期内。当天数据随时更新。',
  sup_1h: '近 1 小时',
  sup_24h: '近 24 小时',
  sup_7d: '近 7 天',
  sup_30d: '近 30 天',
  sup_byGrid: '按网格',
  sup_byFleet: '按编组',
  sup_summary: '{from} 至 {to}（北京时间）共产生告警 {n} 条',
  sup_alerts: '告警',
  sup_acknowledged: '已响应',
  sup_dispatched: '已派遣',
  sup_resolved: '已解除',
  sup_toAck: '响应用时',
  sup_toDispatch: '派遣用时',
  sup_toArrival: '到场用时',
  sup_toResolve: '解除用时',
  sup_medians: '用时自告警产生起算，分组内取中位数；未到该环节的告警不计入。',
  sup_perAlert: '逐条告警',
  sup_raised: '产生时间',
  sup_kind: '类型',
  sup_where: '网格 · 编组',
  sup_none: '该时段无告警',
  dur_s: '{s} 秒',
  dur_ms: '{m} 分 {s} 秒',
  dur_hm: '{h} 小时 {m} 分',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  title: 'Zhoushan sea picture',
  lang: '中文',
  beijingTime: 'Beijing time',
  vessels: 'Vessels',
  inView: 'in view',
  openAlerts: 'Open alerts',
  conn_live: 'live',
  conn_poll: 'polling',
  conn_down: 'disconnected',
  search: 'Search name / MMSI / BeiDou card',
  noMatch: 'No vessel matches',
  tab_alerts: 'Alerts',
  tab_grids: 'Grids',
  tab_fleets: 'Fleets',
  src_ais: 'AIS',
  src_beidou: 'BeiDou',
  src_both: 'AIS+BeiDou',
  stale: 'Stale',
  sev_danger: 'Danger',
  sev_warning: 'Warning',
  sev_info: 'Info',
  state_raised: 'raised',
  state_acknowledged: 'acknowledged',
  state_assigned: 'assigned',
  state_resolved: 'resolved',
  kind_collision: 'Collision risk',
  'kind_route-deviation': 'Off route',
  'kind_fleet-straggler': 'Fleet straggler',
  'kind_fleet-proximity': 'Stranger near fleet',
  'kind_signal-lost': 'Signal lost',
  kind_zone: 'Zone breach',
  allKinds: 'All kinds',
  condLabel: 'Condition',
  pairLabel: 'Vessels concerned',
  pairAll: 'All vessels',
  pairOthers: 'Others {n}',
  pairMates: 'Fleet mates {n}',
  resolveClearedAsk: 'Resolve these {n} cleared alerts…',
  resolveClearedConfirm: 'Resolve {n}',
  resolvedCleared: 'Resolved {n} ({skipped} skipped)',
  cancel: 'Cancel',
  condAll: 'All {n}',
  condActive: 'Present {n}',
  condCleared: 'Gone {n}',
  filterFleet: 'Fleet',
  filterGrid: 'Grid',
  cleared: 'condition gone',
  acknowledge: 'Acknowledge',
  assign: 'Assign',
  resolve: 'Resolve',
  evidencePack: 'Download evidence pack',
  note: 'Note',
  assignee: 'Person or team:grid',
  history: 'History',
  actor: 'by',
  act_raise: 'raised',
  act_update: 'updated',
  act_acknowledge: 'acknowledged',
  act_assign: 'assigned',
  act_resolve: 'resolved',
  act_dispatch: 'responders sent',
  act_arrive: 'responder on scene',
  respondersSent: 'Sent',
  respondersOffered: 'Who can help (soonest first)',
  noResponders: 'No vessel nearby to send',
  role_patrol: 'patrol',
  'role_fleet-mate': 'fleet-mate',
  role_nearby: 'nearby',
  eta: '{nm} nm · about {min} min',
  closing: 'on the way · {nm} nm to go · about {min} min',
  enRoute: 'on the way',
  arrivedAt: 'on scene {time}',
  dispatch: 'Send',
  more: '{n} more',
  noAlerts: 'No open alerts',
  ago_s: '{n} s ago',
  ago_m: '{n} min ago',
  ago_h: '{n} h ago',
  cpa: 'CPA {cpa} nm in {tcpa} min',
  offRoute: '{n} nm off route',
  fromCentroid: '{n} nm from fleet centre',
  actionFailed: 'Action failed: {code}',
  vesselFile: 'Vessel file',
  close: 'Close',
  f_name: 'Name',
  f_mmsi: 'MMSI',
  f_beidou: 'BeiDou card',
  f_registryNo: 'Registry no.',
  f_callsign: 'Call sign',
  f_gear: 'Gear',
  'gear_pair-trawl': 'Pair trawl',
  'gear_single-trawl': 'Single trawl',
  'gear_beam-trawl': 'Beam trawl',
  gear_gillnet: 'Gillnet',
  'gear_stow-net': 'Stow net',
  'gear_purse-seine': 'Purse seine',
  f_length: 'Length',
  f_homePort: 'Home port',
  f_owner: 'Owner',
  f_liaison: 'Liaison official',
  f_fleet: 'Fleet',
  f_grids: 'Grids',
  f_zones: 'Zones',
  f_position: 'Position',
  f_speed: 'Speed',
  f_course: 'Course',
  f_heading: 'Heading',
  f_at: 'Fix time',
  f_source: 'Source',
  f_lastAis: 'Last AIS',
  f_lastBeidou: 'Last BeiDou',
  lastFixes: 'Last fixes',
  track: 'Track ({n} {n|point|points})',
  g_static: 'Static grids',
  g_control: 'Control grids',
  g_patrol: 'Patrol grids',
  g_zone: 'Zones',
  g_fishingZone: 'Fishing zone',
  grid: 'Grid',
  occupancy: 'Vessels',
  inForce: 'in force',
  fleet: 'Fleet',
  members: 'Members',
  located: 'Located',
  spread: 'Spread',
  stragglers: 'Outside',
  missing: 'Missing',
  leader: 'leader',
  leaderNone: 'none in the registry',
  leaderSelf: 'this vessel',
  unit_nm: 'nm',
  unit_kn: 'kn',
  unit_m: 'm',
  unit_deg: '°',
  mode_live: 'Live picture',
  mode_replay: 'Voyage replay',
  replay_title: 'Voyage replay',
  rp_vessels: 'Vessels',
  rp_fleet: 'Fleet',
  rp_grid: 'Grid',
  rp_ids: 'MMSI / bd card, comma-separated',
  rp_gridId: 'Grid id',
  rp_from: 'From (Beijing time)',
  rp_to: 'To (Beijing time)',
  rp_load: 'Load replay',
  rp_loading: 'Loading…',
  rp_failed: 'Replay failed: {code}',
  rp_play: 'Play',
  rp_pause: 'Pause',
  rp_speed: 'Speed',
  rp_summary: '{n} {n|vessel|vessels}, {fixes} {fixes|fix|fixes}, {points} kept (turns kept, within {tol} m)',
  rp_empty: 'No tracks in this window',
  rp_cut: 'Too many grid crossings: the first {n} listed',
  rp_vesselsCut: 'Too many vessels: the first {max} by id are played, {n} more are not',
  rp_events: 'Timeline',
  rp_noEvents: 'No alerts and no grid crossings in this window',
  rp_enter: '{vessel} entered {grid}',
  rp_exit: '{vessel} left {grid}',
  none: '—',
  newDanger: 'New danger alert',
  ownDispatched: 'Your vessel {names} is dispatched here',
  liaisonOf: '{vessel} liaison official: {name} {phone}',
  supervision: 'Supervision',
  reports: 'Reports',
  rep_days: 'last {n} {n|day|days}',
  rep_vessels: 'Vessels present',
  rep_hoursAtSea: 'Hours at sea',
  rep_distanceNm: 'Distance (nm)',
  rep_moratoriumHours: 'Hours in moratorium zones',
  rep_alerts: 'Alerts',
  rep_byDay: 'by day',
  rep_day: 'Day',
  rep_kinds: 'Alert kinds',
  rep_csv: 'Download CSV',
  rep_summary: '{from} to {to} (Beijing days): {n} {n|row|rows}',
  rep_none: 'No data in this period',
  rep_note: 'Days are Beijing days; tracks as each minute\'s last fix, a gap over 10 min counts 10 min, steps implying over 60 kn are left out of the distance; moratorium time only while the moratorium is in force. Today\'s figures keep changing.',
  sup_1h: 'last hour',
  sup_24h: 'last 24 h',
  sup_7d: 'last 7 days',
  sup_30d: 'last 30 days',
  sup_byGrid: 'by grid',
  sup_byFleet: 'by fleet',
  sup_summary: '{n} {n|alert|alerts} raised {from} – {to} (Beijing time)',
  sup_alerts: 'Alerts',
  sup_acknowledged: 'Handled',
  sup_dispatched: 'Dispatched',
  sup_resolved: 'Resolved',
  sup_toAck: 'To acknowledge',
  sup_toDispatch: 'To dispatch',
  sup_toArrival: 'To arrival',
  sup_toResolve: 'To resolve',
  sup_medians: 'Times from the raise; per group the median over the alerts that reached the step.',
  sup_perAlert: 'Each alert',
  sup_raised: 'Raised',
  sup_kind: 'Kind',
  sup_where: 'Grid · fleet',
  sup_none: 'No alerts in this period',
  dur_s: '{s} s',
  dur_ms: '{m} min {s} s',
  dur_hm: '{h} h {m} min',
};

const CATALOGUE: Record<Lang, Record<MessageKey, string>> = { zh, en };

let lang: Lang = 'zh';
const listeners = new Set<() => void>();

export function currentLang(): Lang {
  return lang;
}

export function setLang(l: Lang): void {
  lang = l;
  if (typeof document !== 'undefined') document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  for (const f of listeners) f();
}

export function onLangChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** English plural categories (zh-CN has no plural: its messages carry no `{n|…}`). */
const PLURAL = new Intl.PluralRules('en');

/**
 * A message with `{name}` placeholders filled; `{name|one|other}` is the word for the count in
 * `name` ("1 alert", "2 alerts"), chosen by the language's plural rules.
 */
export function t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string {
  const text = CATALOGUE[lang][key];
  if (params === undefined) return text;
  return text
    .replace(/\{(\w+)\|([^|}]*)\|([^|}]*)\}/g, (m, k: string, one: string, other: string) => {
      const v = params[k];
      if (v === undefined) return m;
      // A count may come formatted ("1,234").
      return PLURAL.select(typeof v === 'number' ? v : Number(v.replace(/,/g, ''))) === 'one' ? one : other;
    })
    .replace(/\{(\w+)\}/g, (m, k: string) => (params[k] === undefined ? m : String(params[k])));
}

/** A message whose key is built from data (alert kind, state…); the raw value when the catalogue lacks it. */
export function tOr(prefix: string, value: string): string {
  const key = `${prefix}${value}`;
  return key in zh ? t(key as MessageKey) : value;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function fmt(kind: 'time' | 'dateTime'): Intl.DateTimeFormat {
  const key = `${lang}:${kind}`;
  let f = formats.get(key);
  if (f === undefined) {
    // English with the month's name: 03/12 reads as 12 March to half the world.
    const date = lang === 'zh' ? ({ month: '2-digit', day: '2-digit' } as const) : ({ month: 'short', day: 'numeric' } as const);
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      hour12: false,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      ...(kind === 'dateTime' ? date : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/** Clock time in Beijing (HH:MM:SS). */
export function timeOf(iso: string | number): string {
  return fmt('time').format(new Date(iso));
}

/** Date and time in Beijing: 12/03 19:42:05 (zh-CN, month first), 3 Dec 19:42:05 (English). */
export function dateTimeOf(iso: string | number): string {
  const f = fmt('dateTime');
  if (lang === 'zh') return f.format(new Date(iso));
  // From the parts: the literal between date and time differs between ICU versions (", " or " ").
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(new Date(iso))) p[type] = value;
  return `${p.day} ${p.month} ${p.hour}:${p.minute}:${p.second}`;
}

/** "3 min ago" from an ISO time and now (ms). */
export function ago(iso: string, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (s < 60) return t('ago_s', { n: s });
  if (s < 3600) return t('ago_m', { n: Math.floor(s / 60) });
  return t('ago_h', { n: Math.floor(s / 3600) });
}

/** A span of seconds as a person reads it (seconds rounded); `—` for none. */
export function durationOf(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return t('none');
  const s = Math.round(seconds);
  if (s < 60) return t('dur_s', { s });
  if (s < 3600) return t('dur_ms', { m: Math.floor(s / 60), s: s % 60 });
  return t('dur_hm', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
}

/** A number with a unit from the catalogue; `—` when absent. */
export function withUnit(v: number | null | undefined, unit: 'unit_nm' | 'unit_kn' | 'unit_m' | 'unit_deg', digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return t('none');
  return unit === 'unit_deg' ? `${v.toFixed(digits)}${t(unit)}` : `${v.toFixed(digits)} ${t(unit)}`;
}

/**
 * A vessel as a person reads it: its name, else its identity said as what it is ("MMSI 412345678",
 * "北斗卡号 1234567") — a bare number on the chart tells a watch officer nothing.
 */
export function vesselLabel(name: string | null | undefined, vesselId: string): string {
  if (name !== null && name !== undefined && name !== '') return name;
  // The identity rule (docs/CONTRACTS.md): the MMSI as 9 digits, else `bd{card}`.
  if (/^\d{9}$/.test(vesselId)) return `${t('f_mmsi')} ${vesselId}`;
  if (vesselId.startsWith('bd')) return `${t('f_beidou')} ${vesselId.slice(2)}`;
  return vesselId;
}

/** Degrees and decimal minutes, as charts and radios give a position. */
export function latLon(lat: number, lon: number): string {
  const part = (v: number, pos: string, neg: string, w: number): string => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    return `${String(d).padStart(w, '0')}°${((a - d) * 60).toFixed(3).padStart(6, '0')}′${v >= 0 ? pos : neg}`;
  };
  return `${part(lat, 'N', 'S', 2)} ${part(lon, 'E', 'W', 3)}`;
}
