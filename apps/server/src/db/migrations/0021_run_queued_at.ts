import { sql, type Kysely } from 'kysely';

/**
 * When a run was (last) queued. The recovery sweep fails a queued run that no job will deliver once it has waited
 * longer than the queued grace; it measured the wait from `created_at`, so a retried run (created long before) could
 * be failed as orphaned in the moment between the retry's commit and its job being sent — a busy CI machine did so.
 * `queued_at` is set on creation and by every retry, and the sweep measures from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table runs add column queued_at timestamptz not null default now()`.execute(db);
  await sql`update runs set queued_at = created_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table runs drop column queued_at`.execute(db);
}
