/**
 * Crash recovery of the background runs with the database really killed (issue 11, item 3): a PostgreSQL of this
 * test's own (embedded, as scripts/test.ts starts the shared one — which is not touched: other test files use it),
 * a migrated database on it and a server process; in the middle of each kind (the run gate, TUOPIN_TEST_RUN_GATE)
 * the postmaster is SIGKILLed, the paused run is let go (its next statement fails), and once the server has logged
 * that the run's end could not be recorded, PostgreSQL is started again (crash recovery: the unlogged staging
 * tables come back empty, pg-boss's state survives). The same server's sweep then fails the run as interrupted
 * (runs.interrupted), the staging is empty, and the retry succeeds.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ImportInfo, QualityRun, RuleRun, RunInfo } from '@tuopin/domain';
import { ROOT_DIR } from '../src/config';
import { Database, ensureDatabase } from '../src/db/database';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded';
import { Jobs } from '../src/jobs';
import { bootstrap } from '../src/services/bootstrap.service';
import { createDeps } from '../src/services/container';
import { freePort, testConfig } from '../src/testing/harness';
import { files, QINGHE, Server, until, YEAR } from './run-server';

describe('run recovery (the database killed: SIGKILL of its postmaster in the middle of each kind)', { timeout: 600_000 }, () => {
  let pgDir: string;
  let port: number;
  let pgServer: EmbeddedServer;
  let dbUrl: string;
  let server: Server;
  let gate: string;
  let dataDir: string;

  async function q<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      return (await c.query<T>(text, params)).rows;
    } finally {
      await c.end();
    }
  }
  const run = async (id: number) => (await q<{ status: string; progress: number; message_code: string | null; kind: string }>(
    'select status, progress, message_code, kind from runs where id = $1', [id]))[0]!;
  const staged = async (importId: number) => Number((await q<{ n: string }>(
    `select (select count(*) from import_households where import_id = $1) + (select count(*) from import_statuses where import_id = $1)
          + (select count(*) from import_members where import_id = $1) + (select count(*) from import_income where import_id = $1) as n`, [importId]))[0]!.n);
  const importOf = (id: number) => server.ok<{ import: ImportInfo }>('GET', `/api/imports/${id}`).then((r) => r.import);
  const closeGate = () => fs.rmSync(path.join(gate, 'open'), { force: true });
  const openGate = () => fs.writeFileSync(path.join(gate, 'open'), '');

  /** Starts the test's PostgreSQL (again, after a kill: its crash recovery runs; the killed backends may take a moment to go). */
  async function startPg(): Promise<void> {
    const end = Date.now() + 120_000;
    for (;;) {
      try {
        pgServer = await startEmbeddedPostgres(pgDir, port);
        return;
      } catch (e) {
        if (Date.now() > end) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }

  /** SIGKILL of the postmaster (its pid is the first line of postmaster.pid); waits until it is gone. */
  async function killPg(): Promise<void> {
    const pid = Number(fs.readFileSync(path.join(pgDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    assert.ok(pid > 0);
    process.kill(pid, 'SIGKILL');
    await until('the postmaster is gone', async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, (gone) => gone);
  }

  /** Kills the database in the middle of the run and starts it again; the same server fails the run as interrupted. */
  async function killDatabase(runId: number): Promise<void> {
    await until(`run ${runId} paused in the middle`, () => run(runId), (r) => r.status === 'running' && r.progress >= 0.3);
    const before = server.out.length;
    await killPg();
    fs.writeFileSync(path.join(gate, `go-${runId}`), '');
    // the handler's next statement fails, and so does recording its end (the database is away)
    await until('the server could not record the end', async () => server.out.slice(before), (o) => new RegExp(`\\[runs\\] [a-z.]+ run ${runId}: `).test(o));
    await startPg();
    openGate();
    const r = await until(`run ${runId} failed after the database came back`, () => run(runId), (x) => x.status === 'failed');
    assert.equal(r.message_code, 'runs.interrupted', JSON.stringify(r));
    assert.equal(server.child?.exitCode, null, 'the server survived the database going away');
  }

  async function retry(runId: number): Promise<RunInfo> {
    const queued = await server.ok<RunInfo>('POST', `/api/runs/${runId}/retry`);
    assert.equal(queued.status, 'queued');
    return queued;
  }
  async function succeeded(id: number): Promise<RunInfo> {
    const r = await until(`run ${id} succeeded`, () => server.ok<RunInfo>('GET', `/api/runs/${id}`), (x) => x.status === 'succeeded' || x.status === 'failed');
    assert.equal(r.status, 'succeeded', `run ${id}: ${JSON.stringify(r)}\n${server.out.slice(-3000)}`);
    return r;
  }

  before(async () => {
    pgDir = path.join(ROOT_DIR, '.tmp', `crash-pg-${process.pid}`);
    fs.rmSync(pgDir, { recursive: true, force: true });
    port = await freePort();
    await startPg();
    // a database as the test template is built (harness.ts startTestServer): migrated, bootstrapped, pg-boss's schema
    dbUrl = await ensureDatabase(pgServer.url, 'tuopin_crash');
    const db = new Database(dbUrl, 4);
    await db.migrate();
    await bootstrap(createDeps(db, testConfig()), () => {});
    await db.close();
    const jobs = new Jobs(dbUrl);
    await jobs.start();
    await jobs.stop();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-crash-data-'));
    gate = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-crash-gate-'));
    server = new Server(dbUrl, dataDir, gate);
    await server.start();
  });
  after(async () => {
    await server?.kill();
    await pgServer?.stop().catch(() => undefined);
    fs.rmSync(pgDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(gate, { recursive: true, force: true });
  });

  test('validation, commit, quality run and warning run: each failed as interrupted, cleaned, and retried successfully', async () => {
    // an import's validation
    closeGate();
    const upload = await server.upload(files('RECK', 10, 700));
    await killDatabase(upload.runId!);
    assert.equal((await importOf(upload.id)).status, 'failed');
    assert.equal(await staged(upload.id), 0);
    await retry(upload.runId!);
    await succeeded(upload.runId!);
    assert.equal((await importOf(upload.id)).status, 'validated');

    // its commit
    closeGate();
    const commitRun = (await server.ok<ImportInfo>('POST', `/api/imports/${upload.id}/commit`)).runId!;
    await killDatabase(commitRun);
    assert.equal((await importOf(upload.id)).status, 'failed');
    assert.equal(await staged(upload.id), 0, 'no staging rows after the crash');
    assert.equal(Number((await q<{ n: string }>("select count(*) as n from households where household_no like 'RECK-%'"))[0]!.n), 0, 'nothing written');
    const again = await retry(commitRun);
    await succeeded(again.id);
    const committed = await until('import committed', () => importOf(upload.id), (i) => i.status === 'committed' || i.status === 'failed' || i.status === 'invalid');
    assert.equal(committed.status, 'committed', committed.message ?? '');
    assert.equal(Number((await q<{ n: string }>("select count(*) as n from households where household_no like 'RECK-%'"))[0]!.n), 10);

    // a data-quality run
    closeGate();
    const quality = await server.ok<QualityRun>('POST', '/api/quality/runs', { regionCode: QINGHE, year: YEAR });
    await killDatabase(quality.runId!);
    assert.equal((await server.ok<QualityRun>('GET', `/api/quality/runs/${quality.id}`)).status, 'failed');
    assert.equal(Number((await q<{ n: string }>('select count(*) as n from quality_findings where run_id = $1', [quality.id]))[0]!.n), 0);
    await retry(quality.runId!);
    await succeeded(quality.runId!);
    assert.equal((await server.ok<QualityRun>('GET', `/api/quality/runs/${quality.id}`)).status, 'done');

    // a warning run
    closeGate();
    const clues = Number((await q<{ n: string }>('select count(*) as n from clues'))[0]!.n);
    const rules = await server.ok<RuleRun>('POST', '/api/rule-runs', { regionCode: QINGHE, year: YEAR });
    await killDatabase(rules.runId!);
    assert.equal((await server.ok<RuleRun>('GET', `/api/rule-runs/${rules.id}`)).status, 'failed');
    assert.equal(Number((await q<{ n: string }>('select count(*) as n from clues'))[0]!.n), clues, 'no clue of it');
    await retry(rules.runId!);
    await succeeded(rules.runId!);
    assert.equal((await server.ok<RuleRun>('GET', `/api/rule-runs/${rules.id}`)).status, 'done');
  });
});
