/**
 * State transitions of runs as one conditional update each: simultaneous starts of a data-quality run queue one
 * run and one job; a job cannot take a run that is not waiting (a second job of a warning run or a quality run
 * leaves the finished run alone); a retried run waiting for its job is not taken for an orphan by the recovery sweep.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, type QualityRun, type RuleRun } from '@tuopin/domain';
import { currentYearInChina } from '../src/clock';
import { RunsRepository } from '../src/repositories/runs.repository';
import { setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const YEAR = currentYearInChina();

async function until<T>(f: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  const end = Date.now() + 60_000;
  for (;;) {
    const v = await f();
    if (done(v)) return v;
    if (Date.now() > end) throw new Error(`still not done: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('run state transitions', () => {
  let env: TestEnv;
  let zx: TestClient;

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    ({ client: zx } = await userClient(env, admin, { username: 'race_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
  });
  after(() => env.close());

  test('simultaneous starts of a data-quality run queue one run and one job; a second job leaves the finished run alone', async () => {
    const started = await Promise.all([1, 2, 3, 4].map(() => zx.call(api.qualityRunStart, { body: { year: YEAR } })));
    assert.deepEqual(started.map((s) => s.status), [201, 201, 201, 201], JSON.stringify(started.map((s) => s.body)));
    // Usually all four get the one waiting run. On a loaded machine the (empty) run may already have finished before
    // a later start arrives, which then rightly queues a new one: what must hold is that no two runs of the region
    // and year were ever waiting or running at the same time, and that each run has exactly one job.
    const ids = [...new Set(started.map((s) => (s.body as QualityRun).id))].sort((a, b) => a - b);
    for (const id of ids) await until(() => zx.ok(api.qualityRunGet, { params: { id } }), (r) => r.status === 'done' || r.status === 'failed');
    const runs = await sql<{ id: number; created: number; finished: number }>`
      select id::int, extract(epoch from created_at)::float8 as created, extract(epoch from finished_at)::float8 as finished from quality_runs
       where region_code = ${ZHANGXIANG} and year = ${YEAR} order by id`.execute(env.db.kysely);
    assert.deepEqual(runs.rows.map((r) => r.id), ids, 'every run created was answered to a start');
    for (let i = 1; i < runs.rows.length; i++) {
      assert.ok(runs.rows[i]!.created >= runs.rows[i - 1]!.finished, `run ${runs.rows[i]!.id} was queued while ${runs.rows[i - 1]!.id} was not over`);
    }
    for (const id of ids) {
      const jobs = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = 'quality.run' and data->>'id' = ${String(id)}`.execute(env.db.kysely);
      assert.equal(jobs.rows[0]!.n, 1, `one job for run ${id}`);
    }
    const id = ids[0]!;
    const done = await zx.ok(api.qualityRunGet, { params: { id } });
    assert.equal(done.status, 'done', done.message ?? '');
    await env.services.quality.execute(id);
    const again = await zx.ok(api.qualityRunGet, { params: { id } });
    assert.deepEqual(again, done);
  });

  test('a warning run is executed by one job only', async () => {
    const r = await zx.call(api.ruleRunStart, { body: { year: YEAR } });
    assert.ok(r.status < 300, JSON.stringify(r.body));
    const id = (r.body as RuleRun).id;
    const done = await until(() => zx.ok(api.ruleRunGet, { params: { id } }), (x) => x.status === 'done' || x.status === 'failed');
    assert.equal(done.status, 'done', done.message ?? '');
    const at = await sql<{ s: string; f: string }>`select started_at::text as s, finished_at::text as f from rule_runs where id = ${id}`.execute(env.db.kysely);
    await env.services.rules.execute(id);
    const after = await sql<{ s: string; f: string }>`select started_at::text as s, finished_at::text as f from rule_runs where id = ${id}`.execute(env.db.kysely);
    assert.deepEqual(after.rows, at.rows, 'a second execution does not take a finished run');
    assert.deepEqual(await zx.ok(api.ruleRunGet, { params: { id } }), done);
  });
  test('a retried run waiting for its job is not failed by the recovery sweep, however long ago it was created', async () => {
    const r = await zx.call(api.qualityRunStart, { body: { year: YEAR } });
    assert.ok(r.status < 300, JSON.stringify(r.body));
    const quality = r.body as QualityRun;
    const done = await until(() => zx.ok(api.qualityRunGet, { params: { id: quality.id } }), (x) => x.status === 'done' || x.status === 'failed');
    assert.equal(done.status, 'done', done.message ?? '');
    const runId = quality.runId!;
    // The run as one that failed an hour after it was created an hour ago; then retried as the retry does (the
    // record back to queued, committed), with the job not sent yet: the moment a busy machine stretches.
    await sql`update runs set status = 'failed', created_at = now() - interval '2 hours', queued_at = now() - interval '2 hours',
                finished_at = now() - interval '1 hour' where id = ${runId}`.execute(env.db.kysely);
    const queued = await env.db.system({ name: 'test' }, (tx) => new RunsRepository().requeue(tx, runId));
    assert.equal(queued?.status, 'queued');
    const failed = await env.services.runs.recover();
    assert.deepEqual(failed.map((x) => x.id).filter((id) => id === runId), [], 'the sweep left the retried run alone');
    const still = await sql<{ status: string }>`select status from runs where id = ${runId}`.execute(env.db.kysely);
    assert.equal(still.rows[0]!.status, 'queued');
    // Its queued time is older than the grace once more, and no job will come: now it is an orphan.
    await sql`update runs set queued_at = now() - interval '1 hour' where id = ${runId}`.execute(env.db.kysely);
    assert.deepEqual((await env.services.runs.recover()).map((x) => x.id).filter((id) => id === runId), [runId]);
  });
});
