/**
 * Region scoping and audit, read from the catalogue (issue 10, item 14): every table in the public schema that holds
 * region data has row-level security, a policy for the request role, and the audit row trigger — or is named below
 * with the reason it is exempt. A new table with a region, village or county column fails this test until it has
 * them (or an exemption with its reason).
 *
 * Not FORCE ROW LEVEL SECURITY: by design the owning role bypasses the policies (`Database.system`, used only for
 * authentication, bootstrap and command-line loaders), and requests always run as `tuopin_app`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { storeProblems } from '../src/repositories/import.repository';
import { setup, YANGMULINZI, ZHANGXIANG, type TestEnv } from './helpers';

/** Columns that place a row in a region: region_code, village_code, county_code, to_county_code, … */
const REGION_COLUMN = /^(?:[a-z]+_)?(?:region|province|city|county|township|village)_code$/;

/** Tables without a region column whose rows belong to a region-scoped parent; scoped through it. */
const SCOPED_THROUGH_PARENT: Record<string, string> = {
  import_problems: 'imports', // quotes rows of an uploaded file
  rule_versions: 'rules', // the history of a rule, visible with the rule
};

/** Tables without region data. The request role must have no access to them at all. */
const NO_REGION_DATA: Record<string, string> = {
  sessions: 'login sessions, used by the authentication service as the owner only',
  login_failures: 'failed-login counters by user name, used by the authentication service as the owner only',
  kysely_migration: 'the migrations applied',
  kysely_migration_lock: 'the migration lock',
  audit_bulk_pending: 'the summary row of a bulk transaction until its commit appends it to the audit chain; used by audit_bulk_begin() and the commit trigger (owner) only',
};

/** Tables with region data but no audit row trigger, and why. Row-level security is never exempt. */
const AUDIT_EXEMPT: Record<string, string> = {
  audit_log: 'the audit log itself: append-only, hash-chained, written by audit_append()',
  regions: 'reference data: a load (regions:load) is one audit event written by audit_append()',
  persons: 'derived index of members (one row per ID number), kept by the members triggers; members are audited',
  imports: 'job record (who uploaded which file, when, progress); the commit is one audited "import" event',
  import_households: 'staging copy of an uploaded file, emptied after the commit; a trigger would copy every ID number and name of each file into the log',
  import_statuses: 'staging copy of an uploaded file (see import_households)',
  import_members: 'staging copy of an uploaded file (see import_households)',
  import_income: 'staging copy of an uploaded file (see import_households)',
  import_problems: "validation results of an upload, replaced by the next validation",
  quality_runs: 'job record of a data-quality run (who started it, when, totals)',
  quality_findings: 'results of a data-quality run, recomputed by the next run',
  quality_run_villages: 'per-village totals of a data-quality run, recomputed by the next run',
  rule_runs: 'job record of a warning run; the run is one audited "run" event (bulk mode: its clues get no row audit, the summary is on the chain of the run\'s region and of every county with hits)',
  rule_versions: 'the version history of a rule, written with the audited change of the rule',
};

interface TableInfo {
  name: string;
  region_columns: string[];
  rls: boolean;
  policies: { name: string; roles: string[]; expr: string }[];
  audit_triggers: string[];
  app_access: boolean;
}

describe('region scoping and audit in the catalogue', () => {
  let env: TestEnv;
  let tables: TableInfo[];

  before(async () => {
    env = await setup();
    const r = await sql<TableInfo>`
      select c.relname as name,
             coalesce((select array_agg(a.attname::text order by a.attnum) from pg_attribute a
                        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attname ~ ${REGION_COLUMN.source}), '{}') as region_columns,
             c.relrowsecurity as rls,
             coalesce((select json_agg(json_build_object(
                         'name', p.polname,
                         'roles', (select coalesce(array_agg(case when x = 0 then 'public' else x::regrole::text end), '{}') from unnest(p.polroles) x),
                         'expr', coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')))
                         from pg_policy p where p.polrelid = c.oid), '[]') as policies,
             coalesce((select array_agg(t.tgname::text) from pg_trigger t join pg_proc f on f.oid = t.tgfoid
                        where t.tgrelid = c.oid and not t.tgisinternal and f.proname = 'audit_row'), '{}') as audit_triggers,
             has_table_privilege('tuopin_app', c.oid, 'select') or has_table_privilege('tuopin_app', c.oid, 'insert')
               or has_table_privilege('tuopin_app', c.oid, 'update') or has_table_privilege('tuopin_app', c.oid, 'delete') as app_access
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p')
       order by c.relname`.execute(env.db.kysely);
    tables = r.rows;
  });
  after(() => env.close());

  test('the catalogue query sees the registry', () => {
    const households = tables.find((t) => t.name === 'households');
    assert.deepEqual(households?.region_columns, ['county_code', 'village_code']);
    assert.ok(tables.length >= 25);
  });

  test('every table with region data has row-level security and a tuopin_visible policy for the request role', () => {
    const missing: string[] = [];
    for (const t of tables) {
      const parent = SCOPED_THROUGH_PARENT[t.name];
      const regional = t.region_columns.length > 0 || t.name === 'regions' || parent !== undefined;
      if (!regional) continue;
      if (!t.rls) missing.push(`${t.name}: row-level security not enabled`);
      const forApp = t.policies.filter((p) => p.roles.includes('tuopin_app') || p.roles.includes('public'));
      if (forApp.length === 0) missing.push(`${t.name}: no policy for tuopin_app`);
      else if (!forApp.some((p) => /tuopin_visible/.test(p.expr) || (parent !== undefined && p.expr.includes(parent)))) {
        missing.push(`${t.name}: no policy tests tuopin_visible()${parent ? ` or its parent ${parent}` : ''}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('every table with region data has the audit row trigger unless exempt (with its reason)', () => {
    const missing = tables
      .filter((t) => (t.region_columns.length > 0 || t.name in SCOPED_THROUGH_PARENT) && t.audit_triggers.length === 0 && !(t.name in AUDIT_EXEMPT))
      .map((t) => t.name);
    assert.deepEqual(missing, [], 'tables with region data and no audit_row trigger: add one or an exemption with its reason');
    // No stale exemptions: an exempt table exists and really has no trigger.
    for (const name of Object.keys(AUDIT_EXEMPT)) {
      const t = tables.find((x) => x.name === name);
      assert.ok(t, `exempt table ${name} exists`);
      assert.deepEqual(t.audit_triggers, [], `${name} is exempt from audit but has a trigger: remove the exemption`);
    }
  });

  test('a table without region data is unknown to the request role, or listed with its reason', () => {
    const unexplained = tables
      .filter((t) => t.region_columns.length === 0 && t.name !== 'regions' && !(t.name in SCOPED_THROUGH_PARENT))
      .filter((t) => !(t.name in NO_REGION_DATA) || t.app_access)
      .map((t) => `${t.name}${t.app_access ? ' (the request role can reach it)' : ''}`);
    assert.deepEqual(unexplained, []);
  });

  test('staging rows and problems of an import are visible only in its region; ID numbers in problems are masked', async () => {
    const actor = (regionCode: string) => ({ id: 1, username: 'admin', role: 'township_officer' as const, regionCode, ip: null });
    // An import of 张相镇 with a staged member, a staged household and a problem quoting an ID number.
    const idNumber = '211204198001010012';
    const importId = await env.db.scoped(actor(ZHANGXIANG), async (tx) => {
      const r = await sql<{ id: number }>`
        insert into imports (region_code, created_by, created_by_name, file_names, file_sha256, file_bytes)
        values (${ZHANGXIANG}, 1, 'admin', '{a.xlsx}', 'x', 1) returning id`.execute(tx);
      return r.rows[0]!.id;
    });
    await env.db.scoped(actor(ZHANGXIANG), async (tx) => {
      await sql`insert into import_members (import_id, row_no, household_no, id_type, id_number, name, relation)
                values (${importId}, 2, 'ZX-1', 'resident_id', ${idNumber}, '张三', 'head')`.execute(tx);
      await storeProblems(tx, importId, [
        { sheet: 'members', row: 2, column: '证件号码', severity: 'error', message: `证件号码 ${idNumber} 在成员信息表中重复（首次出现在第 1 行）` },
      ]);
    });
    const counts = (regionCode: string) =>
      env.db.scoped(actor(regionCode), async (tx) => {
        const r = await sql<{ members: number; problems: number; message: string | null }>`
          select (select count(*) from import_members where import_id = ${importId})::int as members,
                 (select count(*) from import_problems where import_id = ${importId})::int as problems,
                 (select message from import_problems where import_id = ${importId} limit 1) as message`.execute(tx);
        return r.rows[0]!;
      });
    const own = await counts(ZHANGXIANG);
    assert.equal(own.members, 1);
    assert.equal(own.problems, 1);
    assert.equal(own.message, '证件号码 211204********0012 在成员信息表中重复（首次出现在第 1 行）');
    assert.deepEqual(await counts(YANGMULINZI), { members: 0, problems: 0, message: null });
    // Another township cannot stage rows into this import either.
    await assert.rejects(
      env.db.scoped(actor(YANGMULINZI), (tx) =>
        sql`insert into import_members (import_id, row_no, household_no, id_type, id_number, name, relation)
            values (${importId}, 3, 'ZX-1', 'resident_id', '211204198001010020', '李四', 'spouse')`.execute(tx),
      ),
      /row-level security/,
    );
  });
});
