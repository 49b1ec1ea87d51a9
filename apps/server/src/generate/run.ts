/**
 * Runs the generator: into the database (COPY, one transaction) or into CSV files. Both stream village
 * by village: memory holds one batch of rows, never the whole output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Database, Tx } from '../db/database';
import {
  GENERATED_CSV_FILES, HOUSEHOLD_COPY_COLUMNS, INCOME_COPY_COLUMNS, MEMBER_COPY_COLUMNS, PERSON_COPY_COLUMNS, STATUS_COPY_COLUMNS,
  csvHeader, householdCopy, householdCsv, incomeCopy, incomeCsv, memberCopy, memberCsv, personCopy, statusCopy, type GeneratedCsvFile,
} from './format';
import { generateVillage, IdAllocator, type GenHousehold } from './model';
import { makePlan, type Plan, type PlannedVillage } from './plan';
import { hashSeed, Rng } from './random';
import {
  collectGenerated, copyRows, deleteGenerated, existingIdNumbers, generatedHouseholdOf, idBases, insertMigratedRecords, lockRegistry, setIdSequences,
} from '../repositories/generate.repository';
import { AuditRepository } from '../repositories/audit.repository';
import { currentYearInChina, todayInChina } from '../clock';

export interface GenerateOptions {
  /** Region code: 2 (province), 4, 6 (county), 9 (township) or 12 digits */
  region: string;
  persons: number;
  seed: number;
  /** The current year (income and status are generated for it and the year before). Default: this year. */
  year?: number;
  /** Progress callback (persons so far) */
  onProgress?: (persons: number) => void;
}

export interface GenerateCounts {
  households: number;
  persons: number;
  incomeRecords: number;
  statuses: number;
  villages: number;
}

export interface GenerateResult extends GenerateCounts {
  seed: number;
  year: number;
  region: string;
  /** Households deleted by `replace` */
  deleted: number;
  ms: number;
}

/** Generated households are recognised by their number: G + 12-digit village code + 4-digit sequence. */
export { GENERATED_HOUSEHOLD_NO_RE } from '../repositories/generate.repository';

/** The year the generated data is for by default: the current year in China. */
export const currentYear = currentYearInChina;

/** Walks the plan village by village; `each` receives every household (await it to apply backpressure). */
async function walk(
  plan: Plan, opts: GenerateOptions, year: number, ids: IdAllocator,
  each: (h: GenHousehold, v: PlannedVillage) => void, afterVillage: (persons: number) => Promise<void>,
): Promise<GenerateCounts> {
  const ctx = { year, counties: plan.counties, ids };
  const counts: GenerateCounts = { households: 0, persons: 0, incomeRecords: 0, statuses: 0, villages: 0 };
  for (const v of plan.villages) {
    if (v.persons <= 0) continue;
    counts.villages++;
    const rng = new Rng(hashSeed(opts.seed, v.code));
    for (const h of generateVillage(rng, v, v.factors, ctx)) {
      counts.households++;
      counts.persons += h.members.length;
      counts.incomeRecords += 2;
      counts.statuses += 2;
      each(h, v);
    }
    await afterVillage(counts.persons);
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Database

const BATCH_PERSONS = 20000;

/** Rows of one batch, per table, as one string per village (few, flat strings: cheap for the GC). */
interface Batch {
  households: string[];
  members: string[];
  persons: string[];
  income: string[];
  status: string[];
  size: number;
}
const newBatch = (): Batch => ({ households: [], members: [], persons: [], income: [], status: [], size: 0 });

async function flush(tx: Tx, b: Batch): Promise<void> {
  await copyRows(tx, 'households', HOUSEHOLD_COPY_COLUMNS, b.households);
  await copyRows(tx, 'members', MEMBER_COPY_COLUMNS, b.members);
  await copyRows(tx, 'persons', PERSON_COPY_COLUMNS, b.persons);
  await copyRows(tx, 'income_records', INCOME_COPY_COLUMNS, b.income);
  await copyRows(tx, 'household_year_status', STATUS_COPY_COLUMNS, b.status);
}

/**
 * Generates into the database in ONE transaction: COPY straight into the registry tables (ids reserved
 * from the identity sequences under a table lock), one audit row for the whole run written when it enters bulk mode
 * (audit_bulk_begin: the row audit triggers stay silent; every other trigger — the foreign keys — runs). With
 * `replace`, the region's generated households are deleted first with everything that refers to them. Generation
 * and COPY overlap: a batch is sent while the next one is generated.
 */
export async function generateIntoDatabase(db: Database, opts: GenerateOptions & { replace?: boolean }): Promise<GenerateResult> {
  const started = performance.now();
  const year = opts.year ?? currentYear();
  return db.system({ name: 'generate' }, async (tx) => {
    // Writers wait until we commit; readers are not blocked.
    await lockRegistry(tx);
    const plan = await makePlan(tx, opts.region, opts.persons, opts.seed);
    const deleted = opts.replace ? await collectGenerated(tx, plan.prefix) : 0;
    const planned = plan.villages.reduce((n, v) => n + v.persons, 0);
    await new AuditRepository().beginBulk(tx, {
      action: 'generate', entity: 'households', entityId: null, regionCode: plan.regionCode, reason: '生成演示数据',
      counties: [...new Set(plan.villages.filter((v) => v.persons > 0).map((v) => v.code.slice(0, 6)))],
      summary: { persons: planned, villages: plan.villages.length, seed: opts.seed, year, persons_requested: opts.persons, deleted, replace: !!opts.replace },
    });
    if (deleted > 0) await deleteGenerated(tx);
    const clash = await generatedHouseholdOf(tx, plan.prefix);
    if (clash) throw new Error(`region ${opts.region} already has generated households (${clash}); use --replace`);
    const taken = await existingIdNumbers(tx);
    const ids = new IdAllocator(taken ? (id) => taken.has(id) : undefined);

    const base = await idBases(tx);
    let householdId = base.households;
    let memberId = base.members;

    let batch = newBatch();
    let inFlight: Promise<void> = Promise.resolve();
    // rows of the current village
    let hs: string[] = [];
    let ms: string[] = [];
    let ps: string[] = [];
    let is: string[] = [];
    let ss: string[] = [];
    const counts = await walk(
      plan, opts, year, ids,
      (h) => {
        const hid = ++householdId;
        hs.push(householdCopy(h, hid));
        for (const m of h.members) {
          const mid = ++memberId;
          ms.push(memberCopy(h, hid, m, mid));
          ps.push(personCopy(h, hid, m, mid));
        }
        for (let k = 0; k < 2; k++) {
          is.push(incomeCopy(h, hid, h.status[k]!.year, h.income[k]!));
          ss.push(statusCopy(h, hid, h.status[k]!));
        }
        batch.size += h.members.length;
      },
      async (persons) => {
        batch.households.push(hs.join(''));
        batch.members.push(ms.join(''));
        batch.persons.push(ps.join(''));
        batch.income.push(is.join(''));
        batch.status.push(ss.join(''));
        hs = [];
        ms = [];
        ps = [];
        is = [];
        ss = [];
        opts.onProgress?.(persons);
        if (batch.size >= BATCH_PERSONS) {
          await inFlight; // at most one batch in flight, one being generated
          const b = batch;
          batch = newBatch();
          inFlight = flush(tx, b);
          inFlight.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
        }
        // let the socket drain while the next village is generated
        await new Promise<void>((r) => setImmediate(r));
      },
    );
    await inFlight;
    await flush(tx, batch);
    // Every generated 监测户 is a household monitored before the platform: its monitoring record, marked as migrated.
    await insertMigratedRecords(tx, base.households, todayInChina());
    await setIdSequences(tx, householdId, memberId);
    return { ...counts, seed: opts.seed, year, region: plan.regionCode, deleted, ms: performance.now() - started };
  });
}

// ---------------------------------------------------------------------------------------------
// CSV files (the import format)

/** Writes households.csv, members.csv and income.csv (UTF-8 with BOM, for spreadsheet programs) to `dir`. */
export async function generateToCsv(db: Database, opts: GenerateOptions & { dir: string }): Promise<GenerateResult> {
  const started = performance.now();
  const year = opts.year ?? currentYear();
  const { plan, taken } = await db.system({ name: 'generate' }, async (tx) => ({
    plan: await makePlan(tx, opts.region, opts.persons, opts.seed),
    // the file is for this installation's import, whose validation refuses ID numbers registered already
    taken: await existingIdNumbers(tx),
  }));
  fs.mkdirSync(opts.dir, { recursive: true });
  const files = {} as Record<GeneratedCsvFile, fs.WriteStream>;
  const parts = {} as Record<GeneratedCsvFile, string[]>;
  for (const name of Object.keys(GENERATED_CSV_FILES) as GeneratedCsvFile[]) {
    files[name] = fs.createWriteStream(path.join(opts.dir, name));
    files[name].write('\uFEFF' + csvHeader(name));
    parts[name] = [];
  }
  const counts = await walk(
    plan, opts, year, new IdAllocator(taken ? (id) => taken.has(id) : undefined),
    (h) => {
      parts['households.csv'].push(householdCsv(h));
      for (const m of h.members) parts['members.csv'].push(memberCsv(h, m));
      for (let k = 0; k < 2; k++) parts['income.csv'].push(incomeCsv(h, h.status[k]!.year, h.income[k]!));
    },
    async (persons) => {
      opts.onProgress?.(persons);
      for (const name of Object.keys(files) as GeneratedCsvFile[]) {
        if (parts[name].length === 0) continue;
        const ok = files[name].write(parts[name].join(''));
        parts[name] = [];
        if (!ok) await once(files[name], 'drain');
      }
    },
  );
  for (const f of Object.values(files)) {
    f.end();
    await finished(f);
  }
  return { ...counts, seed: opts.seed, year, region: plan.regionCode, deleted: 0, ms: performance.now() - started };
}
