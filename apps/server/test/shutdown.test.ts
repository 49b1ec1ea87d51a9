/**
 * Ctrl-C in a terminal: the signal goes to the whole foreground process group — the server and the embedded
 * PostgreSQL it started. The server must still stop in a few short lines, without a stack dump, ending with its
 * "stopped cleanly" line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../src/config';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

describe('shutdown', () => {
  test('a start that fails (the database cannot be reached) is one line and exit code 1, not a stack dump', { timeout: 120_000 }, async () => {
    const closed = await freePort(); // nothing listens there
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'apps/server/src/main.ts')], {
      cwd: ROOT_DIR,
      env: { ...process.env, DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${closed}/tuopin`, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1, out);
    assert.match(out, /\[tuopin\] cannot start: .*ECONNREFUSED/);
    assert.doesNotMatch(out, /^\s+at /m, `no stack trace:\n${out}`);
  });

  test('SIGINT to the process group (Ctrl-C): a short, clean stop without a stack trace', { timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-shutdown-'));
    fs.chmodSync(dir, 0o777); // the embedded server runs as the `postgres` OS user when the tests run as root
    const [port, pgPort] = [await freePort(), await freePort()];
    let out = '';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'apps/server/src/main.ts')], {
      cwd: ROOT_DIR,
      detached: true, // a process group of its own, as a shell gives a foreground job
      env: {
        ...process.env, DATABASE_URL: '', TUOPIN_DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', TUOPIN_PG_PORT: String(pgPort),
        TUOPIN_DEMO_DATA: 'false', ADMIN_PASSWORD: 'Shutdown-Test-2468', LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const seen = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (re.test(out) ? resolve() : undefined);
        for (const s of [child.stdout, child.stderr]) s.on('data', (b: Buffer) => { out += b.toString('utf8'); check(); });
        child.on('exit', () => reject(new Error(`the server exited before ${re}:\n${out}`)));
        check();
      });
    try {
      await seen(/listening on http/);
      // the job workers poll the database; let them hold connections as a running server does
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      assert.equal(health.status, 200);
      const before = out.length;
      process.kill(-child.pid!, 'SIGINT');
      const code = await exited;
      const tail = out.slice(before).trim().split('\n');
      assert.equal(code, 0, out.slice(before));
      assert.equal(tail.some((l) => /^\s+at /.test(l) || /Error:/.test(l)), false, `no stack trace:\n${tail.join('\n')}`);
      assert.ok(tail.length <= 3, `short:\n${tail.join('\n')}`);
      assert.match(tail.at(-1)!, /stopped cleanly$/);
    } finally {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
