/**
 * The official CEL conformance tests (google/cel-spec "simple" suite, commit 508bd98; the copied files, their
 * licence and the classification are in packages/domain/test/cel-spec/) on the SQL translation, on real
 * PostgreSQL: every test the unit test runs on the TypeScript evaluator (the checker accepts it and the
 * product's semantics do not deliberately differ, see cel-spec/conformance.ts for the refused and skipped
 * tests and their reasons) is compiled by compileSqlValue, with inline literals and with parameters, and
 * selected over one household fact row. Each must give the spec's value, or raise an error where the spec
 * expects one, and the same answer as the TypeScript evaluator.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import {
  checkRule, compileSqlValue, evaluateExpression, factRows, factTablesDdl, HOUSEHOLD_FACTS_TABLE, MEMBER_FACTS_TABLE,
  RuleEvaluationError, type RuleType, type RuleValue,
} from '@tuopin/domain';
import { differs, loadConformanceCases, type ConformanceCase } from '../../../packages/domain/test/cel-spec/conformance';
import { facts } from '../../../packages/domain/test/rules-fixtures';
import { cloneTemplate } from '../src/testing/harness';

/** A value read back from PostgreSQL, as the TypeScript evaluator represents it (int as BigInt). */
function fromSql(v: unknown, t: RuleType): RuleValue {
  if (v === null) return null;
  if (t.kind === 'list') return (v as unknown[]).map((x) => fromSql(x, t.elem ?? { kind: 'scalar', name: 'string' }));
  if (t.kind === 'scalar' && t.name === 'int') return BigInt(v as string);
  if (t.kind === 'scalar' && t.name === 'double') return typeof v === 'number' ? v : Number(v);
  return v as RuleValue;
}

type Answer = { value: RuleValue } | { error: string };

describe('CEL conformance: the SQL translation gives the spec\'s answers', () => {
  let client: pg.Client;
  let drop: () => Promise<void>;
  const cases = loadConformanceCases().filter((c) => c.outcome === 'run');

  before(async () => {
    const adminUrl = process.env.TUOPIN_TEST_PG;
    if (!adminUrl) throw new Error('TUOPIN_TEST_PG is not set: run integration tests with `npm test -- --only integration`');
    const db = await cloneTemplate(adminUrl, `t_celconf_${process.pid}`);
    drop = db.drop;
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    for (const ddl of factTablesDdl()) await client.query(ddl);
    const rows = factRows({ countyCode: '211204', householdId: 1 }, facts());
    await client.query(`insert into ${HOUSEHOLD_FACTS_TABLE} select * from json_populate_recordset(null::${HOUSEHOLD_FACTS_TABLE}, $1)`, [JSON.stringify([rows.household])]);
    await client.query(`insert into ${MEMBER_FACTS_TABLE} select * from json_populate_recordset(null::${MEMBER_FACTS_TABLE}, $1)`, [JSON.stringify(rows.members)]);
  });

  after(async () => {
    await client?.end();
    await drop?.();
  });

  async function sqlAnswer(c: ConformanceCase, literals: 'inline' | 'params'): Promise<Answer> {
    const { sql, params } = compileSqlValue(c.rule!, { literals });
    try {
      const r = await client.query(`select (${sql}) as v from ${HOUSEHOLD_FACTS_TABLE} h`, params);
      assert.equal(r.rows.length, 1);
      return { value: fromSql(r.rows[0].v, c.rule!.ast.type) };
    } catch (e) {
      if (e instanceof pg.DatabaseError) return { error: e.message };
      throw e;
    }
  }

  function tsAnswer(c: ConformanceCase): Answer {
    try {
      return { value: evaluateExpression(c.rule!, facts()) };
    } catch (e) {
      if (e instanceof RuleEvaluationError) return { error: e.messageEn };
      throw e;
    }
  }

  function problem(a: Answer, c: ConformanceCase): string | null {
    if ('error' in c.expected) return 'error' in a ? null : `the spec expects an error (${c.expected.error}), got ${String(a.value)}`;
    return 'error' in a ? `unexpected error: ${a.error}` : differs(a.value, c.expected.value);
  }

  test('every included test gives the spec\'s value or error in SQL (inline and parameters), as in TypeScript', async () => {
    assert.ok(cases.length > 250, `${cases.length} included tests`);
    const failures: string[] = [];
    const passed = { inline: 0, params: 0 };
    for (const c of cases) {
      const ts = tsAnswer(c);
      for (const literals of ['inline', 'params'] as const) {
        const a = await sqlAnswer(c, literals);
        const p = problem(a, c);
        // both paths must agree, also on being an error
        const disagree = 'error' in a !== 'error' in ts || ('value' in a && 'value' in ts && differs(a.value, expectedOfValue(ts.value)) !== null);
        if (p || disagree) {
          const { sql } = compileSqlValue(c.rule!, { literals });
          failures.push(`${c.id} (${literals}): ${c.expr}\n  SQL: ${sql}\n  ${p ?? 'TypeScript and SQL disagree'}; TypeScript: ${JSON.stringify(ts, big)}`);
        } else passed[literals]++;
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(passed, { inline: cases.length, params: cases.length });
  });

  test('int() at the boundaries the spec leaves out: the doubles next to ±2^63 convert, ±2^63 and beyond fail', async () => {
    const cases: [string, bigint | 'error'][] = [
      ['int(9223372036854774784.0)', 9223372036854774784n], ['int(-9223372036854774784.0)', -9223372036854774784n],
      ['int(9223372036854775807.0)', 'error'], ['int(-9223372036854775808.0)', 'error'], ['int(-9223372036854775809.0)', 'error'],
      ['int(double(-9223372036854775808))', 'error'], ['int(-0.9)', 0n], ['int(2.5e18)', 2500000000000000000n], ['int(-1e300)', 'error'],
    ];
    for (const [source, expected] of cases) {
      const rule = checkRule(source, { requireBool: false });
      assert.ok(rule.ok, source);
      const c = { rule: rule.rule } as ConformanceCase;
      for (const literals of ['inline', 'params'] as const) {
        const a = await sqlAnswer(c, literals);
        assert.deepEqual('error' in a ? 'error' : a.value, expected, `${source} (${literals})`);
      }
      const ts = tsAnswer(c);
      assert.deepEqual('error' in ts ? 'error' : ts.value, expected, `${source} (TypeScript)`);
    }
  });
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}

/** A value as an expected value, to compare the two paths with the same function. */
function expectedOfValue(v: RuleValue): Parameters<typeof differs>[1] {
  if (v === null) return { type: 'null' };
  if (typeof v === 'bigint') return { type: 'int', value: v };
  if (typeof v === 'number') return { type: 'double', value: v };
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (Array.isArray(v)) return { type: 'list', items: (v as RuleValue[]).map(expectedOfValue) };
  return { type: 'other', what: 'record' };
}
