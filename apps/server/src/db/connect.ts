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
    return { db: new Database(config.databaseUrl), stop: async () => {} };
  }
  const server = await startEmbeddedPostgres(config.dataDir, config.embeddedPort, log);
  log(`embedded PostgreSQL running on port ${config.embeddedPort}, data in ${config.dataDir}/pg`);
  const url = await ensureDatabase(server.url, 'tuopin');
  return { db: new Database(url), stop: () => server.stop() };
}
