/**
 * The audit log's chains (migration 0017): one hash chain per county, one for national and system events, each
 * verified alone; appends lock only their own chain; bulk mode entered only through audit_bulk_begin (a forged
 * `tuopin.bulk` still gets row audit rows); the generator's --replace removes everything of the households it deletes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { Migrator, sql } from 'kysely';
import { api, idCheckCharacter, scopeSetting, SHEETS } from '@tuopin/domain';
import { generateIntoDatabase } from '../src/generate/index';
import { currentYearInChina, todayInChina } from '../src/clock';
import { ROOT_DIR } from '../src/config';
import { Database } from '../src/db/database';
import { migrations } from '../src/db/migrations/index';
import { createDeps } from '../src/services/container';
import { AuditService } from '../src/services/audit.service';
import { RegionsService } from '../src/services/regions.service';
import { testConfig } from '../src/testing/harness';
import { importFinished, setup, uploadImport, userClient, type TestClient, type TestEnv } from './helpers';

const QH_VILLAGE = '211204001001'; // a village of 清河区 (county 211204)
const YZ_VILLAGE = '211202001001'; // a village of 银州区 (county 211202)
const XF_VILLAGE = '211221101006'; // a village of 铁岭县 (county 211221)

type Row = Record<string, unknown>;

describe('audit chains: one per county, verified alone, locked alone', () => {
  let env: TestEnv;
  const clients: pg.Client[] = [];
  let seq = 0;

  before(async () => {
    env = await setup();
  });
  after(async () => {
    for (const c of clients) await c.end().catch(() => {});
    await env.close();
  });

  const q = async <T = Row>(text: string, params: unknown[] = []): Promise<T[]> => (await env.db.pool.query(text, params)).rows as T[];

  /** A connection of its own, in a transaction as the application role (tuopin_app) with the national scope. */
  async function appSession(name = 'chains'): Promise<pg.Client & { pid: number }> {
    const c = new pg.Client({ connectionString: env.db.url });
    await c.connect();
    clients.push(c);
    const pid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await c.query('begin');
    await c.query('set local role tuopin_app');
    await c.query(`select set_config('tuopin.scope', $1, true), set_config('tuopin.actor_name', $2, true)`, [scopeSetting('000000000000'), name]);
    return Object.assign(c, { pid });
  }

  /** Inserts a household (audited by its row trigger unless in bulk mode); returns its id. */
  async function household(c: pg.ClientBase, village: string): Promise<number> {
    const r = await c.query<{ id: number }>(
      `insert into households (county_code, household_no, village_code, address, attribute)
       values (left($1, 6), $2, $1, '测试地址', 'general_poor') returning id`, [village, `AC${String(++seq).padStart(8, '0')}`]);
    return Number(r.rows[0]!.id);
  }

  const rowAudits = async (id: number, county: string) =>
    (await q<{ n: number }>(`select count(*)::int as n from audit_log where entity = 'households' and entity_id = $1 and left(region_code, 6) = $2`, [String(id), county]))[0]!.n;

  /** Whether the backend is waiting for a lock now. */
  const waitingForLock = async (pid: number) =>
    (await q<{ n: number }>(`select count(*)::int as n from pg_locks where pid = $1 and not granted`, [pid]))[0]!.n > 0;

  /** Resolves `p`, failing if the backend `pid` is seen waiting for a lock first (no timing decides). */
  async function completesWithoutWaiting<T>(p: Promise<T>, pid: number, what: string): Promise<T> {
    let done = false;
    const watched = p.finally(() => { done = true; });
    while (!done) {
      if (await waitingForLock(pid)) {
        if (!done) assert.fail(`${what}: waits for a lock`);
      }
      await new Promise((r) => setImmediate(r));
    }
    return watched;
  }

  async function waitUntilWaiting(pid: number): Promise<void> {
    while (!(await waitingForLock(pid))) await new Promise((r) => setTimeout(r, 20));
  }

  test('each county has its own chain, national and system events theirs; every chain verifies alone', async () => {
    const a = await appSession();
    const qh = await household(a, QH_VILLAGE);
    const yz = await household(a, YZ_VILLAGE);
    await a.query(`select audit_append('test', 'regions', null, '210000000000', null, '{"level":"province"}'::jsonb, null)`);
    await a.query(`select audit_append('test', 'regions', null, '211200000000', null, '{"level":"city"}'::jsonb, null)`);
    await a.query(`select audit_append('test', 'system', null, null, null, '{"level":"none"}'::jsonb, null)`);
    await a.query('commit');

    const chainOf = async (where: string, params: unknown[]) => (await q<{ chain: string }>(`select distinct chain from audit_log where ${where}`, params)).map((r) => r.chain);
    assert.deepEqual(await chainOf(`entity = 'households' and entity_id = $1`, [String(qh)]), ['211204']);
    assert.deepEqual(await chainOf(`entity = 'households' and entity_id = $1`, [String(yz)]), ['211202']);
    assert.deepEqual(await chainOf(`action = 'test'`, []), ['000000'], 'province, city and region-less events are national');
    assert.deepEqual(await chainOf(`entity = 'users'`, []), ['000000'], 'the administrator (national) is on the national chain');

    const all = await env.services.audit.verifyChain();
    assert.equal(all.ok, true);
    const chains = all.chains.map((c) => c.chain);
    for (const c of ['000000', '211202', '211204']) assert.ok(chains.includes(c), c);
    assert.ok(all.chains.every((c) => c.ok && c.firstBroken === null));
    assert.equal(all.rows, (await q<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n);

    const qhOnly = await env.services.audit.verifyChain({ chain: '211204' });
    assert.deepEqual(qhOnly.chains.map((c) => c.chain), ['211204']);
    assert.equal(qhOnly.rows, (await q<{ n: number }>(`select count(*)::int as n from audit_log where chain = '211204'`))[0]!.n);
    assert.equal(qhOnly.ok, true);
    // a chain's first row links to where every chain starts (no legacy rows in a new database: zeros)
    const first = (await q<{ prev_hash: string }>(`select prev_hash from audit_log where chain = '211204' order by id limit 1`))[0]!;
    assert.equal(first.prev_hash, '0'.repeat(64));
  });

  test('tampering with a row of one county breaks that chain only, and verify names the row', async () => {
    const a = await appSession();
    for (let i = 0; i < 3; i++) await household(a, XF_VILLAGE);
    await household(a, YZ_VILLAGE);
    await a.query('commit');
    const target = (await q<{ id: string }>(`select id::text as id from audit_log where chain = '211221' order by id offset 1 limit 1`))[0]!.id;
    await env.db.kysely.transaction().execute(async (tx) => {
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(tx);
      await sql`update audit_log set reason = '篡改' where id = ${target}::bigint`.execute(tx);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(tx);
    });
    const r = await env.services.audit.verifyChain();
    assert.equal(r.ok, false);
    assert.equal(r.firstBroken!.id, target);
    const broken = r.chains.filter((c) => !c.ok);
    assert.deepEqual(broken.map((c) => [c.chain, c.firstBroken!.id]), [['211221', target]]);
    assert.match(broken[0]!.firstBroken!.problem, /篡改/);
    for (const c of ['000000', '211202', '211204']) assert.equal(r.chains.find((x) => x.chain === c)!.ok, true, c);
    // the county's chain alone says the same; a neighbour's alone is intact
    assert.equal((await env.services.audit.verifyChain({ chain: '211221' })).firstBroken!.id, target);
    assert.equal((await env.services.audit.verifyChain({ chain: '211202' })).ok, true);
  });

  test('a forged tuopin.bulk (set_config by the application role) still gets row audit rows', async () => {
    // the flag set at the start of a transaction
    const a = await appSession('forger');
    await a.query(`select set_config('tuopin.bulk', 'on', true)`);
    const forged = await household(a, QH_VILLAGE);
    await a.query(`update households set address = '改过的地址' where county_code = '211204' and id = $1`, [forged]);
    await a.query('commit');
    assert.equal(await rowAudits(forged, '211204'), 2, 'insert and update audited');

    // the flag set by the very statement that writes (after the statement guard): audited or refused, never silent
    const b = await appSession('forger');
    let ok = true;
    try {
      await b.query(`update households set address = address || '。' where county_code = '211204' and id = $1 and set_config('tuopin.bulk', 'on', true) = 'on'`, [forged]);
      await b.query('commit');
    } catch {
      ok = false;
      await b.query('rollback');
    }
    if (ok) assert.equal(await rowAudits(forged, '211204'), 3);

    // the application role can neither produce the proof nor write the summary table itself
    const c = await appSession('forger');
    await assert.rejects(c.query(`select setval('audit_bulk_xact', pg_current_xact_id()::text::bigint, true)`), /permission denied/);
    await c.query('rollback');
    const d = await appSession('forger');
    await assert.rejects(d.query(`insert into audit_bulk_pending values (pg_current_xact_id(), 'x', 'x', null, null, null, null)`), /permission denied/);
    await d.query('rollback');

    // a genuine bulk transaction on a connection leaves no proof for the next transaction of that connection
    const e = await appSession('bulk');
    await e.query(`select audit_bulk_begin('import', 'imports', null, $1, '{"test":true}'::jsonb, null)`, [QH_VILLAGE]);
    const silent = await household(e, QH_VILLAGE);
    await e.query('commit');
    assert.equal(await rowAudits(silent, '211204'), 0, 'bulk rows are not audited one by one');
    await e.query('begin');
    await e.query('set local role tuopin_app');
    await e.query(`select set_config('tuopin.scope', $1, true), set_config('tuopin.bulk', 'on', true)`, [scopeSetting('000000000000')]);
    const later = await household(e, QH_VILLAGE);
    await e.query('commit');
    assert.equal(await rowAudits(later, '211204'), 1, 'the next transaction is audited again');

    // the summary row was appended at commit, on the county's chain; bulk mode once per transaction
    const summary = await q<{ chain: string; after: unknown; actor_name: string }>(`select chain, after, actor_name from audit_log where action = 'import' and after = '{"test":true}'::jsonb`);
    assert.deepEqual(summary, [{ chain: '211204', after: { test: true }, actor_name: 'bulk' }]);
    const f = await appSession('bulk');
    await f.query(`select audit_bulk_begin('import', 'imports', null, $1, '{}'::jsonb, null)`, [QH_VILLAGE]);
    await assert.rejects(f.query(`select audit_bulk_begin('import', 'imports', null, $1, '{}'::jsonb, null)`, [QH_VILLAGE]), /bulk mode already/);
    await f.query('rollback');
    assert.equal((await env.services.audit.verifyChain()).chains.find((x) => x.chain === '211204')!.ok, true);
  });

  test('every audit trigger that a bulk transaction may silence checks the proof, not the flag alone', async () => {
    const triggers = await q<{ t: string; def: string }>(`
      select tgrelid::regclass::text as t, pg_get_triggerdef(oid) as def from pg_trigger where tgfoid = 'audit_row'::regproc and tgqual is not null`);
    assert.ok(triggers.length >= 10);
    for (const r of triggers) {
      assert.match(r.def, /audit_row_wanted\(\)/, r.def);
      assert.doesNotMatch(r.def, /tuopin\.bulk/, r.def);
    }
    const guarded = new Set((await q<{ t: string }>(`select tgrelid::regclass::text as t from pg_trigger where tgfoid = 'audit_bulk_guard'::regproc`)).map((r) => r.t));
    for (const r of triggers) assert.ok(guarded.has(r.t), `${r.t} has the statement guard`);
  });

  test('audited transactions in two counties do not wait for each other; in one county they do', async () => {
    const a = await appSession('county-a');
    await household(a, QH_VILLAGE); // holds the lock of the chain 211204 until it ends
    assert.equal((await q<{ n: number }>(
      `select count(*)::int as n from pg_locks where pid = $1 and locktype = 'advisory' and classid = 7361001 and objid = 211204 and granted`, [a.pid]))[0]!.n, 1);

    const b = await appSession('county-b');
    const yz = await completesWithoutWaiting(household(b, YZ_VILLAGE), b.pid, 'a write in another county');
    await completesWithoutWaiting(b.query('commit'), b.pid, 'its commit');
    assert.equal(await rowAudits(yz, '211202'), 1);

    // a second writer in the same county waits for the first one's chain lock, and goes on when it commits
    const c = await appSession('county-a-2');
    const pending = household(c, QH_VILLAGE);
    await waitUntilWaiting(c.pid);
    const waits = await q<{ locktype: string; objid: number }>(`select locktype, objid from pg_locks where pid = $1 and not granted`, [c.pid]);
    assert.deepEqual(waits, [{ locktype: 'advisory', objid: 211204 }]);
    await a.query('commit');
    const qh2 = await pending;
    await c.query('commit');
    assert.equal(await rowAudits(qh2, '211204'), 1);

    // a bulk transaction holds no chain lock while it writes (its summary is appended at commit)
    const d = await appSession('bulk');
    await d.query(`select audit_bulk_begin('import', 'imports', null, $1, '{"concurrent":true}'::jsonb, null)`, [QH_VILLAGE]);
    for (let i = 0; i < 3; i++) await household(d, QH_VILLAGE);
    const e = await appSession('county-a-3');
    await completesWithoutWaiting(household(e, QH_VILLAGE), e.pid, 'an edit in the county of a running bulk transaction');
    await completesWithoutWaiting(e.query('commit'), e.pid, 'its commit');
    await d.query('commit');
    // the interleaved appends left intact chains (211221 was tampered with above)
    const r = await env.services.audit.verifyChain();
    assert.deepEqual(r.chains.filter((x) => !x.ok).map((x) => x.chain), ['211221']);
    assert.equal((await q<{ n: number }>(`select count(*)::int as n from audit_log where action = 'import' and after = '{"concurrent":true}'::jsonb and chain = '211204'`))[0]!.n, 1);
  });
});

describe('upgrade: rows from before 0017 stay a verifiable legacy chain', () => {
  test('the old chain verifies as it was, new chains link to its end, tampering with it breaks it alone', async () => {
    const adminUrl = process.env.TUOPIN_TEST_PG!;
    const name = `t_legacy_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const db = new Database(u.toString(), 4);
    try {
      // the database as it was at 0016, with rows on the single old chain
      const migrator = new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
      const to16 = await migrator.migrateTo('0016_import_scoping');
      assert.equal(to16.error, undefined);
      await db.pool.query(`select audit_append('test', 'system', null, null, null, '{"n":1}'::jsonb, null)`);
      await db.pool.query(`select audit_append('test', 'regions', null, '211204001001', null, '{"n":2}'::jsonb, null)`);
      await db.pool.query(`select audit_append('test', 'regions', null, '211202001001', null, '{"n":3}'::jsonb, null)`);
      const oldHashes = (await db.pool.query<{ hash: string }>('select hash from audit_log order by id')).rows.map((r) => r.hash);

      await db.migrate();
      await db.pool.query(`select audit_append('test', 'regions', null, '211204001001', null, '{"n":4}'::jsonb, null)`);
      await db.pool.query(`select audit_append('test', 'system', null, null, null, '{"n":5}'::jsonb, null)`);
      const rows = (await db.pool.query<{ chain: string; hash: string; prev_hash: string }>('select chain, hash, prev_hash from audit_log order by id')).rows;
      assert.deepEqual(rows.map((r) => r.chain), ['legacy', 'legacy', 'legacy', '211204', '000000']);
      assert.deepEqual(rows.slice(0, 3).map((r) => r.hash), oldHashes, 'old rows keep their hashes');
      assert.equal(rows[3]!.prev_hash, oldHashes[2], 'a new chain starts at the last legacy row');
      assert.equal(rows[4]!.prev_hash, oldHashes[2]);

      const audit = new AuditService(createDeps(db, testConfig()), new RegionsService(createDeps(db, testConfig())));
      const ok = await audit.verifyChain();
      assert.equal(ok.ok, true, JSON.stringify(ok.chains));
      assert.deepEqual(ok.chains.map((c) => [c.chain, c.rows]), [['000000', 1], ['211204', 1], ['legacy', 3]]);

      const target = (await db.pool.query<{ id: string }>(`select id::text as id from audit_log where chain = 'legacy' order by id offset 1 limit 1`)).rows[0]!.id;
      const c = await db.pool.connect();
      try {
        await c.query('begin');
        await c.query('alter table audit_log disable trigger audit_log_no_update');
        await c.query(`update audit_log set reason = '篡改' where id = $1::bigint`, [target]);
        await c.query('alter table audit_log enable trigger audit_log_no_update');
        await c.query('commit');
      } finally {
        c.release();
      }
      const bad = await audit.verifyChain();
      assert.deepEqual(bad.chains.filter((x) => !x.ok).map((x) => [x.chain, x.firstBroken!.id]), [['legacy', target]]);
    } finally {
      await db.close();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});

describe('generator --replace: no orphans, audited in bulk mode', () => {
  let env: TestEnv;
  const year = currentYearInChina();
  before(async () => {
    env = await setup();
  });
  after(() => env.close());

  const q = async <T = Row>(text: string, params: unknown[] = []): Promise<T[]> => (await env.db.pool.query(text, params)).rows as T[];
  const DEPENDENTS = ['members', 'persons', 'income_records', 'household_year_status', 'clues', 'clue_rules', 'procedures',
    'monitoring_records', 'assistance_measures', 'quality_findings'] as const;

  /** Rows of the dependent tables whose household is gone (and member moves whose member is gone). */
  async function orphans(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of DEPENDENTS) {
      out[t] = (await q<{ n: number }>(`select count(*)::int as n from ${t} x
        where not exists (select 1 from households h where h.county_code = x.county_code and h.id = x.household_id)`))[0]!.n;
    }
    out.member_moves = (await q<{ n: number }>(`select count(*)::int as n from member_moves x
      where not exists (select 1 from members m where m.county_code = x.county_code and m.id = x.member_id)`))[0]!.n;
    return out;
  }

  test('replacing generated households deletes their clues, procedures, measures and the rest', async () => {
    await generateIntoDatabase(env.db, { region: '211204', persons: 400, seed: 11, year, replace: true });
    // give some generated households a whole monitoring path, measures, findings and moves
    await env.db.pool.query(`
      with h as (select county_code, id, village_code from households where household_no ~ '^G' order by id limit 5),
      c as (insert into clues (county_code, household_id, village_code, channel, summary, found_on)
            select county_code, id, village_code, 'cadre', '测试线索', current_date from h returning county_code, id, household_id, village_code),
      cr as (insert into clue_rules (county_code, household_id, period, rule_id, clue_id, village_code, rule_version, rule_name, severity, risk_type, found_on)
             select c.county_code, c.household_id, '${year}-01', r.id, c.id, c.village_code, r.version, r.name, r.severity, r.risk_type, current_date
               from c cross join (select * from rules order by id limit 1) r returning 1),
      p as (insert into procedures (county_code, household_id, village_code, kind, status, state, started_on, step_since, due_on, year, facts_start, policy, clue_id)
            select county_code, household_id, village_code, 'identification', 'active', '{}', current_date, current_date, current_date, ${year}, '{}', '{}', id from c returning 1),
      m as (insert into assistance_measures (county_code, household_id, village_code, family, title, started_on)
            select county_code, id, village_code, 'industry', '测试措施', current_date from h returning 1),
      qr as (insert into quality_runs (region_code, region_prefix, year, reference_date, status, progress, created_by_name)
             values ('211204000000', '211204', ${year}, current_date, 'done', 1, 'test') returning id),
      f as (insert into quality_findings (county_code, run_id, household_id, seq, village_code, check_id, severity, field, message)
            select h.county_code, qr.id, h.id, 1, h.village_code, 'test', 'warning', 'address', '测试' from h cross join qr returning 1),
      mv as (insert into member_moves (county_code, village_code, member_id, id_number, kind, moved_on, reason)
             select mm.county_code, mm.village_code, mm.id, mm.id_number, 'out', current_date, '测试'
               from members mm join h on h.county_code = mm.county_code and h.id = mm.household_id returning 1)
      select (select count(*) from cr) + (select count(*) from p) + (select count(*) from m) + (select count(*) from f) + (select count(*) from mv) as n`);
    const before = await q<{ n: number }>(`select (select count(*) from clues)::int + (select count(*) from procedures)::int
      + (select count(*) from assistance_measures)::int + (select count(*) from member_moves)::int as n`);
    assert.ok(before[0]!.n >= 20);
    const auditBefore = (await q<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n;

    const again = await generateIntoDatabase(env.db, { region: '211204', persons: 400, seed: 12, year, replace: true });
    assert.ok(again.deleted > 0);
    assert.deepEqual(await orphans(), Object.fromEntries([...DEPENDENTS, 'member_moves'].map((t) => [t, 0])));
    const left = await q<{ n: number }>(`select (select count(*) from clues where summary = '测试线索')::int
      + (select count(*) from assistance_measures where title = '测试措施')::int + (select count(*) from member_moves where reason = '测试')::int as n`);
    assert.equal(left[0]!.n, 0);
    // one audit row for the run (bulk mode), none per deleted or written row
    const added = await q<{ action: string; chain: string; after: { deleted: number; replace: boolean } }>(
      'select action, chain, after from audit_log where id > (select max(id) from audit_log) - 100 order by id');
    assert.equal((await q<{ n: number }>('select count(*)::int as n from audit_log'))[0]!.n - auditBefore, 1);
    const last = added[added.length - 1]!;
    assert.equal(last.action, 'generate');
    assert.equal(last.chain, '211204');
    assert.equal(last.after.deleted, again.deleted);
    assert.equal((await env.services.audit.verifyChain()).ok, true);
  });
});

describe('audit chains: bulk summaries on every county written, chain locks in a fixed order', () => {
  let env: TestEnv;
  let admin: TestClient;
  const YEAR = currentYearInChina();
  const QH = '211204101200'; // a village of 清河区 (county 211204)
  const YZ = '211202001001'; // a village of 银州区 (county 211202)
  const q = async <T = Row>(text: string, params: unknown[] = []): Promise<T[]> => (await env.db.pool.query(text, params)).rows as T[];
  const idNo = (county: string, birth: string, seq: number) => {
    const body = `${county}${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
    return body + idCheckCharacter(body);
  };
  const csv = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
  const sheet = (name: keyof typeof SHEETS, rows: Record<string, string>[]) =>
    csv([SHEETS[name].columns.map((c) => c.header), ...rows.map((v) => SHEETS[name].columns.map((c) => v[c.header] ?? ''))]);
  const person = (no: string, idn: string, name: string, rel: string, sex: string, birth: string) =>
    ({ 户编号: no, 证件号码: idn, 姓名: name, 与户主关系: rel, 性别: sex, 出生日期: birth, 民族: '汉族', 文化程度: '小学', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险' });

  before(async () => {
    env = await setup();
    admin = await env.admin();
  });
  after(() => env.close());

  /** Waits (with a deadline) until some backend other than `except` waits for the chain lock of `chain`. */
  async function someoneWaitsForChain(chain: string, except: number): Promise<number> {
    const end = Date.now() + 60_000;
    for (;;) {
      const r = await q<{ pid: number }>(
        `select pid from pg_locks where locktype = 'advisory' and classid = 7361001 and objid = $1 and objsubid = 2 and not granted and pid <> $2`,
        [Number(chain), except]);
      if (r.length) return r[0]!.pid;
      if (Date.now() > end) throw new Error(`nobody waits for chain ${chain}`);
      await new Promise((res) => setTimeout(res, 20));
    }
  }
  const holdsChain = async (pid: number, chain: string) =>
    (await q(`select 1 from pg_locks where locktype = 'advisory' and classid = 7361001 and objid = $1 and objsubid = 2 and granted and pid = $2`, [Number(chain), pid])).length > 0;

  test('an import by a city-level user over two counties puts its summary on each county\'s chain', async () => {
    const { client: city } = await userClient(env, admin, { username: 'city_imp', role: 'county_admin', regionCode: '211200000000' });
    const files = [
      { name: '户信息.csv', content: sheet('households', [
        { 户编号: 'QH-9001', 所在村代码: QH, 户属性: '一般贫困户', 识别年度: '2015', 脱贫年度: '2019', 主要致贫原因: '因病', 住房安全等级: 'B', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '已脱贫户' },
        { 户编号: 'YZ-9001', 所在村代码: YZ, 户属性: '一般贫困户', 识别年度: '2015', 脱贫年度: '2019', 主要致贫原因: '因病', 住房安全等级: 'B', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '已脱贫户' },
      ]) },
      { name: '成员信息.csv', content: sheet('members', [
        person('QH-9001', idNo('211204', '1958-04-12', 111), '王大山', '户主', '男', '1958-04-12'),
        person('QH-9001', idNo('211204', '1990-05-02', 131), '王小山', '之子', '男', '1990-05-02'),
        person('YZ-9001', idNo('211202', '1960-09-30', 111), '李长河', '户主', '男', '1960-09-30'),
        person('YZ-9001', idNo('211202', '1992-07-08', 151), '李小河', '之子', '男', '1992-07-08'),
      ]) },
      { name: '收入信息.csv', content: sheet('income', [
        { 户编号: 'QH-9001', 年度: String(YEAR), '其他工资性收入（元）': '9000' },
        { 户编号: 'YZ-9001', 年度: String(YEAR), '其他工资性收入（元）': '9500' },
      ]) },
    ];
    const r = await uploadImport(city, files);
    assert.equal(r.import.status, 'validated', JSON.stringify(r.problems));
    await city.ok(api.importCommit, { params: { id: r.import.id } });
    assert.equal((await importFinished(city, r.import.id)).import.status, 'committed');

    const rows = await q<{ chain: string; region_code: string; after: Record<string, unknown> }>(
      `select chain, region_code, after from audit_log where action = 'import' and entity = 'imports' and entity_id = $1 order by chain`, [String(r.import.id)]);
    // the operation's own row on its region's chain (a city: '000000'), one on each county's chain
    assert.deepEqual(rows.map((x) => [x.chain, x.region_code]), [['000000', '211200000000'], ['211202', '211202000000'], ['211204', '211204000000']]);
    assert.deepEqual(rows[0]!.after.counties, ['211202', '211204']);
    for (const x of rows.slice(1)) {
      assert.equal(x.after.operationRegion, '211200000000');
      assert.deepEqual(x.after.counts, rows[0]!.after.counts);
    }
    // no row audit for the imported rows
    assert.equal((await q<{ n: number }>(`select count(*)::int as n from audit_log where entity in ('households', 'members')`))[0]!.n, 0);
    // each county's chain, verified alone, has the import's row and is intact
    for (const county of ['211202', '211204']) {
      const report = await env.services.audit.verifyChain({ chain: county });
      assert.equal(report.ok, true);
      assert.deepEqual(report.chains.map((c) => c.chain), [county]);
      assert.ok(report.rows >= 1);
    }
    // a county reader sees the import on the audit page of the county
    const reader = (await userClient(env, admin, { username: 'yz_reader', role: 'county_admin', regionCode: '211202000000' })).client;
    const seen = await reader.ok(api.auditList, { query: { entity: 'imports', entityId: String(r.import.id) } });
    assert.deepEqual(seen.items.map((e) => [e.action, e.regionCode]), [['import', '211202000000']]);
  });

  test('npm run audit:verify --chain: a county\'s chain with the import verifies; a chain with no rows exits 2', async () => {
    const cli = (...args: string[]) => new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT_DIR, 'apps/server/src/cli/audit-verify.ts'), ...args], {
        cwd: ROOT_DIR,
        env: { ...process.env, DATABASE_URL: env.db.url, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      for (const s of [child.stdout, child.stderr]) s.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.on('close', (code) => resolve({ code, out }));
    });
    const ok = await cli('--chain', '211202');
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /chain 211202 \(county 211202\): OK, [1-9][0-9]* rows verified/);
    const none = await cli('--chain', '999999');
    assert.equal(none.code, 2, none.out);
    assert.match(none.out, /chain 999999 has no rows/);
  });

  test('a member transfer between counties takes both chain locks first, in sorted order; a deadlock answers 409 http.retry', async () => {
    const list = async (no: string) => (await admin.ok(api.householdList, { query: { year: YEAR, q: no } })).items[0]!;
    const qh = await list('QH-9001');
    const yz = await list('YZ-9001');
    const son = (await admin.ok(api.householdGet, { params: { countyCode: '211202', id: yz.id } })).members.find((m) => m.name === '李小河')!;
    const today = todayInChina();
    const transfer = (from: { countyCode: string; id: number }, memberId: number, to: { countyCode: string; id: number }) =>
      admin.call(api.memberMove, {
        params: { countyCode: from.countyCode, id: from.id, memberId },
        body: { kind: 'transfer', date: today, reason: '分户迁移', target: { countyCode: to.countyCode, householdId: to.id, relation: 'son' } },
      });

    // 211202 → 211204 writes the target county first; the locks are taken in sorted order before anything is written:
    // while 211202's chain is held elsewhere, the transfer waits for it holding no lock of 211204's chain.
    const other = await env.db.pool.connect();
    try {
      await other.query('begin');
      const otherPid = (await other.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await other.query('select pg_advisory_xact_lock(7361001, 211202)');
      const moving = transfer({ countyCode: '211202', id: yz.id }, son.id, { countyCode: '211204', id: qh.id });
      const waiter = await someoneWaitsForChain('211202', otherPid);
      assert.equal(await holdsChain(waiter, '211204'), false);
      await other.query('commit');
      const moved = await moving;
      assert.equal(moved.status, 200, JSON.stringify(moved.body));
    } finally {
      await other.query('rollback').catch(() => {});
      other.release();
    }

    // A deadlock (made here on purpose: another transaction holds 211204's chain and then asks for 211202's, which
    // the transfer holds) is answered 409 with the catalogue code, not 500; nothing of the transfer is written.
    const back = (await admin.ok(api.householdGet, { params: { countyCode: '211204', id: qh.id } })).members.find((m) => m.name === '李小河' && m.active)!;
    const rival = await env.db.pool.connect();
    try {
      await rival.query('begin');
      // the transfer's own deadlock check (after the default deadlock_timeout) comes first: it is the one cancelled
      await rival.query(`set local deadlock_timeout = '60s'`);
      const rivalPid = (await rival.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await rival.query('select pg_advisory_xact_lock(7361001, 211204)');
      const moving = transfer({ countyCode: '211204', id: qh.id }, back.id, { countyCode: '211202', id: yz.id });
      const waiter = await someoneWaitsForChain('211204', rivalPid);
      assert.equal(await holdsChain(waiter, '211202'), true);
      const rivalWaits = rival.query('select pg_advisory_xact_lock(7361001, 211202)');
      const res = await moving;
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal((res.body as unknown as { code: string }).code, 'http.retry');
      await rivalWaits;
      await rival.query('rollback');
    } finally {
      await rival.query('rollback').catch(() => {});
      rival.release();
    }
    const still = await admin.ok(api.householdGet, { params: { countyCode: '211204', id: qh.id } });
    assert.equal(still.members.find((m) => m.id === back.id)!.active, true);
    // trying again works
    const again = await transfer({ countyCode: '211204', id: qh.id }, back.id, { countyCode: '211202', id: yz.id });
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });
});
