import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '@tuopin/domain';
import { setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

describe('authentication', () => {
  let env: TestEnv;
  let admin: TestClient;

  before(async () => {
    env = await setup();
    admin = await env.admin();
  });
  after(() => env.close());

  test('login sets an HTTP-only, SameSite=Strict, Secure session cookie and returns the user', async () => {
    const c = env.client();
    const r = await c.login('admin', 'Admin12345');
    assert.equal(r.status, 200);
    const sid = r.cookies.find((x) => x.name === 'tuopin_sid')!;
    assert.equal(sid.httpOnly, true);
    assert.equal(sid.secure, true);
    assert.equal(sid.sameSite, 'Strict');
    assert.equal((r.body as { username: string }).username, 'admin');
    const me = await c.ok(api.me);
    assert.equal(me.region.name, '全国');
  });

  test('wrong passwords answer 401 with no hint whether the user exists', async () => {
    const a = await env.client().login('admin', 'wrong');
    const b = await env.client().login('nobody', 'wrong');
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    assert.equal((b.body as { message: string }).message, '用户名或密码错误');
  });

  test('five failures lock the account, even for the right password; a reset unlocks it', async () => {
    const { id } = await userClient(env, admin, { username: 'locky', role: 'township_officer', regionCode: ZHANGXIANG });
    const c = env.client();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await c.login('locky', 'bad-password')).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 423]);
    const locked = await c.login('locky', 'Changed2025y');
    assert.equal(locked.status, 423);
    assert.equal((locked.body as { code: string }).code, 'auth.lockedFor');
    assert.equal((locked.body as { kind: string }).kind, 'LOCKED');
    const u = await admin.ok(api.userGet, { params: { id } });
    assert.ok(u.lockedUntil);
    await admin.ok(api.userResetPassword, { params: { id }, body: { newPassword: 'Reset2025u', reason: '解锁' } });
    assert.equal((await c.login('locky', 'Reset2025u')).status, 200);
    const h = await admin.ok(api.auditList, { query: { entity: 'users', entityId: String(id) } });
    assert.ok(h.items.some((e) => e.action === 'account_locked'));
  });

  test('logins are rate-limited per account and address', async () => {
    const limited = await setup({ loginRateLimitPerMinute: 3 });
    try {
      const c = limited.client();
      c.ip = '10.9.9.9';
      const s = [];
      for (let i = 0; i < 4; i++) s.push((await c.login('admin', 'nope')).status);
      assert.deepEqual(s, [401, 401, 401, 429]);
      const r = await c.login('admin', 'Admin12345');
      assert.equal((r.body as { code: string }).code, 'auth.loginRateLimited');
      assert.equal((r.body as { kind: string }).kind, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });

  test('writes without the CSRF token are refused', async () => {
    const r = await admin.raw('POST', '/api/users', {
      headers: { 'x-csrf-token': 'forged' },
      body: { username: 'csrf_victim', displayName: 'x', role: 'helper', regionCode: ZHANGXIANG, password: 'Create2025t' },
    });
    assert.equal(r.status, 403);
    assert.equal((r.body as { code: string }).code, 'http.csrf');
    assert.equal((r.body as { kind: string }).kind, 'CSRF');
    const list = await admin.ok(api.userList, { query: { q: 'csrf_victim' } });
    assert.equal(list.total, 0);
  });

  test('a new user must change the initial password before anything else', async () => {
    await admin.ok(api.userCreate, { body: { username: 'newbie', displayName: '新人', role: 'township_officer', regionCode: ZHANGXIANG, password: 'Initial2025x' } });
    const c = env.client();
    const r = await c.login('newbie', 'Initial2025x');
    assert.equal((r.body as { mustChangePassword: boolean }).mustChangePassword, true);
    const blocked = await c.call(api.regionRoots);
    assert.equal(blocked.status, 403);
    assert.equal((blocked.body as unknown as { code: string }).code, 'http.passwordChangeRequired');
    assert.equal((blocked.body as unknown as { kind: string }).kind, 'PASSWORD_CHANGE_REQUIRED');
    const wrong = await c.call(api.changePassword, { body: { currentPassword: 'nope', newPassword: 'Shengji-2025v' } });
    assert.equal(wrong.status, 400);
    assert.equal((wrong.body as unknown as { details: { field: string }[] }).details[0]!.field, 'body.currentPassword');
    const weak = await c.call(api.changePassword, { body: { currentPassword: 'Initial2025x', newPassword: 'short' } });
    assert.equal((weak.body as unknown as { details: { field: string; message: string }[] }).details[0]!.message, '密码长度不能少于 8 位');
    await c.ok(api.changePassword, { body: { currentPassword: 'Initial2025x', newPassword: 'Shengji-2025v' } });
    assert.equal((await c.call(api.regionRoots)).status, 200);
    assert.equal((await env.client().login('newbie', 'Initial2025x')).status, 401);
  });

  test('logout ends the session; disabling a user ends theirs and blocks login', async () => {
    const { client, id } = await userClient(env, admin, { username: 'leaver', role: 'township_officer', regionCode: ZHANGXIANG });
    const other = env.client();
    await other.login('leaver', 'Changed2025y');
    await other.ok(api.logout);
    assert.equal((await other.call(api.me)).status, 401);
    assert.equal((await client.call(api.me)).status, 200);
    const noReason = await admin.call(api.userUpdate, { params: { id }, body: { status: 'disabled' } });
    assert.equal(noReason.status, 400);
    await admin.ok(api.userUpdate, { params: { id }, body: { status: 'disabled', reason: '调离' } });
    assert.equal((await client.call(api.me)).status, 401);
    const again = await env.client().login('leaver', 'Changed2025y');
    assert.equal(again.status, 403);
  });
});
