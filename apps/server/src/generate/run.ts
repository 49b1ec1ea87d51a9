/**
 * Runs the generator: into the database (COPY, one transaction) or into CSV files. Both stream village
 * by village: memory holds one batch of rows, never the whole output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { from as copyFrom } from 'pg-copy-streams';
import { beginBulkAudit, type Database } from '../db/database';
import {
  GENERATED_CSV_FILES, HOUSEHOLD_COPY_COLUMNS, INCOME_COPY_COLUMNS, MEMBER_COPY_COLUMNS, PERSON_COPY_COLUMNS, STATUS_COPY_COLUMNS,
  csvHeader, householdCopy, householdCsv, incomeCopy, incomeCsv, memberCopy, memberCsv, personCopy, statusCopy, type GeneratedCsvFile,
} from './format';
import { generateVillage, IdAllocator, type GenHousehold } from './model';
import { makePlan, type Plan, type PlannedVillage } from './plan';
import { hashSeed, Rng } from './random';
import { migratedRecordsSql } from '../repositories/monitoring.repository';
import { todayInChina } from '../clock';

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
export const GENERATED_HOUSEHOLD_NO_RE = '^G[0-9]{16}$';

export function currentYear(): number {
  return new Date().getUTCFullYear();
}

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

async function copyRows(client: pg.PoolClient, table: string, columns: readonly string[], chunks: string[]): Promise<void> {
  if (chunks.length === 0) return;
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  for (const c of chunks) if (!stream.write(c)) await once(stream, 'drain');
  stream.end();
  await finished(stream);
}

async function flush(client: pg.PoolClient, b: Batch): Promise<void> {
  await copyRows(client, 'households', HOUSEHOLD_COPY_COLUMNS, b.households);
  await copyRows(client, 'members', MEMBER_COPY_COLUMNS, b.members);
  await copyRows(client, 'persons', PERSON_COPY_COLUMNS, b.persons);
  await copyRows(client, 'income_records', INCOME_COPY_COLUMNS, b.income);
  await copyRows(client, 'household_year_status', STATUS_COPY_COLUMNS, b.status);
}

/** ID numbers already in the registry (only read when it is not empty), to keep generated ones unique. */
async function existingIds(client: pg.PoolClient): Promise<Set<string> | null> {
  const any = await client.query('select 1 from persons limit 1');
  if (!any.rowCount) return null;
  const set = new Set<string>();
  const cursor = client.query(new Cursor<{ id: string }>('select left(id_number, 18) as id from persons'));
  for (;;) {
    const rows = await cursor.read(50000);
    if (rows.length === 0) break;
    for (const r of rows) set.add(r.id);
  }
  await cursor.close();
  return set;
}

/**
 * The generated households of a region, in a temporary table (before bulk mode is entered, so that the count is in
 * the run's audit row).
 */
async function collectGenerated(client: pg.PoolClient, prefix: string): Promise<number> {
  await client.query(
    `create temp table gen_del on commit drop as
       select county_code, id from households where village_code like $1 || '%' and household_no ~ '${GENERATED_HOUSEHOLD_NO_RE}'`,
    [prefix],
  );
  await client.query('analyze gen_del');
  return (await client.query<{ n: number }>('select count(*)::int as n from gen_del')).rows[0]!.n;
}

/**
 * Deletes the collected households and everything that belongs to them, set-based, dependents first (the foreign
 * keys are enforced: nothing is switched off): the monitoring path (records refer to procedures, procedures to clues,
 * the clues' rules to the clues), measures, quality findings, member moves, then the registry rows.
 */
async function deleteGenerated(client: pg.PoolClient): Promise<void> {
  const byHousehold = (table: string) =>
    `delete from ${table} t using gen_del d where t.county_code = d.county_code and t.household_id = d.id`;
  for (const statement of [
    byHousehold('monitoring_records'),
    byHousehold('clue_rules'),
    byHousehold('procedures'),
    byHousehold('clues'),
    byHousehold('assistance_measures'),
    byHousehold('quality_findings'),
    `delete from member_moves t using members m, gen_del d
      where m.county_code = d.county_code and m.household_id = d.id and t.county_code = m.county_code and t.member_id = m.id`,
    byHousehold('persons'),
    byHousehold('income_records'),
    byHousehold('household_year_status'),
    byHousehold('members'),
    `delete from households t using gen_del d where t.county_code = d.county_code and t.id = d.id`,
  ]) {
    await client.query(statement);
  }
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
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('tuopin.actor_name', 'generate', true)`);
    // Writers wait until we commit; readers are not blocked.
    await client.query('lock table households, members, persons, income_records, household_year_status in exclusive mode');
    const plan = await makePlan(client, opts.region, opts.persons, opts.seed);
    const deleted = opts.replace ? await collectGenerated(client, plan.prefix) : 0;
    const planned = plan.villages.reduce((n, v) => n + v.persons, 0);
    await beginBulkAudit(client, {
      action: 'generate', entity: 'households', entityId: null, regionCode: plan.regionCode, reason: '生成演示数据',
      counties: [...new Set(plan.villages.map((v) => v.code.slice(0, 6)))],
      summary: { persons: planned, villages: plan.villages.length, seed: opts.seed, year, persons_requested: opts.persons, deleted, replace: !!opts.replace },
    });
    if (deleted > 0) await deleteGenerated(client);
    const clash = await client.query(
      `select household_no from households where village_code like $1 || '%' and household_no ~ '${GENERATED_HOUSEHOLD_NO_RE}' limit 1`,
      [plan.prefix],
    );
    if (clash.rowCount) throw new Error(`region ${opts.region} already has generated households (${clash.rows[0]!.household_no}); use --replace`);
    const taken = await existingIds(client);
    const ids = new IdAllocator(taken ? (id) => taken.has(id) : undefined);

    const base = await client.query<{ h: string; m: string }>(`
      select greatest((select coalesce(max(id), 0) from households), (select last_value from households_id_seq)) as h,
             greatest((select coalesce(max(id), 0) from members), (select last_value from members_id_seq)) as m`);
    let householdId = Number(base.rows[0]!.h);
    let memberId = Number(base.rows[0]!.m);

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
          inFlight = flush(client, b);
          inFlight.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
        }
        // let the socket drain while the next village is generated
        await new Promise<void>((r) => setImmediate(r));
      },
    );
    await inFlight;
    await flush(client, batch);
    // Every generated 监测户 is a household monitored before the platform: its monitoring record, marked as migrated,
    // set-based by the import's definition (identified on the reference date of its first monitored year).
    await client.query(
      migratedRecordsSql('select county_code, id as household_id, null::date as identified_on, null::bigint as import_id from households where id > $1', '$2::date'),
      [Number(base.rows[0]!.h), todayInChina()],
    );
    await client.query(`select setval('households_id_seq', $1), setval('members_id_seq', $2)`, [Math.max(1, householdId), Math.max(1, memberId)]);
    await client.query('commit');
    return { ...counts, seed: opts.seed, year, region: plan.regionCode, deleted, ms: performance.now() - started };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

// ---------------------------------------------------------------------------------------------
// CSV files (the import format)

/** Writes households.csv, members.csv and income.csv (UTF-8 with BOM, for spreadsheet programs) to `dir`. */
export async function generateToCsv(db: Database, opts: GenerateOptions & { dir: string }): Promise<GenerateResult> {
  const started = performance.now();
  const year = opts.year ?? currentYear();
  const client = await db.pool.connect();
  let plan: Plan;
  let taken: Set<string> | null;
  try {
    plan = await makePlan(client, opts.region, opts.persons, opts.seed);
    // the file is for this installation's import, whose validation refuses ID numbers registered already
    taken = await existingIds(client);
  } finally {
    client.release();
  }
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
