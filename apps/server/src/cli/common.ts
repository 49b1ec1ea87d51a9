import { loadConfig } from '../config';
import { startServerDatabase } from '../db/connect';
import type { Database } from '../db/database';

/** Runs a command-line task against the product's database (embedded or DATABASE_URL), migrated. */
export async function withDatabase(task: (db: Database) => Promise<number | void>): Promise<void> {
  const config = loadConfig();
  const { db, stop } = await startServerDatabase(config, (m) => console.error(`[tuopin] ${m}`));
  let code: number;
  try {
    await db.migrate();
    code = (await task(db)) ?? 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    code = 1;
  } finally {
    await db.close();
    await stop();
  }
  process.exit(code);
}

export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
