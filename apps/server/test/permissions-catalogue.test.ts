/**
 * Permissions, read from the contract (issue 11, item 6): every endpoint of the API names the permission it needs, or
 * is one of the few open to any session (listed below with the reason), and the server refuses exactly the roles the
 * domain's table does not grant it to. Every endpoint is called by a user of every role: a role without the
 * permission gets 403 http.forbidden before anything else happens; a role with it gets past the check (the calls carry
 * no valid input, so they end in 400 or 404, never in 401 or 403).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, can, permissionsOf, PERMISSIONS, ROLES, rolesWith, type Endpoint, type Permission, type Role } from '@tuopin/domain';
import { QINGHE, setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const VILLAGE = '211204101200'; // a village of 张相镇

/** Endpoints without a permission, and why: deliberately open to anyone, or to any logged-in user. */
const GENERAL_ACCESS: Record<string, string> = {
  health: 'public: the service status, for monitoring and the load balancer',
  login: 'public: logging in',
  logout: 'session: ending one’s own session, also before the initial password is changed',
  me: 'session: the logged-in user with their permissions, also before the initial password is changed',
  changePassword: 'session: one’s own password (the forced change at first login)',
  runGet: 'user: a background run of any kind; the service checks the read permission of its kind',
  runRetry: 'user: a background run of any kind; the service checks the run permission of its kind',
};

/** The home region of the test user of each role. */
const HOME: Record<Exclude<Role, 'system_admin'>, string> = {
  county_admin: QINGHE,
  township_officer: ZHANGXIANG,
  village_officer: VILLAGE,
  helper: VILLAGE,
  department_officer: QINGHE,
  inspector: QINGHE,
};

/** A URL of the endpoint with every parameter filled by a placeholder (the check comes before validation). */
function urlOf(e: Endpoint): string {
  return e.url.replace(/:[A-Za-z]+/g, '1');
}

describe('permissions of every endpoint by role', () => {
  let env: TestEnv;
  const clients = new Map<Role, TestClient>();

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    clients.set('system_admin', admin);
    for (const [role, regionCode] of Object.entries(HOME) as [Role, string][]) {
      clients.set(role, (await userClient(env, admin, { username: `perm_${role}`, role, regionCode })).client);
    }
  });
  after(() => env.close());

  test('every endpoint names a permission of the domain, or is open to any session for a stated reason', () => {
    const general = Object.entries(api).filter(([, e]) => !(PERMISSIONS as readonly string[]).includes(e.access)).map(([name, e]) => `${name} (${e.access})`);
    assert.deepEqual(general.sort(), Object.keys(GENERAL_ACCESS).map((n) => `${n} (${api[n as keyof typeof api].access})`).sort());
    for (const [name, why] of Object.entries(GENERAL_ACCESS)) assert.ok(why.startsWith(`${api[name as keyof typeof api].access}:`), `${name}: ${why}`);
  });

  test('the session lists the permissions of the role', async () => {
    for (const role of ROLES) {
      const me = await clients.get(role)!.ok(api.me);
      assert.equal(me.role, role);
      assert.deepEqual(me.permissions, permissionsOf(role), role);
    }
  });

  test('the database function naming a village’s verifiers names the roles with clues:verify', async () => {
    // monitoring_verifiers (migration 0013, security definer) keeps its own role list as a boundary of the database;
    // the service filters its rows by can(role, 'clues:verify') too, and this keeps the two from drifting apart.
    const r = await sql<{ def: string }>`select pg_get_functiondef('monitoring_verifiers(text)'::regprocedure) as def`.execute(env.db.kysely);
    const named = [...r.rows[0]!.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).filter((x) => (ROLES as readonly string[]).includes(x));
    assert.deepEqual(named.sort(), rolesWith('clues:verify').sort());
  });

  test('a county rule is editable for its county administrator only, not for the inspector of the county (rules:write)', async () => {
    const body = { id: 'perm_county_rule', name: '权限测试规则', severity: 'low' as const, riskType: 'other', expression: 'household.size == 9', active: false };
    const created = await clients.get('county_admin')!.ok(api.ruleCreate, { body });
    assert.equal(created.editable, true);
    const seen = (await clients.get('inspector')!.ok(api.rulesList)).find((r) => r.id === body.id)!;
    assert.deepEqual([seen.regionCode, seen.editable], [QINGHE, false]);
  });

  test('each role is refused exactly the endpoints whose permission it lacks', async () => {
    const wrong: string[] = [];
    let refused = 0;
    let allowed = 0;
    for (const [name, e] of Object.entries(api) as [string, Endpoint][]) {
      if (!(PERMISSIONS as readonly string[]).includes(e.access)) continue;
      for (const role of ROLES) {
        const r = await clients.get(role)!.raw(e.method, urlOf(e));
        const expected = can(role, e.access as Permission);
        const code = (r.body as { code?: string } | null)?.code;
        if (expected) {
          allowed++;
          if (r.status === 401 || r.status === 403) wrong.push(`${role} ${name}: ${r.status} ${code} although it has ${e.access}`);
        } else {
          refused++;
          if (r.status !== 403 || code !== 'http.forbidden') wrong.push(`${role} ${name}: ${r.status} ${code} although it lacks ${e.access}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    // both sides were exercised
    assert.ok(refused > 50 && allowed > 200, `refused ${refused}, allowed ${allowed}`);
  });
});
