/**
 * Sign-in in the composition root: USERS_FILE into the store (the file owns its users: each start
 * writes them as the file says and removes file users it no longer names), and what a fleet
 * leader's scope reads of the registry and the live picture.
 */
import { readFileSync } from 'node:fs';
import { distanceNm, type LivePicture } from '../geo/index.js';
import { parseUsersFile, registryFormatOf, type FleetId, type UserRecord, type VesselId, type VesselRegistry } from '../model/index.js';
import type { Store } from '../store/index.js';
import type { ScopeSource } from '../web/index.js';

/** The file's users, or an Error listing every problem of the file. */
export function readUsersFile(path: string): UserRecord[] {
  const format = registryFormatOf(path);
  if (format === undefined) throw new Error(`USERS_FILE ${path}: expected a .csv or .json file`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`USERS_FILE ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = parseUsersFile(text, format);
  if (!r.ok) throw new Error(`USERS_FILE ${path} has ${r.problems.length} problem(s):\n  ${r.problems.join('\n  ')}`);
  return r.users;
}

/**
 * Writes the file's users to the store and removes the file users it no longer holds (their
 * sessions with them); a user whose password or role the file changed is signed out. Counts for the log.
 */
export async function syncFileUsers(store: Pick<Store, 'users' | 'putUser' | 'deleteUser' | 'deleteSessions'>, fromFile: readonly UserRecord[]): Promise<{ written: number; removed: number; signedOut: number }> {
  const before = new Map((await store.users()).map((u) => [u.username, u]));
  const names = new Set(fromFile.map((u) => u.username));
  let signedOut = 0;
  for (const u of fromFile) {
    await store.putUser(u);
    const was = before.get(u.username);
    if (was !== undefined && (was.passwordHash !== u.passwordHash || was.role !== u.role)) {
      await store.deleteSessions({ username: u.username });
      signedOut++;
    }
  }
  let removed = 0;
  for (const u of before.values()) {
    if (u.source === 'file' && !names.has(u.username)) {
      await store.deleteUser(u.username);
      removed++;
    }
  }
  return { written: fromFile.length, removed, signedOut };
}

/**
 * Fleets and liaison officials (定人联船: the registry's `liaisonUser`, a username) from the registry,
 * positions from the live picture, distances on the one sphere.
 */
export function scopeSource(registry: VesselRegistry, live: LivePicture): ScopeSource {
  let liaisons: Map<string, Set<string>> | undefined;
  const NONE: ReadonlySet<string> = new Set();
  return {
    // The registry is fixed for the service's life: indexed once, at the first ask.
    liaisonVessels: (username) => {
      if (liaisons === undefined) {
        liaisons = new Map();
        for (const f of registry.all()) {
          if (f.liaisonUser === undefined) continue;
          let set = liaisons.get(f.liaisonUser);
          if (set === undefined) liaisons.set(f.liaisonUser, (set = new Set()));
          set.add(f.vesselId);
        }
      }
      return liaisons.get(username) ?? NONE;
    },
    fleetOf: (id) => registry.byVesselId(id as VesselId)?.fleetId ?? live.get(id as VesselId)?.fleetId ?? null,
    positionsOf: (fleetIds) => {
      const out: { lat: number; lon: number }[] = [];
      for (const f of fleetIds) {
        for (const m of registry.fleet(f as FleetId)) {
          const v = live.get(m.vesselId);
          if (v !== undefined) out.push({ lat: v.lat, lon: v.lon });
        }
      }
      return out;
    },
    distanceNm,
  };
}
