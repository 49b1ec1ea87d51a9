import { sql, type RawBuilder } from 'kysely';
import { INCOME_ITEMS, perCapitaNetIncomeSql } from '@tuopin/domain';
import type { Tx } from '../db/database';
import type { AuditLogRow as AuditRow } from './audit.repository';
import { policyChainWhere } from './policy.repository';
import {
  incomeItemsSelect, type HouseholdColumns, type HouseholdVillageRow, type IncomeRow, type MemberColumns, type MemberPageRow, type MemberRow,
  type YearStatusRow,
} from './registry.mapping';

export interface HouseholdFilter {
  regionPrefix: string;
  year: number;
  q?: string;
  status?: string;
  attribute?: string;
  mainCause?: string;
  monitored?: boolean;
  incomeMin?: number;
  incomeMax?: number;
  dangerousHouse?: boolean;
  uninsured?: boolean;
}

export interface HouseholdListRow {
  county_code: string;
  id: number;
  household_no: string;
  phone: string | null;
  village_code: string;
  village_name: string;
  village_full_name: string;
  attribute: string | null;
  main_cause: string | null;
  housing_rating: string | null;
  status: string | null;
  monitored: boolean;
  size: number;
  head_name: string | null;
  head_id_number: string | null;
  uninsured: number;
  /** Per-capita net income of the year in yuan (float8 of the fen-exact numeric) */
  per_capita: number | null;
}

export interface HouseholdTotalsRow {
  households: number;
  persons: number;
  with_income: number;
  average_per_capita: number | null;
}

/**
 * A member of the household page's statement, from JSON: dates and timestamps as text, the numeric column as a
 * number (memberFromRow reads both forms).
 */
export type MemberPageJson = Omit<MemberPageRow, 'birth_date' | 'left_on' | 'created_at' | 'updated_at' | 'monthly_work_income'> & {
  birth_date: string | null;
  left_on: string | null;
  created_at: string;
  updated_at: string;
  monthly_work_income: number | null;
};

/** The household page's statement (RegistryRepository.householdPage). */
export interface HouseholdPageRow extends HouseholdVillageRow {
  members: MemberPageJson[];
  incomes: IncomeRow[];
  statuses: YearStatusRow[];
  moves: MoveRow[];
  /** The current policy rows on the village's chain (value as a number). */
  policy: { id: number; region_code: string; year: number; key: string; value: number }[];
}

/** Columns of a new row: a null is left out, so that the column's default applies (false flags, 'none' codes, empty lists). */
const withoutNulls = (cols: HouseholdColumns | MemberColumns): Record<string, unknown> => Object.fromEntries(Object.entries(cols).filter(([, v]) => v !== null && v !== undefined));

/** Members at the end of the year: today's members, plus those who left after it, minus those who joined after it. */
const yearSize = sql.raw('(coalesce(m.size, 0) + coalesce(mv.delta, 0))');
/** Per-capita net income of the year; NULL (not 0) for a household without an income record of that year. */
const perCapita = sql.raw(`(case when i.household_id is null then null else ${perCapitaNetIncomeSql('i', '(coalesce(m.size, 0) + coalesce(mv.delta, 0))')} end)`);

/** Kinds of member_moves rows that start a membership in `to_household_id` / end one in `from_household_id`. */
export const MOVE_IN_KINDS = ['birth', 'marriage_in', 'other_in', 'transfer_in'] as const;
export const MOVE_OUT_KINDS = ['death', 'marriage_out', 'transfer', 'other_out'] as const;

export interface MoveRow {
  member_id: number;
  kind: string;
  from_household_id: number | null;
  to_household_id: number | null;
  moved_on: string;
}


/** Region codes starting with `prefix` are those in [lo, hi): '211204' → ['211204', '211205']; hi null for 9…9. */
export function codeRange(prefix: string): [string | null, string | null] {
  if (!/^\d*$/.test(prefix)) throw new Error(`invalid region prefix ${prefix}`);
  if (prefix === '') return [null, null];
  const digits = prefix.replace(/9+$/, '');
  if (digits === '') return [prefix, null];
  return [prefix, digits.slice(0, -1) + String(Number(digits.at(-1)) + 1)];
}

/**
 * `and` the members' county codes of the region `prefix` of a county or more (households.county_code is the first
 * six digits of the village code, so a household of the region has its county code in the range of the prefix).
 */
function countyRange(prefix: string): RawBuilder<unknown> {
  const [lo, hi] = codeRange(prefix.slice(0, 6));
  return sql`${lo ? sql`and mm.county_code >= ${lo}` : sql``} ${hi ? sql`and mm.county_code < ${hi}` : sql``}`;
}

/**
 * The registry's reads. Every query runs in a scoped transaction, so row-level security limits it to the
 * caller's region; the explicit prefix filter is there for the index, not for security.
 */
export class RegistryRepository {
  /**
   * The filtered list's query. `members` is how each household's current members are counted (m.size, m.uninsured,
   * and for the list's columns m.head_name, m.head_id_number): 'lateral' reads each household's members by the index
   * (a page of 50, or a township's households), 'grouped' counts all members of the region's counties in one pass
   * and hash-joins them (the totals of a county or more: one scan instead of an index scan per household; a
   * household without current members has no row there, hence the coalesce in yearSize and the uninsured filter).
   */
  private listQuery(f: HouseholdFilter, select: RawBuilder<unknown>, tail: RawBuilder<unknown>, members: 'lateral' | 'grouped' = 'lateral') {
    // The region as a range of village codes (digits only, so the order is the same in every collation): the
    // (village_code, id) index then gives the list's order, and a page reads only its own rows.
    const [lo, hi] = codeRange(f.regionPrefix);
    const conds: RawBuilder<unknown>[] = [];
    if (lo) conds.push(sql`h.village_code >= ${lo}`);
    if (hi) conds.push(sql`h.village_code < ${hi}`);
    if (!conds.length) conds.push(sql`true`);
    if (f.q) {
      const q = f.q.trim();
      const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
      const like = `%${escaped}%`;
      // a household number or its beginning (the village part of a number finds the village's households), a member's
      // ID number, or a part of a member's name
      conds.push(sql`(h.household_no like ${`${escaped}%`} or exists (select 1 from members x where x.county_code = h.county_code and x.household_id = h.id
        and x.active and (x.id_number = ${q.toUpperCase()} or x.name like ${like})))`);
    }
    if (f.status) conds.push(sql`s.status = ${f.status}`);
    if (f.attribute) conds.push(sql`h.attribute = ${f.attribute}`);
    if (f.mainCause) conds.push(sql`h.main_cause = ${f.mainCause}`);
    if (f.monitored !== undefined) conds.push(sql`coalesce(s.monitored, false) = ${f.monitored}`);
    if (f.dangerousHouse !== undefined) conds.push(f.dangerousHouse ? sql`h.housing_rating in ('C', 'D')` : sql`h.housing_rating is distinct from 'C' and h.housing_rating is distinct from 'D'`);
    if (f.uninsured !== undefined) conds.push(f.uninsured ? sql`coalesce(m.uninsured, 0) > 0` : sql`coalesce(m.uninsured, 0) = 0`);
    if (f.incomeMin !== undefined) conds.push(sql`${perCapita} >= ${f.incomeMin}`);
    if (f.incomeMax !== undefined) conds.push(sql`${perCapita} < ${f.incomeMax}`);
    // Moves after the end of the selected year, per household (+1 for a member who left since, −1 for one who joined
    // since); the household size of that year is today's size corrected by them (see HouseholdListItem.size).
    const yearEnd = `${f.year}-12-31`;
    return sql`
      select ${select}
        from households h
        join regions r on r.code = h.village_code
        left join household_year_status s on s.county_code = h.county_code and s.household_id = h.id and s.year = ${f.year}
        left join income_records i on i.county_code = h.county_code and i.household_id = h.id and i.year = ${f.year}
        left join (
          select x.county_code, x.household_id, sum(x.d)::int as delta from (
            select county_code, from_household_id as household_id, 1 as d from member_moves
             where kind in (${sql.join([...MOVE_OUT_KINDS])}) and moved_on > ${yearEnd}::date
            union all
            select county_code, to_household_id, -1 from member_moves
             where kind in (${sql.join([...MOVE_IN_KINDS])}) and moved_on > ${yearEnd}::date) x
           group by x.county_code, x.household_id) mv on mv.county_code = h.county_code and mv.household_id = h.id
        ${members === 'lateral' ? sql`cross join lateral (
          select count(*)::int as size,
                 min(mm.name) filter (where mm.relation = 'head') as head_name,
                 min(mm.id_number) filter (where mm.relation = 'head') as head_id_number,
                 count(*) filter (where mm.medical_insurance is null or mm.medical_insurance = 'none')::int as uninsured
            from members mm where mm.county_code = h.county_code and mm.household_id = h.id and mm.active) m` : sql`left join (
          select mm.county_code, mm.household_id, count(*)::int as size,
                 count(*) filter (where mm.medical_insurance is null or mm.medical_insurance = 'none')::int as uninsured
            from members mm where mm.active ${countyRange(f.regionPrefix)}
           group by mm.county_code, mm.household_id) m on m.county_code = h.county_code and m.household_id = h.id`}
       where ${sql.join(conds, sql` and `)}
       ${tail}`;
  }

  async list(tx: Tx, f: HouseholdFilter, after: { villageCode: string; id: number } | null, limit: number): Promise<HouseholdListRow[]> {
    const page = after ? sql`and (h.village_code, h.id) > (${after.villageCode}, ${after.id})` : sql``;
    const r = await this.listQuery(
      f,
      sql`h.county_code, h.id, h.household_no, h.phone, h.village_code, r.name as village_name, r.full_name as village_full_name,
          h.attribute, h.main_cause, h.housing_rating, s.status, coalesce(s.monitored, false) as monitored,
          ${yearSize} as size, m.head_name, m.head_id_number, m.uninsured, ${perCapita}::float8 as per_capita`,
      sql`${page} order by h.village_code, h.id limit ${limit}`,
    ).execute(tx);
    return r.rows as HouseholdListRow[];
  }

  async count(tx: Tx, f: HouseholdFilter): Promise<number> {
    const r = await this.listQuery(f, sql`count(*)::int as n`, sql``).execute(tx);
    return (r.rows[0] as { n: number }).n;
  }

  /**
   * Totals of the filtered list in one pass: households, persons at the end of the year, and the households with an
   * income record (per-capita income not null) with the mean of their per-capita incomes — households without a
   * record are left out, not counted as 0.
   */
  async totals(tx: Tx, f: HouseholdFilter): Promise<HouseholdTotalsRow> {
    // A county or more: members counted in one pass (listQuery); a township or village: by the index, per household.
    // The per-capita income is computed once per household (`offset 0` keeps the subquery from being flattened,
    // which would compute it for the count and again for the mean).
    const rows = this.listQuery(f, sql`${yearSize} as size, ${perCapita} as pc`, sql`offset 0`, f.regionPrefix.length <= 6 ? 'grouped' : 'lateral');
    const r = await sql`
      select count(*)::int as households, coalesce(sum(t.size), 0)::int as persons,
             count(t.pc)::int as with_income, round(avg(t.pc), 2)::float8 as average_per_capita
        from (${rows}) t`.execute(tx);
    return r.rows[0] as HouseholdTotalsRow;
  }

  async household(tx: Tx, countyCode: string, id: number): Promise<HouseholdVillageRow | undefined> {
    const r = await sql<HouseholdVillageRow>`
      select h.*, r.name as village_name, r.full_name as village_full_name, r.level as village_level
        from households h join regions r on r.code = h.village_code
       where h.county_code = ${countyCode} and h.id = ${id}`.execute(tx);
    return r.rows[0];
  }

  /**
   * A household page in one statement: the household with its village, and as JSON arrays all its members (also
   * those who left; the order of `members`), its income records (`incomes`, float8 items), year statuses
   * (`statuses`) and moves (`moves`), and the policy rows of the chain `prefixes` up to `year` (`policy`, the order
   * of PolicyRepository.chain). Undefined when the household is not visible.
   */
  async householdPage(tx: Tx, countyCode: string, id: number, prefixes: string[], year: number): Promise<HouseholdPageRow | undefined> {
    const r = await sql<HouseholdPageRow>`
      select h.*, r.name as village_name, r.full_name as village_full_name, r.level as village_level,
             (select coalesce(json_agg(m order by m.active desc, (m.relation = 'head') desc, m.birth_date nulls last, m.id), '[]')
                from (select *, to_char(birth_date, 'YYYY-MM-DD') as birth_date_text, to_char(left_on, 'YYYY-MM-DD') as left_on_text
                        from members where county_code = ${countyCode} and household_id = ${id}) m) as members,
             (select coalesce(json_agg(i order by i.year desc), '[]')
                from (select i.year, ${incomeItemsSelect('i')} from income_records i
                       where i.county_code = ${countyCode} and i.household_id = ${id}) i) as incomes,
             (select coalesce(json_agg(json_build_object('year', s.year, 'status', s.status, 'exit_year', s.exit_year, 'monitored', s.monitored,
                       'monitored_type', s.monitored_type, 'risk_types', s.risk_types) order by s.year desc), '[]')
                from household_year_status s where s.county_code = ${countyCode} and s.household_id = ${id}) as statuses,
             (select coalesce(json_agg(json_build_object('member_id', mv.member_id, 'kind', mv.kind, 'from_household_id', mv.from_household_id,
                       'to_household_id', mv.to_household_id, 'moved_on', to_char(mv.moved_on, 'YYYY-MM-DD')) order by mv.moved_on, mv.id), '[]')
                from member_moves mv
               where mv.county_code = ${countyCode}
                 and ((mv.kind in (${sql.join([...MOVE_IN_KINDS])}) and mv.to_household_id = ${id})
                   or (mv.kind in (${sql.join([...MOVE_OUT_KINDS])}) and mv.from_household_id = ${id}))) as moves,
             (select coalesce(json_agg(json_build_object('id', p.id, 'region_code', p.region_code, 'year', p.year, 'key', p.key, 'value', p.value)
                       order by p.year, p.region_prefix), '[]')
                from policy_values p where ${policyChainWhere(prefixes, year)}) as policy
        from households h join regions r on r.code = h.village_code
       where h.county_code = ${countyCode} and h.id = ${id}`.execute(tx);
    return r.rows[0];
  }

  /**
   * The current members of a batch of households (one query), in the batch's order, the head first in each: the
   * members export reads them per batch of the household list.
   */
  async membersOf(tx: Tx, keys: readonly { county_code: string; id: number }[]): Promise<MemberRow[]> {
    if (!keys.length) return [];
    const r = await sql<MemberRow>`
      select m.*, to_char(m.birth_date, 'YYYY-MM-DD') as birth_date_text
        from unnest(${keys.map((k) => k.county_code)}::text[], ${keys.map((k) => k.id)}::bigint[]) with ordinality k(county_code, household_id, ord)
        join members m on m.county_code = k.county_code and m.household_id = k.household_id and m.active
       order by k.ord, (m.relation = 'head') desc, m.birth_date nulls last, m.id`.execute(tx);
    return r.rows;
  }

  async members(tx: Tx, countyCode: string, householdId: number): Promise<MemberPageRow[]> {
    const r = await sql<MemberPageRow>`
      select *, to_char(birth_date, 'YYYY-MM-DD') as birth_date_text, to_char(left_on, 'YYYY-MM-DD') as left_on_text
        from members where county_code = ${countyCode} and household_id = ${householdId}
       order by active desc, (relation = 'head') desc, birth_date nulls last, id`.execute(tx);
    return r.rows;
  }

  async incomes(tx: Tx, countyCode: string, householdId: number): Promise<IncomeRow[]> {
    const r = await sql<IncomeRow>`
      select i.year, ${incomeItemsSelect('i')}
        from income_records i where i.county_code = ${countyCode} and i.household_id = ${householdId} order by i.year desc`.execute(tx);
    return r.rows;
  }

  /**
   * Audit entries of a household: the household row, its income and status rows (keyed by household id), and its
   * members and their moves (keyed by member id). Row-level security limits it to the caller's region.
   */
  async history(tx: Tx, householdId: number, memberIds: number[], before: string | null, limit: number): Promise<AuditRow[]> {
    const hid = String(householdId);
    const mids = memberIds.map(String);
    const r = await sql<AuditRow>`
      select id::text as id, at, actor_id, actor_name, ip, action, entity, entity_id, region_code, before, after, reason
        from audit_log
       where ((entity in ('households', 'income_records', 'household_year_status', 'assistance_measures') and entity_id = ${hid})
           or (entity in ('members', 'member_moves') and entity_id = any(${mids}::text[])))
         ${before ? sql`and id < ${before}::bigint` : sql``}
       order by id desc limit ${limit}`.execute(tx);
    return r.rows;
  }

  async statuses(tx: Tx, countyCode: string, householdId: number, year?: number): Promise<YearStatusRow[]> {
    const r = await sql<YearStatusRow>`
      select year, status, exit_year, monitored, monitored_type, risk_types from household_year_status
       where county_code = ${countyCode} and household_id = ${householdId} ${year === undefined ? sql`` : sql`and year = ${year}`}
       order by year desc`.execute(tx);
    return r.rows;
  }

  /** One year's income record of a household (item columns by snake_case name), if any. */
  async income(tx: Tx, countyCode: string, householdId: number, year: number): Promise<IncomeRow | undefined> {
    const r = await sql<IncomeRow>`
      select i.year, ${incomeItemsSelect('i')} from income_records i
       where i.county_code = ${countyCode} and i.household_id = ${householdId} and i.year = ${year}`.execute(tx);
    return r.rows[0];
  }

  // ---- writes (scoped transactions; audit triggers record each row change) -------------------

  async member(tx: Tx, countyCode: string, householdId: number, memberId: number): Promise<MemberPageRow | undefined> {
    const r = await sql<MemberPageRow>`
      select *, to_char(birth_date, 'YYYY-MM-DD') as birth_date_text, to_char(left_on, 'YYYY-MM-DD') as left_on_text from members
       where county_code = ${countyCode} and household_id = ${householdId} and id = ${memberId}`.execute(tx);
    return r.rows[0];
  }

  private assignments(cols: HouseholdColumns | MemberColumns) {
    return sql.join(Object.entries(cols).map(([c, v]) => sql`${sql.ref(c)} = ${v}`));
  }

  async updateHousehold(tx: Tx, countyCode: string, id: number, cols: HouseholdColumns): Promise<void> {
    if (Object.keys(cols).length === 0) return;
    await sql`update households set ${this.assignments(cols)}, updated_at = now() where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }

  async updateMember(tx: Tx, countyCode: string, id: number, cols: MemberColumns): Promise<void> {
    if (Object.keys(cols).length === 0) return;
    await sql`update members set ${this.assignments(cols)}, updated_at = now() where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }

  async insertHousehold(tx: Tx, countyCode: string, householdNo: string, villageCode: string, cols: HouseholdColumns): Promise<number> {
    const all: Record<string, unknown> = { ...withoutNulls(cols), county_code: countyCode, household_no: householdNo, village_code: villageCode };
    const names = Object.keys(all);
    const r = await sql<{ id: number }>`
      insert into households (${sql.join(names.map((n) => sql.ref(n)))}) values (${sql.join(names.map((n) => all[n]))}) returning id`.execute(tx);
    return r.rows[0]!.id;
  }

  async insertMember(tx: Tx, countyCode: string, householdId: number, villageCode: string, cols: MemberColumns): Promise<number> {
    const all: Record<string, unknown> = { ...withoutNulls(cols), county_code: countyCode, household_id: householdId, village_code: villageCode };
    const names = Object.keys(all);
    const r = await sql<{ id: number }>`
      insert into members (${sql.join(names.map((n) => sql.ref(n)))}) values (${sql.join(names.map((n) => all[n]))}) returning id`.execute(tx);
    return r.rows[0]!.id;
  }

  /**
   * Sets a household's income record of a year: every item column is written (null = not recorded). A new record is an
   * insert, an existing one an update; the audit trigger records the row or the changed items, with the transaction's
   * reason.
   */
  async upsertIncome(tx: Tx, r: { countyCode: string; householdId: number; year: number; villageCode: string; items: Record<string, number | null> }): Promise<void> {
    const cols = INCOME_ITEMS.map((it) => it.column);
    await sql`
      insert into income_records (county_code, household_id, year, village_code, ${sql.join(cols.map((c) => sql.ref(c)))})
      values (${r.countyCode}, ${r.householdId}, ${r.year}, ${r.villageCode}, ${sql.join(INCOME_ITEMS.map((it) => r.items[it.key] ?? null))})
      on conflict (county_code, household_id, year) do update
         set ${sql.join(cols.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}, updated_at = now()`.execute(tx);
  }

  /**
   * Sets a household's status (and exit year) of a year. The monitoring flag, type and risk types of an existing row
   * are left as they are (the monitoring procedure sets them); a new row starts not monitored.
   */
  async upsertStatus(tx: Tx, r: { countyCode: string; householdId: number; year: number; villageCode: string; status: string; exitYear: number | null }): Promise<void> {
    await sql`
      insert into household_year_status (county_code, household_id, year, village_code, status, exit_year)
      values (${r.countyCode}, ${r.householdId}, ${r.year}, ${r.villageCode}, ${r.status}, ${r.exitYear})
      on conflict (county_code, household_id, year) do update
         set status = excluded.status, exit_year = excluded.exit_year, updated_at = now()`.execute(tx);
  }

  async endMembership(tx: Tx, countyCode: string, id: number, date: string, reason: string): Promise<void> {
    await sql`update members set active = false, left_on = ${date}::date, left_reason = ${reason}, updated_at = now()
               where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }

  /** Registers an ID number as belonging to a household; the primary key makes it unique across the registry. */
  async insertPerson(tx: Tx, p: { idNumber: string; countyCode: string; villageCode: string; householdId: number; memberId: number }): Promise<void> {
    await sql`insert into persons (id_number, county_code, village_code, household_id, member_id)
              values (${p.idNumber}, ${p.countyCode}, ${p.villageCode}, ${p.householdId}, ${p.memberId})`.execute(tx);
  }

  async movePerson(tx: Tx, idNumber: string, to: { countyCode: string; villageCode: string; householdId: number; memberId: number }): Promise<void> {
    await sql`update persons set county_code = ${to.countyCode}, village_code = ${to.villageCode}, household_id = ${to.householdId}, member_id = ${to.memberId}
               where id_number = ${idNumber}`.execute(tx);
  }

  async renamePerson(tx: Tx, from: string, to: string): Promise<void> {
    await sql`update persons set id_number = ${to} where id_number = ${from}`.execute(tx);
  }

  async deletePerson(tx: Tx, idNumber: string): Promise<void> {
    await sql`delete from persons where id_number = ${idNumber}`.execute(tx);
  }

  async insertMove(
    tx: Tx,
    m: { countyCode: string; villageCode: string; memberId: number; idNumber: string; kind: string; fromHouseholdId: number | null; toCountyCode: string | null; toHouseholdId: number | null; date: string; reason: string },
  ): Promise<void> {
    await sql`insert into member_moves (county_code, village_code, member_id, id_number, kind, from_household_id, to_county_code, to_household_id, moved_on, reason)
              values (${m.countyCode}, ${m.villageCode}, ${m.memberId}, ${m.idNumber}, ${m.kind}, ${m.fromHouseholdId}, ${m.toCountyCode},
                      ${m.toHouseholdId}, ${m.date}::date, ${m.reason})`.execute(tx);
  }
}
