/**
 * Synthetic registry data (演示数据): households, members, income and statuses over real villages.
 * `npm run generate` is the command; `loadDemoData` fills an empty registry on first start.
 */
import type { Database } from '../db/database';
import { currentYear, generateIntoDatabase, type GenerateResult } from './run';
import { demoState } from '../repositories/generate.repository';

export { generateIntoDatabase, generateToCsv, currentYear, GENERATED_HOUSEHOLD_NO_RE } from './run';
export type { GenerateOptions, GenerateResult, GenerateCounts } from './run';
export { GENERATED_CSV_FILES, type GeneratedCsvFile } from './format';
export { regionPrefix } from './plan';

/** The demo data set: 清河区 (铁岭市), seed 1. */
export const DEMO_REGION = '211204';
export const DEMO_PERSONS = 4000;
export const DEMO_SEED = 1;

/**
 * Generates the demo data set (about 4,000 persons in 清河区, seed 1) when the registry is empty and the
 * region is loaded; returns null when it did nothing.
 */
export async function loadDemoData(db: Database, opts: { year?: number } = {}): Promise<GenerateResult | null> {
  const row = await db.system({ name: 'generate' }, (tx) => demoState(tx, DEMO_REGION));
  if (row.households || !row.regions) return null;
  return generateIntoDatabase(db, { region: DEMO_REGION, persons: DEMO_PERSONS, seed: DEMO_SEED, year: opts.year ?? currentYear() });
}
