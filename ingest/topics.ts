/**
 * The MQTT topics seagrid reads, in one place: the filters it subscribes to and the parser that
 * tells a frame's origin from its topic. Both come from one table, so a feed the parser accepts is
 * always one the source subscribes to (the `bds/raw/` feed once was parsed but never subscribed).
 */

/** Where a topic's lines come from: an AIS receiver, or a BeiDou terminal (its card). */
export type TopicOrigin = { readonly kind: 'ais'; readonly receiver: string } | { readonly kind: 'beidou'; readonly card: string };

interface TopicRoot {
  /** Topic level(s) before the receiver or card, with the trailing slash. */
  readonly root: string;
  readonly kind: TopicOrigin['kind'];
}

const ROOTS: readonly TopicRoot[] = [
  { root: 'ais/raw/', kind: 'ais' },
  { root: 'beidou/raw/', kind: 'beidou' },
  // The spelling of the Zhoushan gateway's sample feed (fixtures/geo/sample-feed-lines.tsv).
  { root: 'bds/raw/', kind: 'beidou' },
];

/** The subscription filters for every topic `parseTopic` accepts, under a prefix. */
export function subscriptionFilters(prefix = ''): string[] {
  return ROOTS.map((r) => `${prefix}${r.root}#`);
}

/**
 * The origin of a frame, or undefined when the topic is none of ours (`mqtt.topic`). The rest of the
 * topic after the root is the receiver id or card, kept whole (it may hold further levels).
 */
export function parseTopic(prefix: string, topic: string): TopicOrigin | undefined {
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  for (const r of ROOTS) {
    if (!rest.startsWith(r.root) || rest.length === r.root.length) continue;
    const id = rest.slice(r.root.length);
    return r.kind === 'ais' ? { kind: 'ais', receiver: id } : { kind: 'beidou', card: id };
  }
  return undefined;
}
