/**
 * Which instance owns which partition (ARCHITECTURE.md, "More than one machine"): PostgreSQL
 * session advisory locks on a connection of the lease's own. The database already decides "one
 * holder at a time" and frees a holder's locks when its connection ends — a killed instance's
 * partitions are free as soon as the server sees its socket close (at once for a process kill; after
 * the TCP keepalive for a lost machine) — so no lease table, expiry clock or fencing protocol is
 * written here.
 *
 * Fair share: each check counts the lease sessions of the cluster (`pg_stat_activity`, by
 * application name prefix), holds at most ⌈partitions / sessions⌉, releases the excess when an instance
 * joins, and tries the free partitions when it holds fewer. Every instance starts its tries at a
 * different place in the list so that two joining at once do not contend for the same locks.
 */
import { openSession, type DbSession } from './pg.js';

export interface LeaseOptions {
  readonly url: string;
  /** Cluster name: instances with the same name share the partitions. */
  readonly cluster: string;
  /** This instance's name, shown in pg_stat_activity (`seagrid-lease:{cluster}/{instance}`). */
  readonly instance?: string;
  /** Every partition, by name, with its lock key (a non-negative integer < 2^48). */
  readonly partitions: readonly { readonly name: string; readonly key: number }[];
  /** Called after a check that changed what this instance owns. */
  readonly onChange: (owned: ReadonlySet<string>, gained: readonly string[], lost: readonly string[]) => void;
  readonly onError?: (err: Error) => void;
  /** Where this instance starts its tries in the partition list (default: random). */
  readonly startAt?: number;
}

/** Locks of the bigint space are shared by every application of the database: ours carry the cluster's hash in bits 48–62. */
function lockKey(cluster: string, key: number): string {
  if (!(Number.isInteger(key) && key >= 0 && key < 2 ** 48)) throw new Error(`lease: key ${key} out of range`);
  let h = 0x811c9dc5;
  for (let i = 0; i < cluster.length; i++) h = Math.imul(h ^ cluster.charCodeAt(i), 0x01000193) >>> 0;
  return ((BigInt(h & 0x7fff) << 48n) | BigInt(key)).toString();
}

export class PartitionLease {
  private session: DbSession | undefined;
  private readonly held = new Set<string>();
  private readonly keys: Map<string, string>;
  private readonly order: readonly string[];
  private checking: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly o: LeaseOptions) {
    this.keys = new Map(o.partitions.map((p) => [p.name, lockKey(o.cluster, p.key)]));
    const names = o.partitions.map((p) => p.name);
    const start = names.length === 0 ? 0 : Math.abs(Math.floor(o.startAt ?? Math.random() * names.length)) % names.length;
    this.order = [...names.slice(start), ...names.slice(0, start)];
  }

  /** The cluster's lease sessions are those whose application name starts with this. */
  get clusterPrefix(): string {
    return `seagrid-lease:${this.o.cluster}/`;
  }

  get applicationName(): string {
    return `${this.clusterPrefix}${this.o.instance ?? process.pid}`;
  }

  owned(): ReadonlySet<string> {
    return this.held;
  }

  /** One round: (re)connect, count the cluster's sessions, release the excess or take free partitions. */
  check(): Promise<void> {
    this.checking ??= this.round().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Releases everything (ends the session). */
  async close(): Promise<void> {
    this.closed = true;
    await this.checking?.catch(() => undefined);
    const s = this.session;
    this.session = undefined;
    if (s !== undefined) await s.end().catch(() => undefined);
    this.lostAll();
  }

  private async round(): Promise<void> {
    if (this.closed) return;
    try {
      this.session ??= await openSession({
        url: this.o.url,
        applicationName: this.applicationName,
        onLost: (err) => {
          this.session = undefined;
          this.o.onError?.(err);
          this.lostAll();
        },
      });
      const s = this.session;
      const [row] = await s.query<{ n: string }>('select count(*) as n from pg_stat_activity where left(application_name, length($1)) = $1', [this.clusterPrefix]);
      const share = Math.ceil(this.order.length / Math.max(1, Number(row?.n ?? 1)));
      const gained: string[] = [];
      const lost: string[] = [];
      // The excess goes from the end of our own order: what we took last.
      for (const name of [...this.order].reverse()) {
        if (this.held.size <= share) break;
        if (!this.held.has(name)) continue;
        await s.query('select pg_advisory_unlock($1::bigint)', [this.keys.get(name)]);
        this.held.delete(name);
        lost.push(name);
      }
      for (const name of this.order) {
        if (this.held.size >= share) break;
        if (this.held.has(name)) continue;
        const [r] = await s.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [this.keys.get(name)]);
        if (r?.ok === true) {
          this.held.add(name);
          gained.push(name);
        }
      }
      if (gained.length > 0 || lost.length > 0) this.o.onChange(this.held, gained, lost);
    } catch (e) {
      this.o.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** The session is gone: so are its locks, whoever takes them next. */
  private lostAll(): void {
    if (this.held.size === 0) return;
    const lost = [...this.held];
    this.held.clear();
    this.o.onChange(this.held, [], lost);
  }
}
