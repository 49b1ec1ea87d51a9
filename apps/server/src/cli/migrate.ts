import { loadConfig } from '../config';
import { startServerDatabase } from '../db/connect';

const { db, stop } = await startServerDatabase(loadConfig(), (m) => console.error(`[tuopin] ${m}`));
try {
  const applied = await db.migrate();
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.close();
  await stop();
}
