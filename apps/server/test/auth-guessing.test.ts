/**
 * Guessing user names and passwords (issue 10, item 20): an unknown name is answered exactly like a known one, weak
 * passwords are refused, the own-password change has the login's guess limit, and one person's failures behind an
 * address do not shut out the other users behind it (limits per account and address, progressive delays).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from '@tuopin/domain';
import { loadConfig } from '../src/config';
import { LoginThrottle } from '../src/services/login-throttle';
import { setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const WEAK = /^密码太容易被猜到（.+），请使用更长、更没有规律的密码/;
type Err = { code: string; message: string; details?: { field: string; message: string }[] };
const answer = (r: { status: number; body: unknown }) => ({ status: r.status, body: r.body as Err });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('guessing user names and passwords', () => {
  let env: TestEnv;
  let admin: TestClient;

  before(async () => {
    env = await setup();
    admin = await env.admin();
  });
  after(() => env.close());

  test('an unknown user name gets exactly the answers of a known one: warnings, lock and status', async () => {
    await userClient(env, admin, { username: 'known_u', role: 'township_officer', regionCode: ZHANGXIANG });
    const known = [];
    const unknown = [];
    for (let i = 0; i < 6; i++) {
      known.push(answer(await env.client().login('known_u', 'wrong-password')));
      // The same name however it is typed: case and surrounding spaces do not start a new count.
      unknown.push(answer(await env.client().login(i % 2 ? ' Ghost_U ' : 'ghost_u', 'wrong-password')));
    }
    assert.deepEqual(unknown, known);
    assert.deepEqual(known.map((a) => a.status), [401, 401, 401, 401, 423, 423]);
    assert.deepEqual(known.slice(0, 5).map((a) => a.body.message), [
      '用户名或密码错误',
      '用户名或密码错误，再失败 3 次账号将被锁定',
      '用户名或密码错误，再失败 2 次账号将被锁定',
      '用户名或密码错误，再失败 1 次账号将被锁定',
      '登录失败次数过多，账号已锁定 15 分钟',
    ]);
    assert.equal(known[5]!.body.message, '登录失败次数过多，账号已锁定，请 15 分钟后再试或联系管理员解锁');
  });

  test('an unknown user name takes as long as a known one (the password is verified against a dummy hash)', async () => {
    await userClient(env, admin, { username: 'timed_u', role: 'township_officer', regionCode: ZHANGXIANG });
    const time = async (name: string) => {
      const t = performance.now();
      const r = await env.client().login(name, 'wrong-password');
      assert.equal(r.status, 401);
      return performance.now() - t;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, three failures each (the fourth would be the lock-out's last warning, the fifth the lock).
    for (let i = 0; i < 3; i++) {
      known.push(await time('timed_u'));
      unknown.push(await time(`nobody_${i}`));
    }
    const ratio = median(unknown) / median(known);
    assert.ok(ratio > 0.4 && ratio < 2.5, `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
  });

  test('weak passwords are refused with the message on creation, reset and own change', async () => {
    for (const password of ['password1', 'Passw0rd', 'qwerty123', 'woaini1314', '5201314abc']) {
      const r = await admin.call(api.userCreate, {
        body: { username: 'weak_u', displayName: '弱密码', role: 'township_officer', regionCode: ZHANGXIANG, password },
      });
      assert.equal(r.status, 400, password);
      const d = (r.body as unknown as Err).details!;
      assert.equal(d[0]!.field, 'body.password');
      assert.match(d[0]!.message, WEAK, password);
    }
    // The person's own names count as guessable.
    const named = await admin.call(api.userCreate, {
      body: { username: 'wlz_u', displayName: 'xiaofeng 王', role: 'township_officer', regionCode: ZHANGXIANG, password: 'Xiaofeng#2026' },
    });
    assert.match((named.body as unknown as Err).details![0]!.message, /包含用户名、姓名或系统名称/);

    const { client, id } = await userClient(env, admin, { username: 'strong_u', role: 'township_officer', regionCode: ZHANGXIANG });
    const reset = await admin.call(api.userResetPassword, { params: { id }, body: { newPassword: 'Passw0rd', reason: '测试' } });
    assert.equal(reset.status, 400);
    assert.match((reset.body as unknown as Err).details![0]!.message, WEAK);
    const own = await client.call(api.changePassword, { body: { currentPassword: 'Changed2025y', newPassword: 'qwerty123' } });
    assert.equal(own.status, 400);
    assert.equal((own.body as unknown as Err).details![0]!.field, 'body.newPassword');
    assert.match((own.body as unknown as Err).details![0]!.message, WEAK);
    // Nothing was changed: the old password still logs in.
    assert.equal((await env.client().login('strong_u', 'Changed2025y')).status, 200);
  });

  test('wrong current passwords in the password change count like failed logins and lock the account', async () => {
    const { client } = await userClient(env, admin, { username: 'chg_u', role: 'township_officer', regionCode: ZHANGXIANG });
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(answer(await client.call(api.changePassword, { body: { currentPassword: `guess-${i}`, newPassword: 'Tl7#kq9Vx2-new' } })));
    }
    assert.deepEqual(answers.map((a) => a.status), [400, 400, 400, 400, 423]);
    assert.deepEqual(answers.map((a) => a.body.details?.[0]?.message ?? a.body.message), [
      '当前密码不正确',
      '当前密码不正确，再失败 3 次账号将被锁定',
      '当前密码不正确，再失败 2 次账号将被锁定',
      '当前密码不正确，再失败 1 次账号将被锁定',
      '当前密码错误次数过多，账号已锁定 15 分钟，请稍后重新登录',
    ]);
    // The lock ends the sessions and holds for the right password too.
    assert.equal((await client.call(api.me)).status, 401);
    assert.equal((await env.client().login('chg_u', 'Changed2025y')).status, 423);
    const h = await admin.ok(api.auditList, { query: { entity: 'users' } });
    assert.ok(h.items.some((e) => e.action === 'password_change_failed'));
  });
});

describe('login limits behind a shared address', () => {
  test("one user's failures behind an address do not lock out another user at the same address", async () => {
    // The product's defaults, not the test configuration's lifted limits.
    const d = loadConfig({});
    const env = await setup({ loginRateLimitPerMinute: d.loginRateLimitPerMinute, loginAddressLimitPerMinute: d.loginAddressLimitPerMinute, loginAddressFreeFailures: d.loginAddressFreeFailures });
    try {
      const admin = await env.admin();
      await userClient(env, admin, { username: 'careless', role: 'township_officer', regionCode: ZHANGXIANG });
      await userClient(env, admin, { username: 'colleague', role: 'township_officer', regionCode: ZHANGXIANG });
      const office = '10.20.30.40';
      const careless = env.client();
      careless.ip = office;
      const statuses = new Set<number>();
      for (let i = 0; i < 25; i++) statuses.add((await careless.login('careless', `typo-${i}`)).status);
      assert.deepEqual([...statuses].sort(), [401, 423, 429]);
      const colleague = env.client();
      colleague.ip = office;
      const r = await colleague.login('colleague', 'Changed2025y');
      assert.equal(r.status, 200, JSON.stringify(r.body));
    } finally {
      await env.close();
    }
  });

  test('many failures from one address delay its next attempts progressively instead of a wall', async () => {
    const env = await setup({ loginAddressFreeFailures: 3 });
    try {
      const c = env.client();
      c.ip = '10.20.30.41';
      for (let i = 0; i < 3; i++) assert.equal((await c.login(`spray_${i}`, 'x-password')).status, 401);
      const held = await c.login('spray_3', 'x-password');
      assert.equal(held.status, 429);
      assert.equal((held.body as Err).message, '登录尝试过于频繁，请 1 秒后再试');
      // Another address is not affected.
      const elsewhere = env.client();
      elsewhere.ip = '10.20.30.42';
      assert.equal((await elsewhere.login('spray_3', 'x-password')).status, 401);
      // After the delay the address may try again.
      const deadline = Date.now() + 10_000;
      let r = await c.login('spray_3', 'x-password');
      while (r.status === 429 && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 100));
        r = await c.login('spray_3', 'x-password');
      }
      assert.equal(r.status, 401);
    } finally {
      await env.close();
    }
  });

  test('the delay doubles every five failures beyond the free ones, up to a minute; a limit per account and address', () => {
    let now = 1_000_000;
    const t = new LoginThrottle({ perAccountPerMinute: 3, addressFreeFailures: 2 }, () => now);
    const waits: number[] = [];
    for (let i = 0; i < 40; i++) {
      const w = t.admit('1.2.3.4', `name${i}`);
      waits.push(w);
      now += w * 1000;
      assert.equal(t.admit('1.2.3.4', `name${i}`) > 0 ? 1 : 0, 0, 'admitted after waiting');
      t.failed('1.2.3.4', `name${i}`);
    }
    // Two failures are free; the attempts after the next five wait 1 s, after the next five 2 s, and so on.
    assert.deepEqual(waits.slice(0, 2), [0, 0]);
    assert.deepEqual(waits.slice(2, 7), [1, 1, 1, 1, 1]);
    assert.deepEqual(waits.slice(7, 12), [2, 2, 2, 2, 2]);
    assert.deepEqual(waits.slice(12, 17), [4, 4, 4, 4, 4]);
    assert.equal(Math.max(...waits), 60);
    // Per account and address: the fourth attempt within a minute waits; another name from the address does not.
    const p = new LoginThrottle({ perAccountPerMinute: 3, addressFreeFailures: 100 }, () => now);
    assert.deepEqual([0, 1, 2, 3].map(() => p.admit('5.6.7.8', 'Zhang') > 0), [false, false, false, true]);
    assert.equal(p.admit('5.6.7.8', ' zhang '), 60 - 0, 'the same name however typed');
    assert.equal(p.admit('5.6.7.8', 'li'), 0);
    assert.equal(p.admit('5.6.7.9', 'zhang'), 0);
  });
});
