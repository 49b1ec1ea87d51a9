import { sql, type Kysely } from 'kysely';

/**
 * One index for a household's clues and the warning run's deduplication instead of two: a unique index on
 * (county, household, rule, period) serves both the household's clue list (its leading columns) and
 * `on conflict … do nothing` of the run. Clues without a rule (applications, cadres, departments, supervision)
 * never conflict, since NULL rule ids are distinct. A run inserting 140,000 clues maintains one index less.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `create unique index clues_household_rule_period_uq on clues (county_code, household_id, rule_id, period);
       drop index clues_rule_period_uq;
       drop index clues_household_idx;`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
