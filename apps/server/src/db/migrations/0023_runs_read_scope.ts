import { sql, type Kysely } from 'kysely';

/**
 * A run record is readable exactly where its subject is (review of issue 11): 0018 let every run be read from below
 * its region (`tuopin_chain_visible`), as the rule runs are (0014), but an import and a data-quality run are readable
 * in their scope only — so a township officer could read the county's import or quality run record (its message,
 * params and creator) and was offered a retry that then failed. Now a run is readable in the reader's scope, and a
 * warning run (`rules.run`) also from below its region, as its `rule_runs` record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop policy runs_read on runs`.execute(db);
  await sql`create policy runs_read on runs for select to tuopin_app
    using (tuopin_visible(region_code) or (kind = 'rules.run' and tuopin_chain_visible(tuopin_code_prefix(region_code))))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop policy runs_read on runs`.execute(db);
  await sql`create policy runs_read on runs for select to tuopin_app
    using (tuopin_visible(region_code) or tuopin_chain_visible(tuopin_code_prefix(region_code)))`.execute(db);
}
