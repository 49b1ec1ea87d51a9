/**
 * The scoping predicate `tuopin_visible(code)` of migration 0020 (one read of `tuopin.scope` per row) gives exactly
 * the answers of migration 0001's expression for every code and scope — unset (NULL), empty, 'ALL', a province, a
 * county, a village, prefixes of other lengths, codes that merely share a textual prefix — and stays a function the
 * planner inlines into the policies' qualifiers (LANGUAGE sql, STABLE, no SET clause, not SECURITY DEFINER).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { cloneTemplate } from '../src/testing/harness';

/** Migration 0001's predicate, verbatim. */
const OLD = `case
    when current_setting('tuopin.scope', true) = 'ALL' then true
    when coalesce(current_setting('tuopin.scope', true), '') = '' then false
    else coalesce(starts_with(code, current_setting('tuopin.scope', true)), false)
  end`;

const CODES: (string | null)[] = [
  '000000000000', // the nation
  '210000000000', // 辽宁省
  '211200000000', // 铁岭市
  '211204000000', // 清河区
  '211204101000', // 张相镇
  '211204101201', // a village of 张相镇
  '211204102201', // a village of another township
  '211205000000', // a neighbouring county: shares '21120'
  '212204000000', // shares '21' and '2' only
  '2112041', // a shorter code sharing the county's prefix
  '211204', // the county's prefix itself as a code
  '21', // shorter than most scopes
  '2112041012011', // longer than a code, sharing the village's digits
  '',
  null,
];

/** null = the setting never set in the session (current_setting(…, true) is NULL). */
const SCOPES: (string | null)[] = [
  null, '', 'ALL', 'all', '21', '2112', '211204', '21120', '2112041', '211204101', '211204101201', '211205',
  '2112041012011', '0', '000000000000',
];

describe('tuopin_visible (migration 0020) equals the predicate of migration 0001', () => {
  let url: string;
  let drop: () => Promise<void>;
  before(async () => {
    ({ url, drop } = await cloneTemplate(process.env.TUOPIN_TEST_PG ?? fail(), `t_scope_pred_${process.pid}`));
  });
  after(() => drop());

  test('same answer for every code × scope', async () => {
    for (const scope of SCOPES) {
      // A connection of its own per scope: once set in a session, a custom setting reads '' after the transaction,
      // never NULL again.
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query('begin');
        if (scope !== null) await client.query(`select set_config('tuopin.scope', $1, true)`, [scope]);
        const { rows } = await client.query<{ code: string | null; setting: string | null; now: boolean | null; old: boolean | null }>(
          `select code, current_setting('tuopin.scope', true) as setting, tuopin_visible(code) as now, ${OLD} as old
             from unnest($1::text[]) as t(code)`,
          [CODES],
        );
        await client.query('commit');
        assert.equal(rows.length, CODES.length);
        for (const r of rows) {
          assert.equal(r.setting, scope, 'the setting as the predicate reads it');
          assert.equal(typeof r.now, 'boolean', `never NULL: scope ${scope}, code ${r.code}`);
          assert.equal(r.now, r.old, `scope ${JSON.stringify(scope)}, code ${JSON.stringify(r.code)}`);
        }
        // The expected answers themselves, so that both cannot be wrong the same way.
        const seen = rows.filter((r) => r.now).map((r) => r.code);
        if (scope === null || scope === '' || scope === 'all') assert.deepEqual(seen, []);
        else if (scope === 'ALL') assert.deepEqual(seen, CODES);
        else assert.deepEqual(seen, CODES.filter((c) => c !== null && c.startsWith(scope)));
      } finally {
        await client.end();
      }
    }
  });

  test('the same answers through a policy: a county user counts only their regions', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const count = async (scope: string | null) => {
        await client.query('begin');
        await client.query('set local role tuopin_app');
        if (scope !== null) await client.query(`select set_config('tuopin.scope', $1, true)`, [scope]);
        const { rows } = await client.query<{ now: string }>(`select count(*) as now from regions`);
        await client.query('rollback');
        return Number(rows[0]!.now);
      };
      const all = Number((await client.query<{ n: string }>('select count(*) as n from regions')).rows[0]!.n);
      const qinghe = Number((await client.query<{ n: string }>(`select count(*) as n from regions where code like '211204%'`)).rows[0]!.n);
      assert.ok(qinghe > 1);
      assert.equal(await count('ALL'), all);
      assert.equal(await count('211204'), qinghe);
      assert.equal(await count(''), 0);
    } finally {
      await client.end();
    }
  });

  test('still inlined: LANGUAGE sql, STABLE, no SET clause, not SECURITY DEFINER; plans show starts_with, not the call', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ lang: string; volatile: string; config: string[] | null; definer: boolean; parallel: string; strict: boolean }>(
        `select l.lanname as lang, p.provolatile as volatile, p.proconfig as config, p.prosecdef as definer,
                p.proparallel as parallel, p.proisstrict as strict
           from pg_proc p join pg_language l on l.oid = p.prolang where p.proname = 'tuopin_visible'`,
      );
      assert.deepEqual(rows, [{ lang: 'sql', volatile: 's', config: null, definer: false, parallel: 's', strict: false }]);
      await client.query('begin');
      await client.query('set local role tuopin_app');
      await client.query(`select set_config('tuopin.scope', '211204', true)`);
      const plan = (await client.query<{ 'QUERY PLAN': string }>(`explain (verbose, costs off) select code from regions`)).rows
        .map((r) => r['QUERY PLAN']).join('\n');
      await client.query('rollback');
      assert.match(plan, /starts_with/);
      assert.doesNotMatch(plan, /tuopin_visible/);
    } finally {
      await client.end();
    }
  });
});

function fail(): never {
  throw new Error('TUOPIN_TEST_PG is not set: run integration tests with `npm run test:integration`');
}
