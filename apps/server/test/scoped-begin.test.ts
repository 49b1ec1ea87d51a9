import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api } from '@tuopin/domain';
import { setup, type TestEnv } from './helpers';

/**
 * Database.scoped and Database.system begin with one simple-protocol statement whose settings are written as
 * literals (db/database.ts, ScopeDialect): the role, READ ONLY for read-only roles, the scope, and the audit
 * context must arrive exactly, whatever characters the name, address or reason hold.
 */
describe('scoped transactions begin in one statement', () => {
  let env: TestEnv;
  before(async () => {
    env = await setup();
  });
  after(() => env.close());

  const settings = (tx: Parameters<Parameters<TestEnv['db']['scoped']>[1]>[0]) =>
    sql<{ role: string; read_only: string; scope: string; actor_id: string; actor_name: string; ip: string; reason: string }>`
      select current_user as role, current_setting('transaction_read_only') as read_only,
             current_setting('tuopin.scope', true) as scope, current_setting('tuopin.actor_id', true) as actor_id,
             current_setting('tuopin.actor_name', true) as actor_name, current_setting('tuopin.ip', true) as ip,
             current_setting('tuopin.reason', true) as reason`.execute(tx).then((r) => r.rows[0]!);

  const tricky = `it's a \\ back'slash $1 $$ ; commit; 原因 "quoted" \\' end`;

  test('role, scope and audit context arrive exactly, quotes and backslashes included', async () => {
    const s = await env.db.scoped(
      { id: 7, username: "o'brien\\x", role: 'county_admin', regionCode: '211204000000', ip: "10.0.0.1'" },
      settings,
      { reason: tricky },
    );
    assert.deepEqual(s, {
      role: 'tuopin_app', read_only: 'off', scope: '211204', actor_id: '7', actor_name: "o'brien\\x", ip: "10.0.0.1'", reason: tricky,
    });
  });

  test('read-only roles get a READ ONLY transaction and cannot write', async () => {
    const actor = { id: 8, username: 'inspector', role: 'inspector' as const, regionCode: '211204000000', ip: null };
    const s = await env.db.scoped(actor, settings);
    assert.equal(s.read_only, 'on');
    assert.equal(s.role, 'tuopin_app');
    await assert.rejects(
      env.db.scoped(actor, (tx) => sql`update households set updated_at = updated_at where false`.execute(tx)),
      (e: { code?: string }) => e.code === '25006',
    );
  });

  test('system transactions carry the actor the same way, without the request role', async () => {
    const s = await env.db.system({ name: "sys'tem\\", ip: '::1', userId: 3 }, settings, { reason: tricky });
    assert.equal(s.actor_name, "sys'tem\\");
    assert.equal(s.actor_id, '3');
    assert.equal(s.ip, '::1');
    assert.equal(s.reason, tricky);
    assert.notEqual(s.role, 'tuopin_app');
    assert.equal(s.scope ?? '', '');
  });

  test('one transaction after another on the same pool: no scope leaks into the next', async () => {
    await env.db.scoped({ id: 1, username: 'a', role: 'county_admin', regionCode: '211204000000', ip: null }, settings);
    const r = await env.db.read((q) => sql<{ scope: string | null; role: string }>`
      select current_setting('tuopin.scope', true) as scope, current_user as role`.execute(q));
    assert.equal(r.rows[0]!.scope ?? '', '');
    assert.notEqual(r.rows[0]!.role, 'tuopin_app');
  });

  test('the session check: a fresh session is only read; a stale one gets its expiry slid; an expired one is refused', async () => {
    const admin = await env.admin();
    const q = () => env.db.read((k) => sql<{ n: number }>`
      select count(*)::int as n from sessions where expires_at > now() + interval '11 hours' and last_seen_at > now() - interval '1 minute'`.execute(k))
      .then((r) => r.rows[0]!.n);
    const fresh = await q();
    assert.ok(fresh >= 1);
    // Last touched two minutes ago, expiring in an hour: the next request slides it to the full session length again.
    await env.db.pool.query(`update sessions set last_seen_at = now() - interval '2 minutes', expires_at = now() + interval '1 hour'`);
    assert.equal(await q(), 0);
    await admin.ok(api.me);
    assert.equal(await q(), fresh);
    // Expired: refused at once, whatever was read before.
    await env.db.pool.query(`update sessions set expires_at = now() - interval '1 second'`);
    assert.equal((await admin.call(api.me)).status, 401);
  });
});
