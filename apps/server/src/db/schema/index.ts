/**
 * The table types of the database. `tables.ts` is generated (`npm run db:codegen`) from the migrated database:
 * every table of the schema public, one interface per table (`Households`, `AuditLog` …) and `DB`, the map of table
 * names that `Kysely<DB>` and `Tx` are typed with. Only `db/` and the repositories import this module.
 */
export type * from './tables';
