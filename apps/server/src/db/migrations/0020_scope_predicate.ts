import { sql, type Kysely } from 'kysely';

/**
 * The scoping predicate with one read of the setting per row (issue 11, item 7).
 *
 * Migration 0001's `tuopin_visible(code)` read `current_setting('tuopin.scope', true)` up to three times for every
 * row of every scoped table (a CASE over 'ALL', unset/empty, and the prefix): `count(*)` over 200,000 rows took
 * 617–843 ms under load against 255–308 ms with one read (docs/performance.md, "Request overhead").
 *
 * Same answer for every scope and code (apps/server/test/scope-predicate.test.ts compares it with 0001's expression):
 * - the prefix is the setting with '' and unset (NULL) turned into NULL and 'ALL' into '' (every code starts with '');
 * - `starts_with` is NULL only when the code is NULL or the setting is unset/empty; the setting is read a second
 *   time only for a NULL code, so that 'ALL' still sees a NULL code as 0001 did; everything else NULL is false.
 * Scope values are 'ALL' or a region prefix of digits (domain `scopeSetting`, the only writer of the setting): for
 * those the answer is exact. (`split_part(…, 'ALL', 1)` would also cut a longer string at an 'ALL' inside it, which
 * no scope contains; an exact mapping for arbitrary strings needs the setting twice or a regular expression per row.)
 * `split_part` rather than `replace`: both return a prefix of digits unchanged without copying it, but `replace`
 * builds a new string for 'ALL' on every row (national scope: 200,000 rows 195 ms instead of 244, medians under load).
 * For the national scope the predicate stays slightly dearer than 0001's (one comparison there); for every
 * narrower scope it reads the setting once instead of three times.
 *
 * Still LANGUAGE sql, STABLE, PARALLEL SAFE, no SET clause, one expression without a sub-select: the planner inlines it
 * into every policy's qualifier. CREATE OR REPLACE keeps every policy pointing to it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create or replace function tuopin_visible(code text) returns boolean
language sql stable parallel safe as $$
  select coalesce(
    starts_with(code, split_part(nullif(current_setting('tuopin.scope', true), ''), 'ALL', 1)),
    code is null and current_setting('tuopin.scope', true) = 'ALL',
    false)
$$;
`,
    )
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql
    .raw(
      `
create or replace function tuopin_visible(code text) returns boolean
language sql stable parallel safe as $$
  select case
    when current_setting('tuopin.scope', true) = 'ALL' then true
    when coalesce(current_setting('tuopin.scope', true), '') = '' then false
    else coalesce(starts_with(code, current_setting('tuopin.scope', true)), false)
  end
$$;
`,
    )
    .execute(db);
}
