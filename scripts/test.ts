/**
 * `npm test`: the three tiers in one run.
 *   1. unit         packages/domain/test/*.test.ts
 *   2. integration  apps/server/test/*.test.ts against a real PostgreSQL (embedded, or TEST_DATABASE_URL);
 *                   each test file works on its own copy of a migrated template database
 *   3. e2e          apps/web/e2e/*.e2e.ts: the built web app served by the real server, driven by Chromium
 * Prints "N passed, N failed" at the end; exits non-zero when anything failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cloneTemplate, freePort, startTestServer, TEST_ADMIN_PASSWORD } from '../apps/server/src/testing/harness';
import { ROOT_DIR } from '../apps/server/src/config';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const want = (tier: string) => only === null || only === tier;
/** `--file <substring>`: run only the test files whose path contains it (for working on one area). */
const fileFilter = process.argv.includes('--file') ? process.argv[process.argv.indexOf('--file') + 1]! : null;
const totals = { passed: 0, failed: 0 };
const log = (m: string) => console.log(`\n[test] ${m}`);

function files(dir: string, suffix: string): string[] {
  const abs = path.join(ROOT_DIR, dir);
  if (!fs.existsSync(abs)) return [];
  return (fs.readdirSync(abs, { recursive: true }) as string[])
    .filter((f) => f.endsWith(suffix) && (fileFilter === null || path.join(dir, f).includes(fileFilter)))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Runs node's test runner on the files, streams its output, adds its counts to the totals. */
function nodeTest(list: string[], env: Record<string, string>, concurrency = 1): Promise<void> {
  if (list.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, '--test-timeout=600000', ...list],
      { cwd: ROOT_DIR, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      process.stdout.write(b);
      out += b.toString();
    });
    child.on('close', (code) => {
      const pass = Number(/ℹ pass (\d+)/.exec(out)?.[1] ?? 0);
      const fail = Number(/ℹ fail (\d+)/.exec(out)?.[1] ?? 0);
      totals.passed += pass;
      totals.failed += fail + (code !== 0 && fail === 0 ? 1 : 0);
      resolve();
    });
  });
}

async function waitForHealth(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server at ${url} did not become healthy`);
}

/**
 * The browser tier's set-up, before anything else runs (scripts/ensure-browser.sh, shared with .ci/run): Chromium and
 * the CJK fonts are installed when this runs as root with apt, or the run stops at once with the command to run.
 */
function ensureBrowser(): void {
  const r = spawnSync('bash', [path.join(ROOT_DIR, 'scripts/ensure-browser.sh')], { cwd: ROOT_DIR, stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  }
}

async function main() {
  if (want('e2e') && files('apps/web/e2e', '.e2e.ts').length > 0) ensureBrowser();
  if (want('unit')) {
    log('unit tests (packages/domain)');
    await nodeTest(files('packages/domain/test', '.test.ts'), {}, 2);
  }
  if (!want('integration') && !want('e2e')) return;

  log('starting PostgreSQL and building the template database');
  const t = Date.now();
  const pg = await startTestServer((m) => console.log(`[pg] ${m}`));
  log(`template ready in ${Date.now() - t} ms`);
  try {
    if (want('integration')) {
      log('integration tests (apps/server, real PostgreSQL)');
      await nodeTest(files('apps/server/test', '.test.ts'), { TUOPIN_TEST_PG: pg.adminUrl }, 2);
    }
    if (want('e2e')) {
      log('browser end-to-end tests (apps/web/e2e, Chromium)');
      const build = spawnSync('npm', ['run', 'build', '-w', '@tuopin/web'], { cwd: ROOT_DIR, stdio: 'inherit' });
      if (build.status !== 0) {
        totals.failed++;
        throw new Error('web build failed');
      }
      const db = await cloneTemplate(pg.adminUrl, 'e2e');
      const port = await freePort();
      const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
        cwd: ROOT_DIR,
        env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      const base = `http://localhost:${port}`;
      try {
        await waitForHealth(base, 60_000);
        fs.mkdirSync(path.join(ROOT_DIR, 'test-results/e2e'), { recursive: true });
        // E2E_DATABASE_URL: the server's database, for tests that move a procedure's recorded days back (time-travel.ts)
        await nodeTest(files('apps/web/e2e', '.e2e.ts'), { E2E_BASE_URL: base, E2E_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, E2E_DATABASE_URL: db.url });
      } finally {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
        await db.drop();
      }
    }
  } finally {
    await pg.stop();
  }
}

main()
  .catch((e) => {
    console.error(e);
    totals.failed++;
  })
  .finally(() => {
    console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
    process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
  });
