/**
 * What every benchmark script shares: its command-line options, a log with the script's prefix (and `--trace`),
 * and a database cloned from the migrated template with the product's services and job queue running on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../../apps/server/src/services/container';
import { Database } from '../../apps/server/src/db/database';
import { cloneTemplate, startTestServer, testConfig } from '../../apps/server/src/testing/harness';
import { traceStatements } from './trace';

/** `--name value` of the command line, or the default. */
export const arg = (name: string, d: string): string =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1]! : d;

/** A logger prefixed `[bench:<name>]`; with `--trace`, every statement over 20 ms is logged too. */
export function benchLog(name: string): (m: string) => void {
  const log = (m: string) => console.log(`[bench:${name}] ${m}`);
  if (process.argv.includes('--trace')) traceStatements(log);
  return log;
}

/** Runs `fn` on a fresh database with the services started; removes everything afterwards. */
export async function withBenchDatabase<T>(
  name: string,
  fn: (env: { db: Database; services: ReturnType<typeof createServices>; dataDir: string }) => Promise<T>,
): Promise<T> {
  const pg = await startTestServer(() => {});
  const { url, drop } = await cloneTemplate(pg.adminUrl, `bench_${name}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-bench-'));
  const db = new Database(url, 8);
  const services = createServices(db, testConfig({ dataDir }));
  await services.jobs.start();
  try {
    return await fn({ db, services, dataDir });
  } finally {
    await services.jobs.stop();
    await db.close();
    await drop();
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
