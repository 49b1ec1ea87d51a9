import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, renderMessage, type ErrorBody } from '@tuopin/domain';
import { setup, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

describe('API conventions', () => {
  let env: TestEnv;
  let admin: TestClient;
  before(async () => {
    env = await setup();
    admin = await env.admin();
  });
  after(() => env.close());

  test('health reports the database', async () => {
    const h = await env.client().ok(api.health);
    assert.equal(h.status, 'ok');
    assert.equal(h.database.ok, true);
    assert.match(h.database.version ?? '', /^\d+/);
  });

  test('the OpenAPI document lists every endpoint of the contract with its schemas', async () => {
    const r = await env.client().raw('GET', '/api/docs/json');
    assert.equal(r.status, 200);
    const doc = r.body as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    assert.match(doc.openapi, /^3\./);
    for (const e of Object.values(api)) {
      const p = e.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[p]?.[e.method.toLowerCase()];
      assert.ok(op, `${e.method} ${p} missing`);
      assert.ok(op.responses['400'], `${p} has no error schema`);
    }
    const ui = await env.client().raw('GET', '/api/docs/');
    assert.equal(ui.status, 200);
  });

  test('400 names each bad field, in Chinese', async () => {
    const r = await admin.call(api.userCreate, {
      body: { username: 'x', role: 'nope', regionCode: '123', password: 'p' } as never,
    });
    assert.equal(r.status, 400);
    const b = r.body as unknown as { code: string; message: string; details: { field: string; message: string }[] };
    assert.equal(b.code, 'http.invalidParam');
    assert.equal((b as unknown as { kind: string }).kind, 'VALIDATION');
    const fields = Object.fromEntries(b.details.map((d) => [d.field, d.message]));
    assert.equal(fields['body.displayName'], '缺少必填字段');
    assert.equal(fields['body.regionCode'], '格式不正确');
    assert.match(fields['body.role']!, /取值必须是以下之一/);
    const q = await admin.raw('GET', '/api/users?pageSize=1000');
    assert.equal((q.body as { details: { field: string }[] }).details[0]!.field, 'querystring.pageSize');
    const bad = await admin.raw('POST', '/api/users', { payload: '{not json', headers: { 'content-type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { message: string }).message, '请求内容不是合法的 JSON');
    const domainRule = await admin.call(api.userCreate, {
      body: { username: 'ok_name', displayName: '甲', role: 'village_officer', regionCode: ZHANGXIANG, password: 'Create2025t' },
    });
    assert.equal(domainRule.status, 400);
    assert.match((domainRule.body as unknown as { message: string }).message, /村级/);
  });

  test('unknown API routes answer 404 in the same shape; unauthenticated calls 401', async () => {
    const r = await env.client().raw('GET', '/api/nothing-here');
    assert.equal(r.status, 404);
    assert.equal((r.body as { code: string }).code, 'http.routeNotFound');
    assert.equal((r.body as { kind: string }).kind, 'NOT_FOUND');
    const u = await env.client().call(api.userList);
    assert.equal(u.status, 401);
    assert.equal((u.body as unknown as { code: string }).code, 'http.unauthenticated');
    assert.equal((u.body as unknown as { kind: string }).kind, 'UNAUTHENTICATED');
  });

  test('duplicate usernames are a 409 on the field', async () => {
    const r = await admin.call(api.userCreate, {
      body: { username: 'ADMIN', displayName: '重复', role: 'township_officer', regionCode: ZHANGXIANG, password: 'Create2025t' },
    });
    assert.equal(r.status, 409);
    assert.equal((r.body as unknown as { details: { field: string }[] }).details[0]!.field, 'body.username');
  });

  test('errors carry a catalogue code and params that render in English (issue 11 item 5)', async () => {
    const r = await admin.call(api.userCreate, {
      body: { username: 'ADMIN', displayName: '重复', role: 'township_officer', regionCode: ZHANGXIANG, password: 'Create2025t' },
    });
    const b = r.body as unknown as ErrorBody;
    assert.equal(b.code, 'users.usernameTaken');
    assert.equal(b.kind, 'CONFLICT');
    assert.deepEqual(b.params, { username: 'ADMIN' });
    assert.equal(b.message, '用户名 ADMIN 已存在');
    assert.equal(renderMessage({ code: b.code, params: b.params as never }, 'zh'), b.message);
    assert.equal(renderMessage({ code: b.code, params: b.params as never }, 'en'), 'The username ADMIN is already taken');
    assert.deepEqual(b.details, [{ field: 'body.username', message: '用户名 ADMIN 已存在', code: 'users.usernameTaken', params: { username: 'ADMIN' } }]);
    // A schema refusal: the top message names the field, each detail has its own code and params.
    const bad = await admin.raw('GET', '/api/users?pageSize=1000');
    const e = bad.body as unknown as ErrorBody;
    assert.equal(e.code, 'http.invalidParam');
    const d = e.details![0]!;
    assert.equal(d.code, 'common.maximum');
    assert.equal(renderMessage({ code: e.code, params: e.params as never }, 'en'), `Invalid request parameter: querystring.pageSize ${renderMessage({ code: d.code!, params: d.params as never }, 'en')}`);
    assert.match(renderMessage({ code: d.code!, params: d.params as never }, 'en')!, /^must be at most \d+$/);
  });

  test('5xx hides internals', async () => {
    const broken = await setup();
    const c = await broken.admin();
    await broken.db.pool.end();
    const r = await c.call(api.userList);
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { code: 'http.internal', kind: 'INTERNAL', message: '服务器内部错误，请稍后重试或联系管理员' });
    await broken.app.close();
    await broken.services.jobs.stop();
  });
});
