import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api } from '@tuopin/domain';
import { setup, userClient, ZHANGXIANG, QINGHE, type TestClient, type TestEnv } from './helpers';

describe('audit log', () => {
  let env: TestEnv;
  let admin: TestClient;
  let userId: number;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ id: userId } = await userClient(env, admin, { username: 'audited', role: 'township_officer', regionCode: ZHANGXIANG, displayName: '赵六' }));
  });
  after(() => env.close());

  test('a change records who, when, from where, what changed before and after, and why', async () => {
    admin.ip = '10.1.2.3';
    await admin.ok(api.userUpdate, { params: { id: userId }, body: { displayName: '赵六六', phone: '13800000000', reason: '更正姓名' } });
    admin.ip = '127.0.0.1';
    const h = await admin.ok(api.auditList, { query: { entity: 'users', entityId: String(userId) } });
    const e = h.items[0]!;
    assert.equal(e.action, 'update');
    assert.equal(e.actorName, 'admin');
    assert.equal(e.actorId, 1);
    assert.equal(e.ip, '10.1.2.3');
    assert.equal(e.reason, '更正姓名');
    assert.equal(e.regionCode, ZHANGXIANG);
    assert.deepEqual(
      e.changes.sort((a, b) => a.field.localeCompare(b.field)),
      [
        { field: 'display_name', before: '赵六', after: '赵六六' },
        { field: 'phone', before: null, after: '13800000000' },
      ],
    );
    assert.ok(Date.now() - new Date(e.at).getTime() < 60_000);
    // the insert, the password change and the logins are there too
    const actions = h.items.map((x) => x.action);
    for (const a of ['insert', 'login', 'update']) assert.ok(actions.includes(a), a);
  });

  test('password hashes never enter the log', async () => {
    await admin.ok(api.userResetPassword, { params: { id: userId }, body: { newPassword: 'Chongzhi-2025w', reason: '忘记密码' } });
    const rows = await sql<{ t: string }>`select coalesce(before::text, '') || coalesce(after::text, '') as t from audit_log`.execute(env.db.kysely);
    assert.ok(rows.rows.every((r) => !r.t.includes('$argon2')));
    const h = await admin.ok(api.auditList, { query: { entity: 'users', entityId: String(userId), limit: 1 } });
    assert.equal(h.items[0]!.reason, '忘记密码');
    assert.deepEqual(h.items[0]!.changes.find((c) => c.field === 'password_hash'), { field: 'password_hash', before: '***', after: '***' });
  });

  test('the application role cannot update or delete audit rows', async () => {
    const actor = { id: 1, username: 'admin', role: 'system_admin' as const, regionCode: '000000000000', ip: null };
    await assert.rejects(env.db.scoped(actor, (tx) => sql`update audit_log set reason = 'x'`.execute(tx)), /permission denied/);
    await assert.rejects(env.db.scoped(actor, (tx) => sql`delete from audit_log`.execute(tx)), /permission denied/);
    await assert.rejects(env.db.scoped(actor, (tx) => sql`insert into audit_log (id, at, action, entity, prev_hash, hash) values (0, now(), 'x', 'x', 'x', 'x')`.execute(tx)), /permission denied/);
    // even the owner is stopped by the trigger
    await assert.rejects(sql`delete from audit_log`.execute(env.db.kysely), /append-only/);
  });

  test('history of a record is scoped like the record', async () => {
    const { client: other } = await userClient(env, admin, { username: 'qh_audit', role: 'county_admin', regionCode: QINGHE });
    const seen = await other.ok(api.auditList, { query: { entity: 'users', entityId: String(userId) } });
    assert.ok(seen.items.length > 0);
    const admins = await other.ok(api.auditList, { query: { entity: 'users', entityId: '1' } });
    assert.equal(admins.items.length, 0);
  });

  test('the hash chain verifies, and tampering or deletion is found at the right row', async () => {
    const ok = await env.services.audit.verifyChain();
    assert.deepEqual(ok.firstBroken, null);
    const total = (await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(env.db.kysely)).rows[0]!.n;
    assert.equal(ok.rows, total);

    const target = (await sql<{ id: string }>`select id::text as id from audit_log order by audit_log.id offset 3 limit 1`.execute(env.db.kysely)).rows[0]!.id;
    await env.db.kysely.transaction().execute(async (tx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(tx);
      await sql`update audit_log set reason = '篡改' where id = ${target}::bigint`.execute(tx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(tx);
    });
    const tampered = await env.services.audit.verifyChain();
    assert.equal(tampered.ok, false);
    assert.equal(tampered.firstBroken!.id, target);
    assert.match(tampered.firstBroken!.problem, /篡改/);

    // a deleted row is found at the row that follows it
    const ids = (await sql<{ id: string }>`select id::text as id from audit_log order by audit_log.id offset 1 limit 2`.execute(env.db.kysely)).rows.map((r) => r.id);
    await env.db.kysely.transaction().execute(async (tx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(tx);
      await sql`delete from audit_log where id = ${ids[0]!}::bigint`.execute(tx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(tx);
    });
    const deleted = await env.services.audit.verifyChain();
    assert.equal(deleted.firstBroken!.id, ids[1]);
    assert.match(deleted.firstBroken!.problem, /链接/);
  });
});
