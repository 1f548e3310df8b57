import { describe, expect, it } from 'vitest';
import { parseUsersFile } from './user.js';

const HASH = `scrypt$32768$8$1$${'A'.repeat(24)}$${'B'.repeat(44)}`;

describe('USERS_FILE', () => {
  it('reads CSV (fleets split on ;) and JSON (fleets as an array) into the same users, owned by the file', () => {
    const csv = `username,role,fleets,passwordHash,displayName\nwang,officer,,${HASH},王值班\nli,fleet_leader,F1;F2,${HASH},\n`;
    const json = JSON.stringify({ users: [{ username: 'wang', role: 'officer', passwordHash: HASH, displayName: '王值班' }, { username: 'li', role: 'fleet_leader', fleets: ['F1', 'F2'], passwordHash: HASH }] });
    const want = [
      { username: 'wang', role: 'officer', fleetIds: [], passwordHash: HASH, displayName: '王值班', source: 'file' },
      { username: 'li', role: 'fleet_leader', fleetIds: ['F1', 'F2'], passwordHash: HASH, displayName: null, source: 'file' },
    ];
    expect(parseUsersFile(csv, 'csv')).toEqual({ ok: true, users: want });
    expect(parseUsersFile(json, 'json')).toEqual({ ok: true, users: want });
  });

  it('reports every problem of the file at once, each with its row and field', () => {
    const csv = [
      'username,role,fleets,passwordHash,colour',
      `bad name,officer,,${HASH},x`,
      `li,fleet_leader,,${HASH},x`,
      `zhao,analyst,F1,${HASH},x`,
      'wu,captain,,secret-password,x',
      `wang,officer,,${HASH},x`,
      `wang,admin,,${HASH},x`,
    ].join('\n');
    const r = parseUsersFile(csv, 'csv');
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual([
      'row 1 (header), column 5: unknown column "colour"; known: username, role, fleets, passwordHash, displayName',
      'row 2, username: "bad name" must be 1–64 letters, digits or . _ - @',
      'row 3, fleets: a fleet_leader needs at least one fleet',
      'row 4, fleets: only a fleet_leader has fleets (this is analyst)',
      'row 5, role: "captain" is not one of officer, fleet_leader, analyst, admin, liaison',
      'row 5, passwordHash: not a seagrid scrypt hash (`seagrid user hash` prints one)',
      'row 7, username: "wang" already in row 6',
    ]);
    // A password in clear is never echoed back in a problem.
    expect(problems.join('\n')).not.toContain('secret-password');
  });

  it('an empty file, bad JSON or the wrong JSON shape is one problem each', () => {
    expect(parseUsersFile('', 'csv')).toEqual({ ok: false, problems: ['no users in the file (leave USERS_FILE unset for none)'] });
    expect(parseUsersFile('{', 'json').ok).toBe(false);
    expect(parseUsersFile('{"people": []}', 'json')).toEqual({ ok: false, problems: ['expected an array of users or {"users": [...]}'] });
  });
});
