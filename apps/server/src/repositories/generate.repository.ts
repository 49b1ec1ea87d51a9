/**
 * SQL of the demo-data generator (generate/): the regions it plans over, the table lock, the generated households it
 * replaces, the id bases and COPY into the registry tables. Every function takes the generator's transaction
 * (`Database.system`; COPY and the cursor through its client, `rawClient`).
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import Cursor from 'pg-cursor';
import { from as copyFrom } from 'pg-copy-streams';
import type { Tx } from '../db/database';
import { rawClient } from '../db/raw';
import { migratedRecordsSql } from './monitoring.repository';

/** Generated households are recognised by their number: G + 12-digit village code + 4-digit sequence. */
export const GENERATED_HOUSEHOLD_NO_RE = '^G[0-9]{16}$';

/** A village of the region with the names of its township, county and city (the generator's plan). */
export interface VillageRow {
  code: string;
  name: string;
  township: string | null;
  county: string | null;
  city: string | null;
}

/**
 * The villages of the region. Rural villages (村民委员会, codes 2xx in the last three digits of the statistical
 * division code) are preferred; a region with none (an urban district) uses its communities.
 */
export async function loadVillages(tx: Tx, prefix: string): Promise<VillageRow[]> {
  const client = rawClient(tx);
  const q = (rural: boolean) =>
    client.query<VillageRow>(
      `select v.code, v.name, t.name as township, c.name as county, ci.name as city
         from regions v
         left join regions t on t.code = rpad(left(v.code, 9), 12, '0')
         left join regions c on c.code = rpad(left(v.code, 6), 12, '0')
         left join regions ci on ci.code = rpad(left(v.code, 4), 12, '0')
        where v.level = 5 and v.code like $1 || '%' ${rural ? `and substr(v.code, 10, 1) = '2'` : ''}
        order by v.code`,
      [prefix],
    );
  const rural = await q(true);
  return rural.rows.length ? rural.rows : (await q(false)).rows;
}

/** The county codes (6 digits) of a province. */
export async function loadCounties(tx: Tx, province: string): Promise<string[]> {
  const r = await rawClient(tx).query<{ code: string }>(`select left(code, 6) as code from regions where level = 3 and code like $1 || '%' order by code`, [province]);
  return r.rows.map((x) => x.code);
}

/** Whether the registry has households, and whether the villages of the region are loaded (the demo data's condition). */
export async function demoState(tx: Tx, region: string): Promise<{ households: boolean; regions: boolean }> {
  const r = await rawClient(tx).query<{ households: boolean; regions: boolean }>(
    `select exists (select 1 from households) as households,
            exists (select 1 from regions where level = 5 and code like $1 || '%') as regions`,
    [region],
  );
  return r.rows[0]!;
}

/** Writers of the registry tables wait until the generator commits; readers are not blocked. */
export async function lockRegistry(tx: Tx): Promise<void> {
  await rawClient(tx).query('lock table households, members, persons, income_records, household_year_status in exclusive mode');
}

/**
 * The generated households of a region, in a temporary table (before bulk mode is entered, so that the count is in
 * the run's audit row). Returns their number.
 */
export async function collectGenerated(tx: Tx, prefix: string): Promise<number> {
  const client = rawClient(tx);
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
export async function deleteGenerated(tx: Tx): Promise<void> {
  const client = rawClient(tx);
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

/** The number of a generated household of the region, if there is one. */
export async function generatedHouseholdOf(tx: Tx, prefix: string): Promise<string | null> {
  const r = await rawClient(tx).query<{ household_no: string }>(
    `select household_no from households where village_code like $1 || '%' and household_no ~ '${GENERATED_HOUSEHOLD_NO_RE}' limit 1`,
    [prefix],
  );
  return r.rows[0]?.household_no ?? null;
}

/** ID numbers already in the registry (only read when it is not empty), to keep generated ones unique. */
export async function existingIdNumbers(tx: Tx): Promise<Set<string> | null> {
  const client = rawClient(tx);
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

/** The highest household and member ids in use or handed out (the generator reserves ids above them under its lock). */
export async function idBases(tx: Tx): Promise<{ households: number; members: number }> {
  const r = await rawClient(tx).query<{ h: string; m: string }>(`
    select greatest((select coalesce(max(id), 0) from households), (select last_value from households_id_seq)) as h,
           greatest((select coalesce(max(id), 0) from members), (select last_value from members_id_seq)) as m`);
  return { households: Number(r.rows[0]!.h), members: Number(r.rows[0]!.m) };
}

/** COPY of rows (COPY text, one string per chunk) into a registry table, with backpressure. */
export async function copyRows(tx: Tx, table: string, columns: readonly string[], chunks: readonly string[]): Promise<void> {
  if (chunks.length === 0) return;
  const stream = rawClient(tx).query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
  for (const c of chunks) if (!stream.write(c)) await once(stream, 'drain');
  stream.end();
  await finished(stream);
}

/**
 * Every generated 监测户 is a household monitored before the platform: its monitoring record, marked as migrated,
 * set-based by the import's definition (identified on the reference date of its first monitored year), for the
 * households with ids above `afterHouseholdId`.
 */
export async function insertMigratedRecords(tx: Tx, afterHouseholdId: number, today: string): Promise<void> {
  await rawClient(tx).query(
    migratedRecordsSql('select county_code, id as household_id, null::date as identified_on, null::bigint as import_id from households where id > $1', '$2::date'),
    [afterHouseholdId, today],
  );
}

/** Moves the identity sequences past the ids the generator used. */
export async function setIdSequences(tx: Tx, households: number, members: number): Promise<void> {
  await rawClient(tx).query(`select setval('households_id_seq', $1), setval('members_id_seq', $2)`, [Math.max(1, households), Math.max(1, members)]);
}
