/**
 * Crash recovery of the background runs (issue 11, item 3; services/runs.ts). For each kind — an import's
 * validation, an import's commit, a data-quality run, a warning run — the run is interrupted in the middle, and
 * then it must be failed, its leftovers cleaned (no staging rows of the import, the import no longer 校验中 / 正在写入,
 * the quality run no longer blocking its region and year), and a retry must succeed.
 *
 * - Server killed: the server runs as a process of its own (apps/server/src/main.ts) on a clone of the template
 *   database, and is SIGKILLed while the run is paused in the middle, then started again. The pause is the test
 *   hook TUOPIN_TEST_RUN_GATE (services/runs.ts): the first progress report from 30 % on of a run's first attempt
 *   waits for a file (the product's code path is otherwise the real one; the report itself is written first, which
 *   is the condition the test waits on — no fixed sleeps).
 * - Database killed: the shared test PostgreSQL is not stopped (other test files use it); instead the test's own
 *   database is closed to new connections (ALLOW_CONNECTIONS false) and every backend on it is terminated with
 *   pg_terminate_backend from an admin connection, the paused run is let go (its next statement fails), and the
 *   database stays closed until the server has logged the failure; then it is opened again and the same server
 *   recovers (its sweep finds a run it no longer executes).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { idCheckCharacter, SHEETS, type ImportInfo, type QualityRun, type RuleRun, type RunInfo } from '@tuopin/domain';
import { currentYearInChina } from '../src/clock';
import { ROOT_DIR } from '../src/config';
import { cloneTemplate, freePort, TEST_ADMIN_PASSWORD } from '../src/testing/harness';

const QINGHE = '211204000000';
const V_ZX = '211204101200'; // a village of 张相镇
const YEAR = currentYearInChina();
const HOUSEHOLDS = 40;

const csv = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const headers = (sheet: keyof typeof SHEETS) => SHEETS[sheet].columns.map((c) => c.header);
const row = (sheet: keyof typeof SHEETS, values: Record<string, string>) => SHEETS[sheet].columns.map((c) => values[c.header] ?? '');
function idNumber(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

/** `n` households of one head each (numbers <prefix>-0001 …), as the three CSV files of an upload. */
function files(prefix: string, n: number, seq0: number) {
  const h: string[][] = [headers('households')];
  const m: string[][] = [headers('members')];
  const i: string[][] = [headers('income')];
  for (let k = 0; k < n; k++) {
    const no = `${prefix}-${String(k + 1).padStart(4, '0')}`;
    const birth = `${1960 + (k % 30)}-03-15`;
    h.push(row('households', { 户编号: no, 所在村代码: V_ZX, 户属性: '一般农户', 住房安全等级: 'B', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '一般农户' }));
    m.push(row('members', {
      户编号: no, 证件号码: idNumber(birth, (seq0 + k) % 500 * 2 + 1), 姓名: '周建国', 与户主关系: '户主', 性别: '男', 出生日期: birth, 民族: '汉族',
      文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险',
    }));
    i.push(row('income', { 户编号: no, 年度: String(YEAR), '其他工资性收入（元）': '24000' }));
  }
  return [
    { name: '户信息.csv', content: csv(h) },
    { name: '成员信息.csv', content: csv(m) },
    { name: '收入信息.csv', content: csv(i) },
  ];
}

/** Waits for a condition, polling; fails with the last value after the deadline. */
async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await get();
      if (ok(last)) return last;
    } catch (e) {
      last = e as T;
    }
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A server process of its own, with a cookie jar for the API. */
class Server {
  child: ChildProcess | null = null;
  out = '';
  port = 0;
  private cookie = '';
  private csrf = '';

  constructor(private readonly dbUrl: string, private readonly dataDir: string, private readonly gate: string) {}

  async start(): Promise<void> {
    this.port = await freePort();
    this.out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'apps/server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: {
        ...process.env, DATABASE_URL: this.dbUrl, TUOPIN_DATA_DIR: this.dataDir, PORT: String(this.port), HOST: '127.0.0.1',
        TUOPIN_DEMO_DATA: 'false', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: 'warn',
        TUOPIN_TEST_RUN_GATE: this.gate, TUOPIN_RUN_SWEEP_MS: '300', TUOPIN_RUN_HEARTBEAT_MS: '300',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const s of [child.stdout!, child.stderr!]) s.on('data', (b: Buffer) => (this.out += b.toString('utf8')));
    await until('server listening', async () => this.out, (o) => /listening on http/.test(o) || child.exitCode !== null, 120_000);
    assert.equal(child.exitCode, null, this.out);
    const login = await fetch(this.url('/api/auth/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }) });
    assert.equal(login.status, 200, await login.clone().text());
    this.cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    this.csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  url(p: string) {
    return `http://127.0.0.1:${this.port}${p}`;
  }

  async call<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { cookie: this.cookie, 'x-csrf-token': this.csrf };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(this.url(p), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as T };
  }

  async ok<T>(method: string, p: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, p, body);
    assert.ok(r.status < 300, `${method} ${p} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async upload(list: { name: string; content: string }[]): Promise<ImportInfo> {
    const form = new FormData();
    for (const f of list) form.append('files', new Blob([f.content]), f.name);
    const r = await fetch(this.url('/api/imports'), { method: 'POST', headers: { cookie: this.cookie, 'x-csrf-token': this.csrf }, body: form });
    const body = (await r.json()) as ImportInfo;
    assert.equal(r.status, 201, JSON.stringify(body));
    return body;
  }
}

describe('run recovery (server and database killed in the middle of each kind)', { timeout: 300_000 }, () => {
  const adminUrl = process.env.TUOPIN_TEST_PG!;
  let db: { url: string; drop: () => Promise<void> };
  let dbName: string;
  let server: Server;
  let gate: string;
  let dataDir: string;

  /** One query on a connection of its own (the test's connections are terminated with the server's). */
  async function q<T extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      return (await c.query<T>(text, params)).rows;
    } finally {
      await c.end();
    }
  }
  async function admin(text: string, params: unknown[] = []): Promise<void> {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(text, params);
    } finally {
      await c.end();
    }
  }
  const run = async (id: number) => (await q<{ status: string; progress: number; message_code: string | null; attempt: number; kind: string }>(
    'select status, progress, message_code, attempt, kind from runs where id = $1', [id]))[0]!;
  const staged = async (importId: number) => Number((await q<{ n: string }>(
    `select (select count(*) from import_households where import_id = $1) + (select count(*) from import_statuses where import_id = $1)
          + (select count(*) from import_members where import_id = $1) + (select count(*) from import_income where import_id = $1) as n`, [importId]))[0]!.n);
  const importOf = (id: number) => server.ok<{ import: ImportInfo }>('GET', `/api/imports/${id}`).then((r) => r.import);
  /** Gating on: the next run's first attempt pauses at 30 %. */
  const closeGate = () => fs.rmSync(path.join(gate, 'open'), { force: true });
  const openGate = () => fs.writeFileSync(path.join(gate, 'open'), '');
  const paused = (id: number) => until(`run ${id} paused in the middle`, () => run(id), (r) => r.status === 'running' && r.progress >= 0.3);

  /** Kills the server in the middle of the run, starts it again: the run is failed as interrupted. */
  async function killServer(runId: number): Promise<void> {
    await paused(runId);
    await server.kill();
    openGate();
    await server.start();
    const r = await until(`run ${runId} failed after the restart`, () => run(runId), (x) => x.status === 'failed');
    assert.equal(r.message_code, 'runs.interrupted');
  }

  /** Cuts the database off in the middle of the run and lets it back; the same server marks the run failed. */
  async function killDatabase(runId: number): Promise<void> {
    await paused(runId);
    const before = server.out.length;
    await admin(`alter database "${dbName}" allow_connections false`);
    await admin('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
    // the run goes on and fails on its dead connection; its end cannot be recorded while the database is away
    fs.writeFileSync(path.join(gate, `go-${runId}`), '');
    await until('the server noticed the database is gone', async () => server.out.slice(before), (o) => new RegExp(`\\[runs\\] [a-z.]+ run ${runId}`).test(o));
    await admin(`alter database "${dbName}" allow_connections true`);
    openGate();
    const r = await until(`run ${runId} failed after the database came back`, () => run(runId), (x) => x.status === 'failed');
    assert.ok(r.message_code === 'runs.interrupted' || r.message_code === 'runs.failed', JSON.stringify(r));
    assert.equal(server.child?.exitCode, null, 'the server survived the database going away');
  }

  async function retry(runId: number): Promise<RunInfo> {
    const queued = await server.ok<RunInfo>('POST', `/api/runs/${runId}/retry`);
    assert.equal(queued.status, 'queued');
    return queued;
  }
  /** Waits for the run's end and asserts it succeeded (naming its message and error otherwise). */
  async function succeeded(id: number): Promise<RunInfo> {
    const r = await until(`run ${id} succeeded`, () => server.ok<RunInfo>('GET', `/api/runs/${id}`), (x) => x.status === 'succeeded' || x.status === 'failed');
    assert.equal(r.status, 'succeeded', `run ${id}: ${JSON.stringify(r)}\n${server.out.slice(-3000)}`);
    return r;
  }

  before(async () => {
    dbName = `t_recovery_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    db = await cloneTemplate(adminUrl, dbName);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-recovery-data-'));
    gate = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-recovery-gate-'));
    server = new Server(db.url, dataDir, gate);
    await server.start();
  });
  after(async () => {
    await server?.kill();
    await admin(`alter database "${dbName}" allow_connections true`).catch(() => undefined);
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(gate, { recursive: true, force: true });
  });

  // State carried from test to test: the import validated and committed first is the data of the later runs.
  let importId = 0;

  test('import validation: server killed → failed, no staging rows, not 校验中; the retry validates', async () => {
    closeGate();
    const created = await server.upload(files('RECV', HOUSEHOLDS, 0));
    importId = created.id;
    assert.ok(created.runId, 'the import names its run');
    await killServer(created.runId!);
    const imp = await importOf(importId);
    assert.equal(imp.status, 'failed', imp.message ?? '');
    assert.equal(await staged(importId), 0);
    const again = await retry(created.runId!);
    assert.equal(again.id, created.runId);
    assert.equal((await succeeded(again.id)).status, 'succeeded');
    assert.equal((await importOf(importId)).status, 'validated');
    assert.equal(await staged(importId), HOUSEHOLDS * 4);
  });

  test('import commit: server killed → failed, staging deleted, committable again through the retry (validated again, then committed)', async () => {
    closeGate();
    const committing = await server.ok<ImportInfo>('POST', `/api/imports/${importId}/commit`);
    const runId = committing.runId!;
    assert.ok(runId);
    assert.equal((await run(runId)).kind, 'import.commit');
    await killServer(runId);
    const imp = await importOf(importId);
    assert.equal(imp.status, 'failed', 'no longer 正在写入');
    assert.equal(await staged(importId), 0, 'no staging rows left');
    assert.equal(Number((await q<{ n: string }>("select count(*) as n from households where household_no like 'RECV-%'"))[0]!.n), 0, 'nothing written');
    const again = await retry(runId);
    assert.equal(again.kind, 'import.validate', 'the retry of an interrupted commit validates again first');
    await succeeded(again.id);
    const done = await until('import committed', () => importOf(importId), (i) => i.status === 'committed' || i.status === 'failed' || i.status === 'invalid');
    assert.equal(done.status, 'committed', done.message ?? '');
    assert.equal(await staged(importId), 0);
    assert.equal(Number((await q<{ n: string }>("select count(*) as n from households where household_no like 'RECV-%'"))[0]!.n), HOUSEHOLDS);
  });

  test('quality run: server killed → failed, no findings, no longer blocking its region and year; the retry finishes', async () => {
    closeGate();
    const started = await server.ok<QualityRun>('POST', '/api/quality/runs', { regionCode: QINGHE, year: YEAR });
    await killServer(started.runId!);
    const latest = await server.ok<{ active: QualityRun | null }>('GET', `/api/quality/latest?regionCode=${QINGHE}&year=${YEAR}`);
    assert.equal(latest.active, null, 'nothing waiting or running for the region and year');
    assert.equal(Number((await q<{ n: string }>('select count(*) as n from quality_findings where run_id = $1', [started.id]))[0]!.n), 0);
    await retry(started.runId!);
    assert.equal((await succeeded(started.runId!)).status, 'succeeded');
    const done = await server.ok<QualityRun>('GET', `/api/quality/runs/${started.id}`);
    assert.equal(done.status, 'done', done.message ?? '');
    assert.equal(done.totals?.households, HOUSEHOLDS);
  });

  test('warning run: server killed → failed, no clue of it; the retry finishes', async () => {
    closeGate();
    const clues = Number((await q<{ n: string }>('select count(*) as n from clues'))[0]!.n);
    const started = await server.ok<RuleRun>('POST', '/api/rule-runs', { regionCode: QINGHE, year: YEAR });
    await killServer(started.runId!);
    const failed = await server.ok<RuleRun>('GET', `/api/rule-runs/${started.id}`);
    assert.equal(failed.status, 'failed');
    assert.equal(Number((await q<{ n: string }>('select count(*) as n from clues'))[0]!.n), clues);
    await retry(started.runId!);
    assert.equal((await succeeded(started.runId!)).status, 'succeeded');
    assert.equal((await server.ok<RuleRun>('GET', `/api/rule-runs/${started.id}`)).status, 'done');
  });

  test('database killed in the middle of each kind: failed, cleaned, and the retry succeeds', async () => {
    // validation of a second file
    closeGate();
    const second = await server.upload(files('RECD', 10, 600));
    await killDatabase(second.runId!);
    assert.equal((await importOf(second.id)).status, 'failed');
    assert.equal(await staged(second.id), 0);
    await retry(second.runId!);
    await succeeded(second.runId!);
    assert.equal((await importOf(second.id)).status, 'validated');

    // its commit
    closeGate();
    const commitRun = (await server.ok<ImportInfo>('POST', `/api/imports/${second.id}/commit`)).runId!;
    await killDatabase(commitRun);
    assert.equal((await importOf(second.id)).status, 'failed');
    assert.equal(await staged(second.id), 0);
    const again = await retry(commitRun);
    await succeeded(again.id);
    const committed = await until('second import committed', () => importOf(second.id), (i) => i.status === 'committed' || i.status === 'failed' || i.status === 'invalid');
    assert.equal(committed.status, 'committed', committed.message ?? '');

    // a quality run
    closeGate();
    const quality = await server.ok<QualityRun>('POST', '/api/quality/runs', { regionCode: QINGHE, year: YEAR });
    await killDatabase(quality.runId!);
    assert.equal((await server.ok<QualityRun>('GET', `/api/quality/runs/${quality.id}`)).status, 'failed');
    await retry(quality.runId!);
    await succeeded(quality.runId!);
    assert.equal((await server.ok<QualityRun>('GET', `/api/quality/runs/${quality.id}`)).status, 'done');

    // a warning run
    closeGate();
    const rules = await server.ok<RuleRun>('POST', '/api/rule-runs', { regionCode: QINGHE, year: YEAR });
    await killDatabase(rules.runId!);
    assert.equal((await server.ok<RuleRun>('GET', `/api/rule-runs/${rules.id}`)).status, 'failed');
    await retry(rules.runId!);
    await succeeded(rules.runId!);
    assert.equal((await server.ok<RuleRun>('GET', `/api/rule-runs/${rules.id}`)).status, 'done');
  });
});
