/**
 * Child process of embedded.test.ts: starts the embedded PostgreSQL in the data directory of argv[2] on the port of
 * argv[3] through the product's startup path (startServerDatabase), reports what the server says about encoding and
 * Chinese text as one JSON line prefixed with PROBE, and stops the server. The test runs it with an empty
 * environment (no LANG, no LC_*), as a bare service unit would.
 */
import { sql } from 'kysely';
import { loadConfig } from '../../src/config';
import { startServerDatabase } from '../../src/db/connect';

const [dataDir, port] = process.argv.slice(2);
const config = { ...loadConfig({}), dataDir: dataDir!, embeddedPort: Number(port), databaseUrl: null };
const { db, stop } = await startServerDatabase(config, (m) => console.log(`[tuopin] ${m}`));
try {
  const r = await sql<{ encoding: string; collate: string; ctype: string; len: number; ordered: string[] }>`
    select current_setting('server_encoding') as encoding, datcollate as collate, datctype as ctype,
           length('张三') as len, (select array_agg(x order by x) from unnest(array['张三', 'b', 'a']) x) as ordered
      from pg_database where datname = current_database()`.execute(db.kysely);
  console.log(`PROBE ${JSON.stringify({ ...r.rows[0], env: Object.keys(process.env).filter((k) => k === 'LANG' || k.startsWith('LC_')) })}`);
} finally {
  await db.close();
  await stop();
}
