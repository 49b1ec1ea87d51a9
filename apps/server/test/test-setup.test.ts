/**
 * `npm test` on a machine without the browser: it must stop at once with one line naming the command to run (not a
 * browser-launch stack trace after the other tiers). Run as an unprivileged user with no Chromium at E2E_CHROMIUM, so
 * that scripts/ensure-browser.sh may not install anything.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ROOT_DIR } from '../src/config';

/** Runs a command as `nobody` when the tests run as root (apt-get would otherwise install Chromium). */
function unprivileged(cmd: string): { status: number | null; out: string } {
  const env = `E2E_CHROMIUM=/nonexistent/chromium HOME=/tmp PATH=${process.env.PATH}`;
  // Under libfaketime (the suite run with a moved clock) its shared memory belongs to root: `nobody` would print a
  // libfaketime error in every process. This test does not depend on the date, so its processes run on the real clock.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')));
  const r = process.getuid?.() === 0
    ? spawnSync('su', ['nobody', '-s', '/bin/bash', '-c', `cd ${ROOT_DIR} && ${env} ${cmd}`], { encoding: 'utf8', env: base })
    : spawnSync('bash', ['-c', `${env} ${cmd}`], { cwd: ROOT_DIR, encoding: 'utf8', env: base });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('test set-up', () => {
  test('without Chromium and without root, the e2e tier stops at once with the command to run', { timeout: 120_000 }, () => {
    const r = unprivileged(`${process.execPath} --import tsx scripts/test.ts --only e2e`);
    assert.equal(r.status, 1, r.out);
    const lines = r.out.trim().split('\n').filter(Boolean);
    assert.ok(lines.some((l) => /the browser tests need chromium: run {2}sudo apt-get install -y chromium/.test(l)), r.out);
    assert.equal(lines.some((l) => /^\s+at /.test(l) || /Error/.test(l)), false, `no stack trace:\n${r.out}`);
    assert.equal(/starting PostgreSQL|vite|building/i.test(r.out), false, `nothing else ran:\n${r.out}`);
    assert.ok(lines.length <= 2, r.out);
  });
});
