/**
 * Assistance measures of households (table assistance_measures). Reads and writes in the caller's scoped
 * transaction: row-level security limits them to the caller's region, the audit trigger records every change.
 */
import { sql } from 'kysely';
import { DEVELOPMENT_MEASURE_FAMILIES } from '@tuopin/domain';
import type { Tx } from '../db/database';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * SQL condition: the measure row `alias` is an industry or employment measure in force on `date` (a checked
 * 'YYYY-MM-DD' literal, or an SQL date expression when `raw`). The one definition of "has a development measure"
 * for the rule facts and the data-quality run; the domain's hasDevelopmentMeasure says the same in TypeScript.
 */
export function developmentMeasureInForceSql(alias: string, date: string, raw = false): string {
  if (!raw && !ISO_DATE.test(date)) throw new Error(`invalid date ${date}`);
  const d = raw ? date : `'${date}'::date`;
  return `${alias}.family in (${DEVELOPMENT_MEASURE_FAMILIES.map((f) => `'${f}'`).join(', ')}) and ${alias}.started_on <= ${d}
    and (${alias}.ended_on is null or ${alias}.ended_on >= ${d})`;
}

export interface MeasureRow {
  county_code: string;
  id: number;
  household_id: number;
  village_code: string;
  family: string;
  title: string;
  started_on: string;
  ended_on: string | null;
  /** yuan (float8 of the numeric(12,2) column) */
  amount: number | null;
  note: string | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = sql`county_code, id::int, household_id::int, village_code, family, title, to_char(started_on, 'YYYY-MM-DD') as started_on,
  to_char(ended_on, 'YYYY-MM-DD') as ended_on, amount::float8 as amount, note, created_by_name, created_at, updated_at`;

export class AssistanceRepository {
  /** A household's measures: those in force on `today` first, then by start date, newest first. */
  async list(tx: Tx, countyCode: string, householdId: number, today: string): Promise<MeasureRow[]> {
    return (await sql<MeasureRow>`select ${COLUMNS} from assistance_measures
      where county_code = ${countyCode} and household_id = ${householdId}
      order by (started_on <= ${today}::date and (ended_on is null or ended_on >= ${today}::date)) desc, started_on desc, id desc`.execute(tx)).rows;
  }

  async get(tx: Tx, countyCode: string, householdId: number, id: number, lock = false): Promise<MeasureRow | undefined> {
    return (await sql<MeasureRow>`select ${COLUMNS} from assistance_measures
      where county_code = ${countyCode} and household_id = ${householdId} and id = ${id} ${lock ? sql`for update` : sql``}`.execute(tx)).rows[0];
  }

  async insert(tx: Tx, m: {
    countyCode: string; householdId: number; villageCode: string; family: string; title: string; startedOn: string; endedOn: string | null;
    amount: number | null; note: string | null; userId: number; userName: string;
  }): Promise<number> {
    const r = await sql<{ id: number }>`
      insert into assistance_measures (county_code, household_id, village_code, family, title, started_on, ended_on, amount, note, created_by, created_by_name)
      values (${m.countyCode}, ${m.householdId}, ${m.villageCode}, ${m.family}, ${m.title}, ${m.startedOn}::date, ${m.endedOn}::date, ${m.amount},
              ${m.note}, ${m.userId}, ${m.userName})
      returning id::int`.execute(tx);
    return r.rows[0]!.id;
  }

  async end(tx: Tx, countyCode: string, id: number, endedOn: string): Promise<void> {
    await sql`update assistance_measures set ended_on = ${endedOn}::date, updated_at = now() where county_code = ${countyCode} and id = ${id}`.execute(tx);
  }
}
