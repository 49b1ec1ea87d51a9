/**
 * Exit assessment over a region in set-based SQL: the exit criteria (packages/domain monitoring/exit-criteria.ts,
 * CEL compiled to SQL) evaluated on the rule fact tables (rule-facts.repository.ts) in one pass, counted in total
 * and per child region, or listed household by household with keyset paging. Runs on the caller's scoped client.
 */
import { compileSql, EXIT_ITEMS, exitCriteria, HOUSEHOLD_FACTS_TABLE, MEMBER_FACTS_TABLE, type ExitCounts, type ExitGroupCode, type ExitItemCode } from '@tuopin/domain';
import type { Tx } from '../db/database';
import { rawClient } from '../db/raw';
import type { Facts } from './rule-facts.repository';

const CODES = EXIT_ITEMS.map((i) => i.code);

/** `u_<code>` boolean columns, TRUE when the item is unmet (the criteria give TRUE, never null, for unmet). */
function unmetColumns(alias: string): string {
  return exitCriteria()
    .map((c) => `(${compileSql(c.rule, { householdAlias: alias, memberTable: MEMBER_FACTS_TABLE, literals: 'inline' }).sql}) is true as u_${c.code}`)
    .join(',\n           ');
}

/** The households of each group, as a condition on the household facts h. */
const GROUP_SQL: Record<ExitGroupCode, string> = {
  all: 'true',
  covered: "h.status in ('poor', 'exited', 'returned') or h.monitored",
  exited: "h.status = 'exited'",
  poor: "h.status in ('poor', 'returned')",
  monitored: 'h.monitored',
};

/** The fact tables plus `exit_unmet`: one row per household of the group with its village, per-capita income and u_<code> columns. */
function withUnmet(facts: Facts, group: ExitGroupCode): string {
  const where = GROUP_SQL[group];
  if (!where) throw new Error('invalid exit group');
  return `with ${facts.with},
    exit_unmet as (
      select h.county_code, h.household_id, h.household_no, h.village_code, h.income_per_capita_net,
           ${unmetColumns('h')}
        from ${HOUSEHOLD_FACTS_TABLE} h
       where ${where})`;
}

const anyUnmet = CODES.map((c) => `u_${c}`).join(' or ');

interface CountRow { is_total: boolean; child: string | null; assessed: number; meeting: number; [k: string]: unknown }

const toCounts = (r: CountRow): ExitCounts => ({
  assessed: r.assessed,
  meeting: r.meeting,
  unmet: Object.fromEntries(CODES.map((c) => [c, Number(r[c])])) as ExitCounts['unmet'],
});

/**
 * Counts of the region in total and per child region (households grouped by the first `childPrefixLength`
 * characters of their village code; none when null), in one pass.
 */
export async function exitCounts(tx: Tx, facts: Facts, group: ExitGroupCode, childPrefixLength: number | null): Promise<{ totals: ExitCounts; children: Map<string, ExitCounts> }> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('exitCounts expects the facts parameter as $1');
  const len = childPrefixLength ?? 0;
  if (!Number.isInteger(len) || len < 0 || len > 12) throw new Error('invalid child prefix length');
  const child = `substr(village_code, 1, ${len})`;
  const rows = (await client.query<CountRow>(
    `${withUnmet(facts, group)}
     select ${childPrefixLength === null ? 'true' : `grouping(${child}) = 1`} as is_total, ${childPrefixLength === null ? 'null::text' : child} as child,
            count(*)::int as assessed, count(*) filter (where not (${anyUnmet}))::int as meeting,
            ${CODES.map((c) => `count(*) filter (where u_${c})::int as ${c}`).join(', ')}
       from exit_unmet
      ${childPrefixLength === null ? '' : `group by rollup (${child})`}`,
    [facts.param],
  )).rows;
  const total = rows.find((r) => r.is_total);
  const children = new Map<string, ExitCounts>();
  for (const r of rows) if (!r.is_total && r.child !== null) children.set(r.child, toCounts(r));
  return { totals: total ? toCounts(total) : { assessed: 0, meeting: 0, unmet: { income: 0, education: 0, medical: 0, housing: 0, water: 0 } }, children };
}

export interface ExitListRow {
  county_code: string;
  household_id: number;
  household_no: string;
  village_code: string;
  village: string | null;
  head_name: string | null;
  per_capita: number | null;
  unmet: ExitItemCode[];
}

/**
 * Households with an unmet item (the given one, or any), ordered by (county, id), after the keyset cursor; and
 * the number of such households in the region.
 */
export async function exitHouseholds(
  tx: Tx, facts: Facts, opts: { group: ExitGroupCode; item: ExitItemCode | null; after: { countyCode: string; id: number } | null; limit: number },
): Promise<{ rows: ExitListRow[]; total: number }> {
  const client = rawClient(tx);
  if (facts.paramIndex !== 1) throw new Error('exitHouseholds expects the facts parameter as $1');
  if (opts.item !== null && !CODES.includes(opts.item)) throw new Error('invalid exit item');
  const filter = opts.item ? `u_${opts.item}` : `(${anyUnmet})`;
  const rows = (await client.query<ExitListRow>(
    `${withUnmet(facts, opts.group)},
     page as (select * from exit_unmet e where ${filter} and (e.county_code, e.household_id) > ($2::text, $3::bigint)
               order by e.county_code, e.household_id limit $4)
     select p.county_code, p.household_id::int, p.household_no, p.village_code, r.name as village, hm.name as head_name, p.income_per_capita_net as per_capita,
            array_remove(array[${CODES.map((c) => `case when p.u_${c} then '${c}' end`).join(', ')}], null) as unmet
       from page p
       left join regions r on r.code = p.village_code
       left join lateral (select name from members m where m.county_code = p.county_code and m.household_id = p.household_id and m.active and m.relation = 'head'
                           order by m.id limit 1) hm on true
      order by p.county_code, p.household_id`,
    [facts.param, opts.after?.countyCode ?? '', opts.after?.id ?? 0, opts.limit],
  )).rows;
  const total = Number((await client.query<{ n: number }>(`${withUnmet(facts, opts.group)} select count(*)::int as n from exit_unmet where ${filter}`, [facts.param])).rows[0]!.n);
  return { rows: rows.map((r) => ({ ...r, per_capita: r.per_capita === null ? null : Number(r.per_capita) })), total };
}
