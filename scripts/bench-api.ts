/**
 * npm run bench:api -- [--persons 4000] [--region 211204] [--seed 1] [--duration 10] [--connections 1,10,50] [--cpu-prof DIR]
 *
 * Request overhead of the product. Generates a county (4,000 persons of 清河区 with seed 1: about 1,775 households,
 * the demo data set), creates a county administrator, starts the real server (apps/server/src/main.ts in a process of
 * its own, NODE_ENV=production, LOG_LEVEL=warn, the same pool of 20 connections as always) and logs in. Then, for each
 * number of connections, in the same run and one right after the other:
 *
 * - api: autocannon drives the web's mixed reads against the server: the household list (first page of 50 with the
 *   totals, as the list page opens), a household page, the dashboard and a region's children, in turn, over many
 *   households and regions of the county;
 * - raw: the same SQL straight through `pg`: every data statement the product sent for each of those requests
 *   (captured once, in this process, through the product's own routes) is replayed on a pool of the same size, one
 *   pooled connection per request, statements in sequence, with `connections` requests in flight, inside the least a
 *   hand-written server needs for row-level security: one simple query `begin read only; set local role tuopin_app;
 *   select set_config('tuopin.scope', …)` before them and `commit` after. No HTTP, no session check, no audit
 *   settings, no JSON. The ratio and the last line are against this figure;
 * - raw-owner: the same statements without any transaction, as the owner (no row-level security): the database's
 *   work alone, printed beside it to show what row-level security itself costs.
 *
 * Prints req/s, p50 and p99 of each and the ratio per connection count, with the load average of the machine
 * (other processes share it). The last line is machine-readable, for 10 connections:
 * `api_rps=<n> raw_rps=<n> ratio=<x> p99_ms=<x>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app';
import { createServices } from '../apps/server/src/services/container';
import { ROOT_DIR } from '../apps/server/src/config';
import { Database } from '../apps/server/src/db/database';
import { generateIntoDatabase } from '../apps/server/src/generate/index';
import { hashPassword } from '../apps/server/src/services/auth.service';
import { cloneTemplate, freePort, startTestServer, testConfig } from '../apps/server/src/testing/harness';
import { currentYearInChina } from '../apps/server/src/clock';
import { arg, benchLog } from './lib/bench';

const persons = Number(arg('persons', '4000'));
const county = arg('region', '211204');
const seed = Number(arg('seed', '1'));
const duration = Number(arg('duration', '10'));
const connectionCounts = arg('connections', '1,10,50').split(',').map(Number);
const cpuProfDir = arg('cpu-prof', '');
const POOL_SIZE = 20; // the product's pool (Database's default)
const USERNAME = 'bench_county';
const PASSWORD = 'Bench-county-2024';
const log = benchLog('api');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

interface Statement { text: string; values: unknown[] }
/** Every statement the product sent per request, overhead included (captureStatements). */
const sentPerRequest = new Map<string, number>();

/** Statements that are not the page's data: transaction control, scope and audit settings, the session check. */
const OVERHEAD = /^\s*(begin|start transaction|commit|rollback|set local|set transaction|select set_config|savepoint|release)\b|\bsessions\b|"password_hash"/i;

const pgServer = await startTestServer(() => {});
const { url, drop } = await cloneTemplate(pgServer.adminUrl, 'bench_api');
const db = new Database(url, POOL_SIZE);
let server: ChildProcess | null = null;
try {
  const t = performance.now();
  const year = currentYearInChina();
  const g = await generateIntoDatabase(db, { region: county, persons, seed, year });
  await db.pool.query('vacuum analyze');
  log(`generated ${g.persons} persons, ${g.households} households in ${county} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const countyCode = `${county}000000`;
  await db.pool.query(
    `insert into users (username, display_name, role, region_code, password_hash, must_change_password)
     values ($1, '基准测试', 'county_admin', $2, $3, false)`,
    [USERNAME, countyCode, await hashPassword(PASSWORD)],
  );

  // The requests of the mix: households spread over the county, its townships and a few villages' parents.
  const households = (await db.pool.query<{ county_code: string; id: number }>(
    `select county_code, id from households where county_code = $1 order by md5(id::text) limit 100`, [county],
  )).rows;
  const parents = (await db.pool.query<{ code: string }>(
    `select code from regions where code = $1 or (parent_code = $1) order by code`, [countyCode],
  )).rows.map((r) => r.code);
  const kinds: string[][] = [
    [`/api/households?regionCode=${countyCode}`, ...parents.slice(1, 6).map((c) => `/api/households?regionCode=${c}`)],
    households.map((h) => `/api/households/${h.county_code}/${h.id}`),
    [`/api/dashboard`, ...parents.slice(1, 4).map((c) => `/api/dashboard?regionCode=${c}`)],
    parents.map((c) => `/api/regions/${c}/children`),
  ];
  // Round robin over the kinds, each kind's list in turn: every request of a run is one of these paths.
  const paths: string[] = [];
  for (let i = 0; i < 400; i++) paths.push(kinds[i % 4]![Math.floor(i / 4) % kinds[i % 4]!.length]!);
  const distinct = [...new Set(paths)];
  log(`mix: ${distinct.length} distinct requests (household list ${kinds[0]!.length}, household page ${kinds[1]!.length}, dashboard ${kinds[2]!.length}, region children ${kinds[3]!.length})`);

  // Capture each request's data statements through the product's own routes, in this process.
  const captured = await captureStatements(url, distinct);
  const mean = (xs: number[]) => (xs.reduce((s, n) => s + n, 0) / xs.length).toFixed(1);
  const perRequest = paths.map((p) => captured.get(p)!.length);
  const allPerRequest = paths.map((p) => sentPerRequest.get(p)!);
  log(`statements per request of the mix: ${mean(allPerRequest)} sent by the product, ${mean(perRequest)} of them data (the rest: session check, transaction, scope)`);
  if (process.argv.includes('--statements')) await timeStatements(db, kinds, captured);

  // The real server, in a process of its own.
  const port = await freePort();
  server = spawn(process.execPath, [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), '--import', 'tsx', path.join(ROOT_DIR, 'apps/server/src/main.ts')], {
    cwd: ROOT_DIR,
    env: {
      ...process.env, NODE_ENV: 'production', DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn',
      TUOPIN_DEMO_DATA: 'false', LOGIN_RATE_LIMIT: '1000', TUOPIN_WEB_DIST: path.join(os.tmpdir(), 'tuopin-bench-no-web'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    server!.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const cookie = await login(base);
  log(`server on ${base}, logged in as ${USERNAME} (county_admin of ${countyCode})`);

  const rawPool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  const scope = `begin read only; set local role tuopin_app; select set_config('tuopin.scope', '${county}', true)`;
  const results: { connections: number; api: Figures; raw: Figures }[] = [];
  for (const connections of connectionCounts) {
    // Warm both paths, then measure raw and api one right after the other.
    await runRaw(rawPool, paths, captured, connections, 2, scope);
    let c0 = cpuNow(server.pid!);
    const raw = await runRaw(rawPool, paths, captured, connections, duration, scope);
    const rawCpu = cpuPerRequest(c0, cpuNow(server.pid!), raw.rps * duration);
    const owner = await runRaw(rawPool, paths, captured, connections, duration, null);
    const loadRaw = load();
    await runApi(base, cookie, paths, connections, 2);
    c0 = cpuNow(server.pid!);
    const api = await runApi(base, cookie, paths, connections, duration);
    const apiCpu = cpuPerRequest(c0, cpuNow(server.pid!), api.rps * duration);
    results.push({ connections, api, raw });
    log(`connections ${String(connections).padStart(2)}: api ${api.rps.toFixed(0).padStart(5)} req/s p50 ${api.p50.toFixed(1).padStart(6)} ms p99 ${api.p99.toFixed(1).padStart(6)} ms` +
      ` | raw ${raw.rps.toFixed(0).padStart(5)} req/s p50 ${raw.p50.toFixed(1).padStart(6)} ms p99 ${raw.p99.toFixed(1).padStart(6)} ms` +
      ` | ratio ${(api.rps / raw.rps).toFixed(2)} | raw-owner ${owner.rps.toFixed(0)} req/s p99 ${owner.p99.toFixed(1)} ms (api/raw-owner ${(api.rps / owner.rps).toFixed(2)})` +
      ` | load ${loadRaw} / ${load()}${api.errors ? ` | ${api.errors} ERRORS` : ''}`);
    // CPU time per request (from /proc, so it hardly depends on what else runs): what the request costs each
    // process, and the throughput that cost allows on the machine's cores when nothing else runs.
    const cores = os.cpus().length;
    const capacity = (c: CpuPerRequest) => (1000 * cores) / (c.server + c.postgres);
    log(`  cpu ms/request: api server ${apiCpu.server.toFixed(2)} + postgres ${apiCpu.postgres.toFixed(2)} (autocannon ${apiCpu.bench.toFixed(2)})` +
      ` | raw postgres ${rawCpu.postgres.toFixed(2)} (pg client ${rawCpu.bench.toFixed(2)}) | on ${cores} idle cores: api ≤ ${capacity(apiCpu).toFixed(0)} req/s,` +
      ` raw database ≤ ${((1000 * cores) / rawCpu.postgres).toFixed(0)} req/s`);
  }
  await rawPool.end();
  const ten = results.find((r) => r.connections === 10) ?? results[results.length - 1]!;
  const ratio = ten.api.rps / ten.raw.rps;
  log(`target at 10 connections: ratio ≥ 0.3 (${ratio.toFixed(2)}), p99 ≤ 100 ms (${ten.api.p99.toFixed(1)})${ratio >= 0.3 && ten.api.p99 <= 100 ? ' — met' : ' — NOT met'}`);
  console.log(`api_rps=${ten.api.rps.toFixed(0)} raw_rps=${ten.raw.rps.toFixed(0)} ratio=${ratio.toFixed(2)} p99_ms=${ten.api.p99.toFixed(1)}`);
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  await db.close();
  await drop();
  await pgServer.stop();
}

interface Figures { rps: number; p50: number; p99: number; errors: number }
interface Cpu { server: number; postgres: number; bench: number }
type CpuPerRequest = Cpu;

/** CPU milliseconds so far of a process (utime + stime of /proc/<pid>/stat), 0 when it is gone. */
function procCpuMs(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // fields 14 and 15, in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

/** The processes of this run's PostgreSQL. */
function postgresPids(): number[] {
  const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const info = all.map((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return { pid, ppid: Number(stat.split(') ')[1]!.split(' ')[1]), cmd: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') };
    } catch {
      return null;
    }
  }).filter((x) => x !== null);
  // The postmaster (and any wrapper that started it) name the data directory; the backends are their descendants.
  const found = new Set(info.filter((p) => p.cmd.includes(`test-pg-${process.pid}`) && p.pid !== process.pid).map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of info) if (found.has(p.ppid) && !found.has(p.pid)) { found.add(p.pid); grew = true; }
  }
  return [...found];
}

function cpuNow(serverPid: number): Cpu & { pids: Map<number, number> } {
  const pids = new Map(postgresPids().map((pid) => [pid, procCpuMs(pid)]));
  const u = process.cpuUsage();
  return { server: procCpuMs(serverPid), postgres: 0, bench: (u.user + u.system) / 1000, pids };
}

/** CPU ms per request between two snapshots (PostgreSQL: its processes alive at both). */
function cpuPerRequest(a: ReturnType<typeof cpuNow>, b: ReturnType<typeof cpuNow>, requests: number): CpuPerRequest {
  let postgres = 0;
  for (const [pid, ms] of b.pids) postgres += ms - (a.pids.get(pid) ?? 0);
  const n = Math.max(1, requests);
  return { server: (b.server - a.server) / n, postgres: postgres / n, bench: (b.bench - a.bench) / n };
}

/** Logs in through the API; returns the Cookie header of the session. */
async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: USERNAME, password: PASSWORD }),
  });
  if (r.status !== 200) throw new Error(`login: ${r.status} ${await r.text()}`);
  return r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

/** autocannon over the paths in turn (each connection takes the next path of the shared round). */
async function runApi(base: string, cookie: string, paths: string[], connections: number, seconds: number): Promise<Figures> {
  let next = 0;
  const result = await autocannon({
    url: base, connections, duration: seconds, headers: { cookie },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  });
  return { rps: result.requests.total / seconds, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
}

/** The captured statements of the same paths, `connections` requests at a time, for `seconds`; in a scoped transaction when `scope`. */
async function runRaw(pool: pg.Pool, paths: string[], captured: Map<string, Statement[]>, connections: number, seconds: number, scope: string | null): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const statements = captured.get(paths[next++ % paths.length]!)!;
      const t = performance.now();
      const client = await pool.connect();
      try {
        if (scope) await client.query(scope);
        for (const s of statements) await client.query(s.text, s.values);
        if (scope) await client.query('commit');
      } finally {
        client.release();
      }
      latencies.push(performance.now() - t);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors: 0 };
}

/** `--statements`: the mean time of each kind's statements, run one at a time (where a page's database time goes). */
async function timeStatements(db: Database, kinds: string[][], captured: Map<string, Statement[]>): Promise<void> {
  const names = ['household list', 'household page', 'dashboard', 'region children'];
  const client = await db.pool.connect();
  try {
    for (const [k, list] of kinds.entries()) {
      const times = new Map<string, { ms: number; n: number }>();
      for (let round = 0; round < 3; round++) {
        for (const p of list) {
          for (const s of captured.get(p)!) {
            const t = performance.now();
            await client.query(s.text, s.values);
            const key = s.text.replace(/\s+/g, ' ').trim().slice(0, 100);
            const e = times.get(key) ?? { ms: 0, n: 0 };
            if (round > 0) times.set(key, { ms: e.ms + performance.now() - t, n: e.n + 1 });
            else times.set(key, e);
          }
        }
      }
      log(`${names[k]}:`);
      for (const [key, e] of times) log(`  ${(e.ms / e.n).toFixed(2).padStart(7)} ms  ${key}`);
    }
  } finally {
    client.release();
  }
}

/**
 * Each path's data statements as the product sends them: the app is built in this process on its own pool, the
 * bench user logs in through it, and every statement sent while one request runs is recorded, less the overhead
 * (transaction control, scope and audit settings, the session check).
 */
async function captureStatements(dbUrl: string, requestPaths: string[]): Promise<Map<string, Statement[]>> {
  const capDb = new Database(dbUrl, 2);
  const services = createServices(capDb, testConfig({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-bench-')) }));
  const app = await buildApp(services, { logger: false });
  let recording: Statement[] | null = null;
  let sent = 0;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const a0 = args[0] as string | { text?: string; values?: unknown[] };
    const text = typeof a0 === 'string' ? a0 : a0?.text;
    const values = (typeof a0 === 'string' ? args[1] : a0?.values) as unknown[] | undefined;
    if (recording && text) {
      sent++;
      if (!OVERHEAD.test(text)) recording.push({ text, values: values ?? [] });
    }
    return original.apply(this, args);
  };
  try {
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: USERNAME, password: PASSWORD } });
    if (r.statusCode !== 200) throw new Error(`login (capture): ${r.statusCode} ${r.body}`);
    const cookies = Object.fromEntries(r.cookies.map((c) => [c.name, c.value]));
    const out = new Map<string, Statement[]>();
    for (const p of requestPaths) {
      recording = [];
      sent = 0;
      const res = await app.inject({ method: 'GET', url: p, cookies });
      if (res.statusCode !== 200) throw new Error(`${p}: ${res.statusCode} ${res.body}`);
      out.set(p, recording);
      sentPerRequest.set(p, sent);
      recording = null;
    }
    return out;
  } finally {
    (pg.Client.prototype as unknown as { query: unknown }).query = original;
    await app.close();
    await capDb.close();
  }
}
