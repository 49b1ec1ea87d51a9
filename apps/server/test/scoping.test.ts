import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, YINZHOU, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

/**
 * Region isolation: a user sees and changes only their home region and below, for every kind of access.
 * Each assertion would fail if the row-level-security policies or Database.scoped were removed.
 */
describe('region scoping', () => {
  let env: TestEnv;
  let admin: TestClient;
  let township: TestClient; // 张相镇
  let county: TestClient; // 清河区
  let inspector: TestClient; // 张相镇, read-only
  let otherId: number; // a user in 杨木林子镇
  let yinzhouId: number; // a user in 银州区 (outside 清河区)
  let townshipId: number;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: township, id: townshipId } = await userClient(env, admin, { username: 'zx_officer', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: county } = await userClient(env, admin, { username: 'qh_admin', role: 'county_admin', regionCode: QINGHE }));
    ({ client: inspector } = await userClient(env, admin, { username: 'zx_inspector', role: 'inspector', regionCode: ZHANGXIANG }));
    ({ id: otherId } = await userClient(env, admin, { username: 'ymlz_officer', role: 'township_officer', regionCode: YANGMULINZI }));
    ({ id: yinzhouId } = await userClient(env, admin, { username: 'yz_admin', role: 'county_admin', regionCode: YINZHOU }));
  });
  after(() => env.close());

  test('region tree: the root is the home region, and nothing outside it can be opened', async () => {
    const roots = await township.ok(api.regionRoots);
    assert.deepEqual(roots.map((r) => r.name), ['张相镇']);
    const villages = await township.ok(api.regionChildren, { params: { code: ZHANGXIANG } });
    assert.ok(villages.length > 5);
    assert.ok(villages.every((v) => v.code.startsWith('211204101') && v.level === 5));
    assert.equal((await township.call(api.regionChildren, { params: { code: QINGHE } })).status, 404);
    const other = await township.call(api.region, { params: { code: YANGMULINZI } });
    assert.equal(other.status, 404);
    const refusal = other.body as unknown as { code: string; kind: string };
    assert.equal(refusal.code, 'regions.notFound');
    assert.equal(refusal.kind, 'NOT_FOUND');
    assert.ok(!JSON.stringify(other.body).includes('杨木林子'));
  });

  test('region detail: path and counts stop at the scope', async () => {
    const d = await township.ok(api.region, { params: { code: villagesOf(ZHANGXIANG) } });
    assert.deepEqual(d.path.map((p) => p.name)[0], '张相镇');
    const top = await township.ok(api.region, { params: { code: ZHANGXIANG } });
    assert.equal(top.path.length, 1);
    assert.equal(top.descendants.villages, top.region.childCount);
    const adminView = await admin.ok(api.region, { params: { code: QINGHE } });
    assert.deepEqual(adminView.path.map((p) => p.name), ['全国', '辽宁省', '铁岭市', '清河区']);
  });

  test('search as you type: only regions in scope', async () => {
    assert.deepEqual(await township.ok(api.regionSearch, { query: { q: '杨木林子' } }), []);
    const zx = await township.ok(api.regionSearch, { query: { q: '张相' } });
    assert.equal(zx[0]!.code, ZHANGXIANG);
    assert.ok(zx.every((r) => r.code.startsWith('211204101'))); // not 张相公屯乡 (211404…), which is outside
    const all = await admin.ok(api.regionSearch, { query: { q: '张相' } });
    assert.ok(all.some((r) => r.code.startsWith('211404')));
    const byCode = await township.ok(api.regionSearch, { query: { q: '2112041' } });
    assert.ok(byCode.length > 0 && byCode.every((r) => r.code.startsWith('211204101')));
  });

  test('user list, count and get by id: only users in scope', async () => {
    const list = await township.ok(api.userList, { query: { pageSize: 200 } });
    assert.ok(list.items.length >= 2);
    assert.ok(list.items.every((u) => u.region.code.startsWith('211204101')));
    assert.equal(list.total, list.items.length);
    assert.equal((await township.call(api.userGet, { params: { id: otherId } })).status, 404);
    assert.equal((await township.call(api.userGet, { params: { id: 1 } })).status, 404); // the national admin
    assert.equal((await township.call(api.userList, { query: { regionCode: QINGHE } })).status, 404);
    const countyList = await county.ok(api.userList, { query: { pageSize: 200 } });
    assert.deepEqual(countyList.items.map((u) => u.username).sort(), ['qh_admin', 'ymlz_officer', 'zx_inspector', 'zx_officer']);
    assert.equal((await county.call(api.userGet, { params: { id: yinzhouId } })).status, 404);
    const filtered = await county.ok(api.userList, { query: { q: 'yz_admin' } });
    assert.equal(filtered.total, 0);
  });

  test('export: only users in scope, and a region outside it is refused before anything is sent', async () => {
    const r = await township.call(api.userExport);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/csv/);
    const lines = String(r.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], '用户名,姓名,角色,所属区域,区划代码,手机号,状态,最近登录,创建时间');
    const codes = lines.slice(1).map((l) => l.split(',')[4]!.replace(/^"=""(.*)"""$/, '$1')); // codes as ="…": text for Excel
    assert.equal(codes.length, 2);
    assert.ok(codes.every((c) => c!.startsWith('211204101')));
    const all = await admin.call(api.userExport);
    assert.ok(String(all.body).includes('ymlz_officer'));
    assert.equal((await township.call(api.userExport, { query: { regionCode: QINGHE } })).status, 404);
  });

  test('aggregates: the dashboard counts only the scope', async () => {
    const d = await township.ok(api.dashboard);
    assert.equal(d.region.code, ZHANGXIANG);
    assert.equal(d.users.total, 2);
    assert.equal(d.descendants.townships, 0);
    assert.equal((await township.call(api.dashboard, { query: { regionCode: QINGHE } })).status, 404);
    const c = await county.ok(api.dashboard);
    assert.equal(c.users.total, 4);
    assert.deepEqual(c.children.map((x) => x.name), ['红旗街道', '向阳街道', '张相镇', '杨木林子镇', '聂家满族乡']);
  });

  test('audit log: only entries of the scope', async () => {
    const a = await township.ok(api.auditList, { query: { limit: 200 } });
    assert.ok(a.items.length > 0);
    assert.ok(a.items.every((e) => e.regionCode?.startsWith('211204101')));
    const other = await township.ok(api.auditList, { query: { entity: 'users', entityId: String(otherId) } });
    assert.equal(other.items.length, 0);
    const adminSees = await admin.ok(api.auditList, { query: { entity: 'users', entityId: String(otherId) } });
    assert.ok(adminSees.items.length > 0);
  });

  test('writes: outside the scope is refused and nothing is written', async () => {
    // a county admin can create inside the county …
    const inside = await county.call(api.userCreate, {
      body: { username: 'ymlz_2', displayName: '李四', role: 'village_officer', regionCode: '211204102201', password: 'Create2025s' },
    });
    assert.equal(inside.status, 201);
    // … but not outside it, neither create nor change nor reset
    const outside = await county.call(api.userCreate, {
      body: { username: 'yz_2', displayName: '王五', role: 'township_officer', regionCode: '211202001000', password: 'Create2025s' },
    });
    assert.equal(outside.status, 400);
    assert.equal((outside.body as unknown as { details: { field: string }[] }).details[0]!.field, 'body.regionCode');
    assert.equal((await county.call(api.userUpdate, { params: { id: yinzhouId }, body: { displayName: 'x' } })).status, 404);
    assert.equal((await county.call(api.userResetPassword, { params: { id: yinzhouId }, body: { newPassword: 'Reset2025r' } })).status, 404);
    // moving a user of the county out of it is refused as well
    const move = await county.call(api.userUpdate, { params: { id: otherId }, body: { regionCode: '211202001000' } });
    assert.equal(move.status, 400);
    const still = await admin.ok(api.userGet, { params: { id: otherId } });
    assert.equal(still.region.code, YANGMULINZI);
    const names = await env.db.kysely.selectFrom('users').select('username').execute();
    assert.ok(!names.some((n) => n.username === 'yz_2'));
    // roles without users:write are refused before anything runs
    const t = await township.call(api.userUpdate, { params: { id: townshipId }, body: { displayName: 'x' } });
    assert.equal(t.status, 403);
  });

  test('the database itself refuses: no scope set means no rows, and read-only roles cannot write', async () => {
    const seen = await env.db.kysely.transaction().execute(async (tx) => {
      await sql`set local role tuopin_app`.execute(tx);
      return (await sql<{ n: number }>`select count(*)::int as n from users`.execute(tx)).rows[0]!.n;
    });
    assert.equal(seen, 0);
    const owner = (await sql<{ n: number }>`select count(*)::int as n from users`.execute(env.db.kysely)).rows[0]!.n;
    assert.ok(owner >= 6);
    const inspectorActor = { id: 99, username: 'zx_inspector', role: 'inspector' as const, regionCode: ZHANGXIANG, ip: null };
    await assert.rejects(
      env.db.scoped(inspectorActor, (tx) => tx.updateTable('users').set({ display_name: 'x' }).where('username', '=', 'zx_officer').execute()),
      (e: { code?: string }) => e.code === '25006',
    );
    // a township actor cannot insert a row for another region even bypassing the services
    const townshipActor = { id: townshipId, username: 'zx_officer', role: 'county_admin' as const, regionCode: ZHANGXIANG, ip: null };
    await assert.rejects(
      env.db.scoped(townshipActor, (tx) =>
        tx.insertInto('users').values({ username: 'sneaky', display_name: 's', role: 'helper', region_code: YANGMULINZI, password_hash: 'x' }).execute(),
      ),
      /row-level security/,
    );
    const r = await inspector.call(api.userUpdate, { params: { id: townshipId }, body: { displayName: 'x' } });
    assert.equal(r.status, 403);
  });
});

function villagesOf(township: string) {
  return `${township.slice(0, 9)}200`;
}
