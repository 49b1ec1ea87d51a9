/**
 * The run framework's guards (services/runs.ts), each with test kinds defined here (their records in tables of this
 * test's own database): the recovery sweep recovers each run in a transaction of its own (a cleanup that throws
 * does not keep the others from being recovered); a run taken away by the sweep while its handler still works
 * cannot write its end (its progress and the fence of its work transaction throw RunLost, the work rolls back);
 * a run of a disabled creator fails with runs.creatorDisabled; a run over its kind's maxSeconds is failed, its work
 * transaction ended and its slot freed; a run of a kind this process does not define is left alone; a run's
 * exception text is not sent to clients; runs are readable as narrowly as their subjects and retried only inside
 * the actor's region.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api } from '@tuopin/domain';
import { RunsRepository, type RunRow } from '../src/repositories/runs.repository';
import { RunLost } from '../src/services/runs';
import { QINGHE, setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const repo = new RunsRepository();

/** A promise with its resolve, for a handler the test lets go. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until<T>(what: string, f: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('run framework guards', () => {
  let env: TestEnv;
  let adminId: number;
  let zx: TestClient;

  const runOf = async (id: number) => (await sql<RunRow>`select * from runs where id = ${id}`.execute(env.db.kysely)).rows[0]!;
  const kindState = async (id: number) => (await sql<{ status: string }>`select status from test_kind where id = ${id}`.execute(env.db.kysely)).rows[0]?.status;
  const workRows = async (id: number) => Number((await sql<{ n: number }>`select count(*)::int as n from test_kind_work where id = ${id}`.execute(env.db.kysely)).rows[0]!.n);
  /** A run record of a kind (queued, of QINGHE, by the user) and its kind record 'queued'. */
  async function newRun(kind: string, userId = adminId, regionCode = QINGHE): Promise<RunRow> {
    const run = await env.db.system({ name: 'test' }, (tx) => repo.insert(tx, { regionCode, kind, subjectId: null, userId, username: 'test' }));
    await sql`insert into test_kind (id, status) values (${run.id}, 'queued')`.execute(env.db.kysely);
    return run;
  }
  /** As a process that is gone would leave it: the run taken by a worker without a presence. */
  const takeAway = (id: number) => sql`update runs set worker = 'gone-process' where id = ${id}`.execute(env.db.kysely);

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    adminId = (await sql<{ id: number }>`select id::int as id from users where username = 'admin'`.execute(env.db.kysely)).rows[0]!.id;
    ({ client: zx } = await userClient(env, admin, { username: 'guard_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    await sql`create table test_kind (id bigint primary key, status text not null)`.execute(env.db.kysely);
    await sql`create table test_kind_work (id bigint not null)`.execute(env.db.kysely);
    await sql`grant select, insert, update, delete on test_kind, test_kind_work to tuopin_app`.execute(env.db.kysely);
  });
  after(() => env.close());

  const setState = (status: string) => async (tx: Parameters<NonNullable<Parameters<TestEnv['services']['runs']['define']>[0]['cleanup']>>[0], run: RunRow) => {
    await sql`update test_kind set status = ${status} where id = ${run.id}`.execute(tx);
  };

  test('a cleanup that throws does not keep the other runs from being recovered; its run is failed all the same', async () => {
    const runs = env.services.runs;
    runs.define({
      kind: 'test.cleanupThrows', permissions: { read: 'quality:read', run: 'quality:run' }, handler: async () => undefined,
      cleanup: async () => { throw new Error('cleanup bug'); },
    });
    runs.define({ kind: 'test.cleanupOk', permissions: { read: 'quality:read', run: 'quality:run' }, handler: async () => undefined, cleanup: setState('failed') });
    const bad = await newRun('test.cleanupThrows');
    const good = await newRun('test.cleanupOk');
    for (const r of [bad, good]) {
      await sql`update runs set status = 'running', started_at = now(), heartbeat_at = now() where id = ${r.id}`.execute(env.db.kysely);
      await takeAway(r.id);
    }
    // (the process's own sweep may come first: either way both are recovered, and the call does not throw)
    await runs.recover();
    assert.equal((await runOf(good.id)).status, 'failed');
    assert.equal(await kindState(good.id), 'failed', 'the other run was cleaned up');
    const b = await runOf(bad.id);
    assert.equal(b.status, 'failed', 'the run whose cleanup threw is failed all the same');
    assert.equal(b.message_code, 'runs.interrupted');
    assert.match(b.error ?? '', /cleanup failed: cleanup bug/);
    assert.deepEqual(await runs.recover(), [], 'nothing left to recover: the sweep does not retry it for ever');
  });

  for (const via of ['progress', 'fence'] as const) {
    test(`a run failed by the sweep while its handler works cannot write its end (${via}): the kind's record stays failed`, async () => {
      const runs = env.services.runs;
      const kind = `test.lost.${via}`;
      const reached = deferred();
      const release = deferred();
      let thrown: unknown = null;
      runs.define({
        kind, permissions: { read: 'quality:read', run: 'quality:run' }, cleanup: setState('failed'),
        handler: async (ctx) => {
          await ctx.scoped(async (tx) => {
            await sql`insert into test_kind_work (id) values (${ctx.run.id})`.execute(tx);
            reached.resolve();
            await release.promise;
            try {
              if (via === 'progress') await ctx.progress({ fraction: 0.5 });
              await sql`update test_kind set status = 'done' where id = ${ctx.run.id}`.execute(tx);
            } catch (e) {
              thrown = e;
              throw e;
            }
          });
        },
      });
      const run = await newRun(kind);
      const delivered = runs.deliverRun(run.id);
      await reached.promise;
      await takeAway(run.id);
      await runs.recover();
      assert.equal((await runOf(run.id)).status, 'failed');
      assert.equal(await kindState(run.id), 'failed');
      release.resolve();
      await delivered;
      if (via === 'progress') assert.ok(thrown instanceof RunLost, `progress threw ${String(thrown)}`);
      assert.equal(await kindState(run.id), 'failed', 'the handler did not turn the record back into done');
      assert.equal(await workRows(run.id), 0, 'its work was rolled back');
      const r = await runOf(run.id);
      assert.equal(r.status, 'failed');
      assert.equal(r.message_code, 'runs.interrupted');
    });
  }

  test('a run whose creator was disabled fails with runs.creatorDisabled, its handler not called', async () => {
    const runs = env.services.runs;
    const admin = await env.admin();
    const { id: userId } = await userClient(env, admin, { username: 'guard_gone', role: 'county_admin', regionCode: QINGHE });
    let called = false;
    runs.define({
      kind: 'test.creator', permissions: { read: 'quality:read', run: 'quality:run' }, cleanup: setState('failed'),
      handler: async () => { called = true; },
    });
    const run = await newRun('test.creator', userId);
    await sql`update users set status = 'disabled' where id = ${userId}`.execute(env.db.kysely);
    await runs.deliverRun(run.id);
    const r = await runOf(run.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.message_code, 'runs.creatorDisabled');
    assert.equal(called, false, 'the handler never ran as the disabled account');
    assert.equal(await kindState(run.id), 'failed', 'cleaned up');
  });

  test('a run over its maxSeconds is failed (runs.timedOut), its work transaction ended and rolled back, its slot freed', async () => {
    const runs = env.services.runs;
    let aborted = false;
    runs.define({
      kind: 'test.hangs', maxSeconds: 1, permissions: { read: 'quality:read', run: 'quality:run' }, cleanup: setState('failed'),
      handler: async (ctx) => {
        ctx.signal.addEventListener('abort', () => (aborted = true));
        await ctx.scoped(async (tx) => {
          await sql`insert into test_kind_work (id) values (${ctx.run.id})`.execute(tx);
          await sql`select pg_sleep(120)`.execute(tx); // hangs (as on a lock held by an idle session)
          await sql`update test_kind set status = 'done' where id = ${ctx.run.id}`.execute(tx);
        });
      },
    });
    const run = await newRun('test.hangs');
    const t0 = Date.now();
    await runs.deliverRun(run.id);
    assert.ok(Date.now() - t0 < 60_000, `the slot was freed after ${Date.now() - t0} ms`);
    const r = await runOf(run.id);
    assert.equal(r.status, 'failed');
    assert.equal(r.message_code, 'runs.timedOut');
    assert.equal(aborted, true, 'ctx.signal was aborted');
    assert.equal(await kindState(run.id), 'failed', 'cleaned up');
    await until('the work transaction is gone', async () => Number((await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity where query like '%pg_sleep(120)%' and pid <> pg_backend_pid()`.execute(env.db.kysely)).rows[0]!.n), (n) => n === 0);
    assert.equal(await workRows(run.id), 0, 'its work was rolled back');
  });

  test('a run of a kind this process does not define is left to a process that does', async () => {
    const run = await env.db.system({ name: 'test' }, (tx) => repo.insert(tx, { regionCode: QINGHE, kind: 'test.unknownKind', subjectId: null, userId: adminId, username: 'test' }));
    await sql`update runs set status = 'running', heartbeat_at = now() - interval '1 day' where id = ${run.id}`.execute(env.db.kysely);
    await takeAway(run.id);
    assert.deepEqual((await env.services.runs.recover()).filter((r) => r.id === run.id), []);
    assert.equal((await runOf(run.id)).status, 'running');
  });

  test('a run is readable as narrowly as its subject, its error text is not sent, and it is retried only inside the actor\'s region', async () => {
    // a failed data-quality run and a failed warning run of the county, with an exception text
    const mk = async (kind: string) => {
      const r = await env.db.system({ name: 'test' }, (tx) => repo.insert(tx, { regionCode: QINGHE, kind, subjectId: null, userId: adminId, username: 'test' }));
      await sql`update runs set status = 'failed', finished_at = now(), error = 'duplicate key value violates unique constraint "x_pkey"' where id = ${r.id}`.execute(env.db.kysely);
      return r.id;
    };
    const quality = await mk('quality.run');
    const rules = await mk('rules.run');
    const admin = await env.admin();
    const seen = await admin.ok(api.runGet, { params: { id: quality } });
    assert.equal('error' in seen, false, 'no exception text in RunInfo');
    assert.equal(seen.retryable, true);
    // the township officer: the county's quality run is not theirs to read (as the quality run itself)
    const hidden = await zx.call(api.runGet, { params: { id: quality } });
    assert.equal(hidden.status, 404, JSON.stringify(hidden.body));
    // the county's warning run is readable from below (as rule_runs), but not retried from there
    const covered = await zx.ok(api.runGet, { params: { id: rules } });
    assert.equal(covered.retryable, false);
    assert.equal('error' in covered, false);
    const denied = await zx.call(api.runRetry, { params: { id: rules } });
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
    assert.equal((denied.body as unknown as { code: string }).code, 'runs.retryDenied');
  });
});
