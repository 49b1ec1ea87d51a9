import { sql, type Kysely } from 'kysely';
import { MEASURE_FAMILIES } from '@tuopin/domain';

/**
 * Assistance measures (帮扶措施) of a household: family (DOMAIN §9), what it is, from when to when, funds put in.
 * A measure is never deleted: it is ended on a date (the audit log keeps who and why). The fact tables of the
 * warning rules read whether an industry or employment measure is in force (has_development_measure).
 *
 * Distribution, scoping and audit as the registry: county code first in the keys, the village code for the
 * row-level-security policy, the audit row trigger (entity id: the household, as for income records, so the
 * household's change log lists its measures; the measure's id is in the row).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const families = MEASURE_FAMILIES.map((f) => `'${f.code}'`).join(', ');
  await sql
    .raw(
      `
create table assistance_measures (
  county_code     text not null,
  id              bigint generated always as identity,
  household_id    bigint not null,
  village_code    text not null,
  family          text not null check (family in (${families})),
  title           text not null check (length(title) between 1 and 200),
  started_on      date not null,
  ended_on        date check (ended_on >= started_on),
  amount          numeric(14, 2) check (amount >= 0),
  note            text check (length(note) <= 1000),
  created_by      bigint references users(id),
  created_by_name text,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (county_code, id),
  foreign key (county_code, household_id) references households (county_code, id),
  check (county_code = left(village_code, 6))
);
create index assistance_measures_household_idx on assistance_measures (county_code, household_id);
alter table assistance_measures enable row level security;
create policy assistance_measures_scope on assistance_measures to tuopin_app
  using (tuopin_visible(village_code)) with check (tuopin_visible(village_code));
grant select, insert, update on assistance_measures to tuopin_app;
create trigger assistance_measures_audit after insert or update or delete on assistance_measures
  for each row when (current_setting('tuopin.bulk', true) is distinct from 'on') execute function audit_row('village_code', 'household_id');
`,
    )
    .execute(db);
}

export async function down(): Promise<void> {
  throw new Error('irreversible');
}
