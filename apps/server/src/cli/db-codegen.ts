/**
 * `npm run db:codegen`: migrates a fresh database and writes its table types to apps/server/src/db/schema/tables.ts.
 * The database is a temporary one on the server of TUOPIN_TEST_PG or DATABASE_URL (dropped afterwards), otherwise
 * on an embedded PostgreSQL started for the run under .tmp/.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ROOT_DIR } from '../config';
import { generateSchema, SCHEMA_FILE, writeSchema } from '../db/codegen';
import { Database, ensureDatabase } from '../db/database';
import { startEmbeddedPostgres } from '../db/embedded';
import { freePort } from '../testing/harness';

const log = (m: string) => console.error(`[db:codegen] ${m}`);

let adminUrl = process.env.TUOPIN_TEST_PG ?? process.env.DATABASE_URL;
let stopServer = async () => {};
if (!adminUrl) {
  const dir = path.join(ROOT_DIR, '.tmp', `codegen-pg-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const server = await startEmbeddedPostgres(dir, await freePort(), log);
  adminUrl = server.url;
  stopServer = async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
const name = `tuopin_codegen_${process.pid}`;
let code = 0;
try {
  const url = await ensureDatabase(adminUrl, name);
  const db = new Database(url, 2);
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  const text = await generateSchema(url);
  const before = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  writeSchema(text);
  log(`${path.relative(ROOT_DIR, SCHEMA_FILE)} ${before === text ? 'unchanged' : 'written'}`);
} catch (e) {
  console.error(e);
  code = 1;
} finally {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`).catch(() => {});
  await admin.end();
  await stopServer();
}
process.exit(code);
