/**
 * Policy settings (政策参数). Reads go through row-level security (a reader sees its subtree and its chain above);
 * the effective values for many counties at once are resolved in one query (latest year, then deepest region).
 */
import { sql } from 'kysely';
import type { Tx } from '../db/database';

export interface PolicyRow {
  id: number;
  region_code: string;
  region_name: string;
  year: number;
  key: string;
  value: number;
  note: string | null;
  set_by_name: string | null;
  set_at: Date;
  retired_at: Date | null;
  retired_by_name: string | null;
  retire_note: string | null;
}

const numeric = <T extends { value: unknown }>(r: T) => ({ ...r, value: Number(r.value) });

/** The current rows on a chain of region prefixes, years up to `year` (PolicyRepository.chain, and the household page's statement). */
export const policyChainWhere = (prefixes: string[], year: number) =>
  sql`retired_at is null and year <= ${year} and region_prefix = any(${prefixes}::text[])`;

export class PolicyRepository {
  /** Current rows on the chain of the region (its own and its ancestors'), years up to `year`. */
  async chain(tx: Tx, prefixes: string[], year: number): Promise<PolicyRow[]> {
    const r = await sql<PolicyRow>`
      select * from policy_values
       where ${policyChainWhere(prefixes, year)}
       order by year, region_prefix`.execute(tx);
    return r.rows.map(numeric);
  }

  /** Every row (current and retired) of one key on the chain, newest first: the setting's history. */
  async history(tx: Tx, prefixes: string[], key: string): Promise<PolicyRow[]> {
    const r = await sql<PolicyRow>`
      select * from policy_values where key = ${key} and region_prefix = any(${prefixes}::text[])
       order by set_at desc, id desc limit 200`.execute(tx);
    return r.rows.map(numeric);
  }

  async current(tx: Tx, regionCode: string, year: number, key: string): Promise<PolicyRow | undefined> {
    const r = await sql<PolicyRow>`
      select * from policy_values where region_code = ${regionCode} and year = ${year} and key = ${key} and retired_at is null
         for update`.execute(tx);
    return r.rows.map(numeric)[0];
  }

  async retire(tx: Tx, id: number, by: string, note: string | null): Promise<void> {
    await sql`update policy_values set retired_at = now(), retired_by_name = ${by}, retire_note = ${note} where id = ${id}`.execute(tx);
  }

  async insert(
    tx: Tx, v: { regionCode: string; regionPrefix: string; regionName: string; year: number; key: string; value: number; note: string | null; userId: number; username: string },
  ): Promise<number> {
    const r = await sql<{ id: number }>`
      insert into policy_values (region_code, region_prefix, region_name, year, key, value, note, set_by, set_by_name)
      values (${v.regionCode}, ${v.regionPrefix}, ${v.regionName}, ${v.year}, ${v.key}, ${v.value}, ${v.note}, ${v.userId}, ${v.username})
      returning id`.execute(tx);
    return r.rows[0]!.id;
  }
}
