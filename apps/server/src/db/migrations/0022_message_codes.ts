import { sql, type Kysely } from 'kysely';

/**
 * Message codes for what the imports and the data-quality runs store (issue 11, "Message codes"): each import
 * problem and each quality finding gets the catalogue code of its text and the code's params
 * (packages/domain/src/messages/import.ts, quality.ts), and an import's and a quality run's status message its code
 * and params too, so that the web renders them in the reader's language. The Chinese text stays in `message` (the
 * downloadable problem list and the findings' export use it). Rows written before this migration have no code:
 * the web shows their stored text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table import_problems add column code text, add column params jsonb`.execute(db);
  await sql`alter table imports add column message_code text, add column message_params jsonb`.execute(db);
  await sql`alter table quality_findings add column code text, add column params jsonb`.execute(db);
  await sql`alter table quality_runs add column message_code text, add column message_params jsonb`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table quality_runs drop column message_code, drop column message_params`.execute(db);
  await sql`alter table quality_findings drop column code, drop column params`.execute(db);
  await sql`alter table imports drop column message_code, drop column message_params`.execute(db);
  await sql`alter table import_problems drop column code, drop column params`.execute(db);
}
