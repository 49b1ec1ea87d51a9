import type { Config } from '../config';
import { Database, ensureDatabase } from './database';
import { startEmbeddedPostgres } from './embedded';

/**
 * The product's database: DATABASE_URL when set, otherwise the embedded PostgreSQL under the data directory
 * (database "tuopin"). `stop` shuts the embedded server down (a no-op for an external one).
 */
export async function startServerDatabase(config: Config, log: (m: string) => void): Promise<{ db: Database; stop: () => Promise<void> }> {
  if (config.databaseUrl) {
    log('using the PostgreSQL server of DATABASE_URL');
    const db = new Database(config.databaseUrl);
    await checked(db, async () => {});
    return { db, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres(config.dataDir, config.embeddedPort, log);
  log(`embedded PostgreSQL running on port ${config.embeddedPort}, data in ${config.dataDir}/pg`);
  const url = await ensureDatabase(server.url, 'tuopin');
  const db = new Database(url);
  // A cluster made by an older version in an environment without a UTF-8 locale is SQL_ASCII.
  await checked(db, () => server.stop(), `the embedded cluster in ${config.dataDir}/pg was created without UTF-8; `);
  return { db, stop: () => server.stop() };
}

/** The startup checks (Database.assertUtf8); on failure the pool is closed and the server stopped. */
async function checked(db: Database, stop: () => Promise<void>, context = ''): Promise<void> {
  try {
    await db.assertUtf8();
  } catch (e) {
    await db.close();
    await stop();
    throw new Error(`${context}${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
