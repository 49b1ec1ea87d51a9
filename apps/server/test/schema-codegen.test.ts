/**
 * The committed table types (apps/server/src/db/schema/tables.ts) are what kysely-codegen generates from the migrated
 * template database: a migration that changes a table fails this test until `npm run db:codegen` is run and its
 * result committed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSchema, SCHEMA_FILE } from '../src/db/codegen';
import { cloneTemplate } from '../src/testing/harness';

test('the committed table types match the migrated database (npm run db:codegen)', async () => {
  const adminUrl = process.env.TUOPIN_TEST_PG;
  if (!adminUrl) throw new Error('TUOPIN_TEST_PG is not set: run integration tests with `npm run test:integration`');
  // A copy of the template, not the template itself: a connection to the template would make the other test
  // files' `create database … template` fail while it is open.
  const { url, drop } = await cloneTemplate(adminUrl, `t_codegen_${process.pid}`);
  let generated: string;
  try {
    generated = await generateSchema(url);
  } finally {
    await drop();
  }
  const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (generated === committed) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-codegen-'));
  const file = path.join(dir, 'tables.ts');
  fs.writeFileSync(file, generated);
  const diff = spawnSync('diff', ['-u', SCHEMA_FILE, file], { encoding: 'utf8' }).stdout || '(no diff program)';
  fs.rmSync(dir, { recursive: true, force: true });
  assert.fail(
    `apps/server/src/db/schema/tables.ts is not what the migrations give (committed → generated):\n${diff}\n` +
      'Fix: run `npm run db:codegen` and commit apps/server/src/db/schema/tables.ts.',
  );
});
