/**
 * `seagrid user add|passwd|list|hash`: users in the store (DATABASE_URL, else the embedded server
 * in DATA_DIR, which must not be in use by a running service) from the command line. A password
 * is read from the first line of stdin, never from the arguments (they show in `ps` and shell
 * history), and only its scrypt hash is kept. A running service sees the change at its next
 * sign-in or within 30 s.
 */
import { userInfo } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { fleetsProblem, isRole, usernameProblem, type Role, type UserRecord } from '../model/index.js';
import { openStore, type Store } from '../store/index.js';
import { hashPassword, passwordProblem } from '../web/index.js';
import type { Config } from './config.js';
import { mosquittoAcl } from './mqtt-acl.js';

export const USER_USAGE = `seagrid user add NAME --role officer|fleet_leader|analyst|admin|liaison [--fleets F1,F2] [--name TEXT]
seagrid user passwd NAME
seagrid user list
seagrid user hash            (prints the passwordHash of USERS_FILE for the password on stdin)
seagrid user acl [--service NAME]  (prints a Mosquitto acl_file: each fleet leader reads his fleets' alert topics only)
The password is the first line of stdin: printf '%s\\n' "$PW" | seagrid user add …`;

export interface UserArgs {
  readonly verb: 'add' | 'passwd' | 'list' | 'hash' | 'acl';
  readonly username?: string;
  readonly role?: Role;
  readonly fleetIds: readonly string[];
  readonly displayName?: string;
  /** `acl`: the broker username of the service itself (default: MQTT_URL's, else `seagrid`). */
  readonly service?: string;
}

/** The arguments after `user`, or what is wrong with them. */
export function parseUserArgs(args: readonly string[]): UserArgs | string {
  const [verb, ...rest] = args;
  if (verb !== 'add' && verb !== 'passwd' && verb !== 'list' && verb !== 'hash' && verb !== 'acl') return `unknown user command ${JSON.stringify(verb ?? '')}`;
  let username: string | undefined;
  let role: Role | undefined;
  let fleetIds: string[] = [];
  let displayName: string | undefined;
  let service: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = (): string | undefined => rest[++i];
    if (a === '--role') {
      const r = value();
      if (!isRole(r)) return `--role must be officer, fleet_leader, analyst, admin or liaison`;
      role = r;
    } else if (a === '--fleets') fleetIds = (value() ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
    else if (a === '--name') displayName = value();
    else if (a === '--service' && verb === 'acl') service = value();
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (username === undefined) username = a;
    else return `unexpected argument ${JSON.stringify(a)}`;
  }
  if ((verb === 'add' || verb === 'passwd') && username === undefined) return `user ${verb} needs a NAME`;
  if (username !== undefined && usernameProblem(username) !== undefined) return `NAME ${usernameProblem(username)}`;
  if (verb === 'add') {
    if (role === undefined) return 'user add needs --role';
    const f = fleetsProblem(role, fleetIds);
    if (f !== undefined) return f;
  }
  return { verb, fleetIds, ...(username === undefined ? {} : { username }), ...(role === undefined ? {} : { role }), ...(displayName === undefined ? {} : { displayName }), ...(service === undefined ? {} : { service }) };
}

export interface UserIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly nowMs: () => number;
}

/** Runs one user command; the exit code. */
export async function runUser(args: UserArgs, config: Config, io: UserIo, open: () => Promise<Store> = () => defaultOpen(config)): Promise<number> {
  const fail = (m: string): number => {
    io.stderr.write(`seagrid user: ${m}\n`);
    return 1;
  };
  let password: string | undefined;
  if (args.verb !== 'list' && args.verb !== 'acl') {
    password = await firstLine(io.stdin);
    const p = password === undefined ? 'no password on stdin' : passwordProblem(password);
    if (p !== undefined) return fail(p);
  }
  if (args.verb === 'hash') {
    io.stdout.write(`${await hashPassword(password!)}\n`);
    return 0;
  }
  let store: Store;
  try {
    store = await open();
  } catch (e) {
    return fail(`cannot open the store: ${e instanceof Error ? e.message : String(e)} (a service running on the same DATA_DIR holds it: use the API there)`);
  }
  try {
    const users = await store.users();
    if (args.verb === 'acl') {
      const service = args.service ?? (config.mqttUrl === undefined ? '' : decodeURIComponent(new URL(config.mqttUrl).username)) ?? '';
      const acl = mosquittoAcl(users, { alertsPrefix: config.alertsTopicPrefix, feedPrefix: config.topicPrefix, service: service === '' ? 'seagrid' : service });
      io.stdout.write(acl.text);
      for (const s of acl.skipped) io.stderr.write(`seagrid user acl: left out ${s}\n`);
      return 0;
    }
    if (args.verb === 'list') {
      for (const u of users) io.stdout.write(`${u.username}\t${u.role}\t${u.fleetIds.join(',')}\t${u.source}\t${u.displayName ?? ''}\n`);
      return 0;
    }
    const had = users.find((u) => u.username === args.username);
    if (args.verb === 'add' && had !== undefined) return fail(`user ${args.username} exists (seagrid user passwd changes the password)`);
    if (args.verb === 'passwd' && had === undefined) return fail(`no user ${args.username}`);
    if (had?.source === 'file') return fail(`user ${args.username} comes from USERS_FILE: change it there`);
    const rec: UserRecord =
      had !== undefined
        ? { ...had, passwordHash: await hashPassword(password!) }
        : { username: args.username!, role: args.role!, fleetIds: args.fleetIds, passwordHash: await hashPassword(password!), displayName: args.displayName ?? null, source: 'store' };
    await store.putUser(rec);
    // A new password ends the sessions signed in with the old one.
    if (had !== undefined) await store.deleteSessions({ username: rec.username });
    await store.appendAudit({ atMs: io.nowMs(), actor: `cli:${safeUser()}`, action: had === undefined ? 'user.add' : 'user.change', target: rec.username, address: null, outcome: 'ok', detail: had === undefined ? `role ${rec.role}` : 'password' });
    io.stdout.write(`seagrid user: ${had === undefined ? `added ${rec.username} (${rec.role})` : `password of ${rec.username} changed`}\n`);
    return 0;
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  } finally {
    await store.close();
  }
}

function defaultOpen(config: Config): Promise<Store> {
  return openStore({ dataDir: config.dataDir, ...(config.databaseUrl === undefined ? {} : { databaseUrl: config.databaseUrl }) });
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The first line of a stream (without its line break); undefined when it ends empty. */
async function firstLine(input: Readable): Promise<string | undefined> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const nl = text.search(/\r?\n/);
    if (nl >= 0) return text.slice(0, nl);
    if (text.length > 4096) break;
  }
  return text === '' ? undefined : text;
}
