/**
 * Test database harness: one PostgreSQL server per test run, one migrated template database
 * (with the Liaoning regions and the admin user), and a fresh copy of it for each test file.
 */
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, ROOT_DIR, type Config } from '../config';
import { Database, ensureDatabase } from '../db/database';
import { startEmbeddedPostgres } from '../db/embedded';
import { bootstrap } from '../services/bootstrap.service';
import { createDeps } from '../services/container';
import { Jobs } from '../jobs';

export const TEST_ADMIN_PASSWORD = 'Admin12345';
export const TEMPLATE_DB = 'tuopin_template';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), adminPassword: TEST_ADMIN_PASSWORD, logLevel: 'warn', loginRateLimitPerMinute: 1000, loginAddressLimitPerMinute: 10_000, loginAddressFreeFailures: 10_000, demoData: false, ...overrides };
}

/** Starts the server for a test run (or uses TEST_DATABASE_URL) and builds the template database. */
export async function startTestServer(log: (m: string) => void): Promise<{ adminUrl: string; stop: () => Promise<void> }> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dir = path.join(ROOT_DIR, '.tmp', `test-pg-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const server = await startEmbeddedPostgres(dir, await freePort(), log);
    adminUrl = server.url;
    stop = async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB}`);
  await admin.end();
  const url = await ensureDatabase(adminUrl, TEMPLATE_DB);
  const db = new Database(url, 4);
  await db.assertUtf8();
  await db.migrate();
  await bootstrap(createDeps(db, testConfig()), () => {});
  await db.close();
  // pg-boss creates its schema on first start; do it once in the template.
  const jobs = new Jobs(url);
  await jobs.start();
  await jobs.stop();
  return { adminUrl, stop };
}

/** A fresh database copied from the template; `drop` removes it. */
export async function cloneTemplate(adminUrl: string, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}"`);
  await admin.query(`create database "${name}" template ${TEMPLATE_DB}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}
