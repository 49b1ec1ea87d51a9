// `npm start`: builds the web app when its sources are newer than the build, then runs the server
// (which starts the embedded PostgreSQL unless DATABASE_URL is set). Signals are passed through so that
// Ctrl-C stops PostgreSQL cleanly.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'apps/web/dist/index.html');

function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(path.join(root, 'apps/web/src')), newest(path.join(root, 'packages/domain/src')), fs.statSync(path.join(root, 'apps/web/index.html')).mtimeMs);
if (!fs.existsSync(dist) || fs.statSync(dist).mtimeMs < sources) {
  console.log('[tuopin] building the web app …');
  const r = spawnSync('npm', ['run', 'build', '-w', '@tuopin/web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The server runs in a process group of its own: a terminal's Ctrl-C signals the whole foreground group, which would
// stop the embedded PostgreSQL under the server's feet (its connections then fail while it shuts down). Here the
// signal reaches the server only, which closes its pools and then stops PostgreSQL; the server also stops when this
// process is gone (TUOPIN_PARENT_PID).
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/server/src/main.ts')], {
  cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, TUOPIN_PARENT_PID: String(process.pid) },
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
