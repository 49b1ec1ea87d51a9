import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, compileSql, compileSqlValue, sqlStringLiteral } from '../src/index';

const sql = (source: string) => compileSql(compileRule(source, { requireBool: false })).sql;

/** Every supported construct and its SQL (h = the household fact row, rule_member_facts = the member facts). */
const CASES: [string, string][] = [
  ["42",
   "('42'::bigint)"],
  ["-9223372036854775808",
   "('-9223372036854775808'::bigint)"],
  ["1.5",
   "('1.5'::float8)"],
  ["\"a'b\\\\c\"",
   "(E'a''b\\\\c'::text)"],
  ["true",
   "TRUE"],
  ["household.exitYear == null",
   "(h.exit_year IS NULL)"],
  ["null != household.exitYear",
   "(h.exit_year IS NOT NULL)"],
  ["null == null",
   "TRUE"],
  ["household.size",
   "h.size"],
  ["income.perCapitaNet",
   "h.income_per_capita_net"],
  ["lastIncome.total",
   "h.last_income_net"],
  ["policy.monitoringLine",
   "h.policy_monitoring_line"],
  ["policy.compulsoryAgeMin",
   "h.policy_compulsory_age_min"],
  ["household.monitored && household.relocated",
   "(h.monitored AND h.relocated)"],
  ["household.monitored || !household.relocated",
   "(h.monitored OR (NOT h.relocated))"],
  ["household.monitored ? 1 : 2",
   "(CASE h.monitored WHEN TRUE THEN ('1'::bigint) WHEN FALSE THEN ('2'::bigint) END)"],
  ["household.size == 3",
   "(h.size = ('3'::bigint))"],
  ["household.size != 3",
   "(h.size <> ('3'::bigint))"],
  ["household.size < 3",
   "(h.size < ('3'::bigint))"],
  ["household.size <= 3",
   "(h.size <= ('3'::bigint))"],
  ["household.size > 3",
   "(h.size > ('3'::bigint))"],
  ["household.villageCode >= \"2112\"",
   "(h.village_code COLLATE \"C\" >= (E'2112'::text))"],
  ["household.status == 'exited'",
   "(h.status = (E'exited'::text))"],
  ["household.size > 2.5",
   "(h.size::float8 > ('2.5'::float8))"],
  ["income.total <= household.size",
   "(h.income_net <= h.size::float8)"],
  ["household.size + 1",
   "(h.size + ('1'::bigint))"],
  ["household.size - 1",
   "(h.size - ('1'::bigint))"],
  ["household.size * 2",
   "(h.size * ('2'::bigint))"],
  ["household.size / 2",
   "(h.size / NULLIF(('2'::bigint), '0'::bigint))"],
  ["household.size % 2",
   "(h.size % NULLIF(('2'::bigint), '0'::bigint))"],
  ["income.total / 3.0",
   "(h.income_net / NULLIF(('3'::float8), '0'::float8))"],
  ["-income.total",
   "(-h.income_net)"],
  ["-household.size",
   "(-h.size)"],
  ["household.householdNo + \"-x\"",
   "(h.household_no || (E'-x'::text))"],
  ["household.mainCause in [\"illness\", \"disability\"]",
   "(h.main_cause IN ((E'illness'::text), (E'disability'::text)))"],
  ["household.size in [1, 2]",
   "(h.size IN (('1'::bigint), ('2'::bigint)))"],
  ["household.size in []",
   "FALSE"],
  ["\"illness\" in household.riskTypes",
   "((E'illness'::text) = ANY(h.risk_types))"],
  ["size(household.riskTypes)",
   "(cardinality(h.risk_types)::bigint)"],
  ["household.riskTypes.size()",
   "(cardinality(h.risk_types)::bigint)"],
  ["size(members)",
   "h.size"],
  ["size([1, 2, 3])",
   "('3'::bigint)"],
  ["size(household.householdNo)",
   "(char_length(h.household_no)::bigint)"],
  ["has(income.perCapitaNet)",
   "(h.income_per_capita_net IS NOT NULL)"],
  ["has(household.riskTypes)",
   "TRUE"],
  ["household.villageCode.startsWith(\"211204\")",
   "starts_with(h.village_code, (E'211204'::text))"],
  ["household.villageCode.endsWith(\"01\")",
   "(right(h.village_code, char_length((E'01'::text))) = (E'01'::text))"],
  ["household.householdNo.contains(\"A\")",
   "(strpos(h.household_no, (E'A'::text)) > 0)"],
  ["int(income.total)",
   "(-((-trunc(h.income_net))::bigint))"],
  ["double(household.size)",
   "(h.size::float8)"],
  ["int(household.size)",
   "h.size"],
  ["members.exists(m, m.age < 6)",
   "EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((m_1.age < ('6'::bigint))))"],
  ["members.all(m, m.insured)",
   "(NOT EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND (m_1.insured) IS NOT TRUE))"],
  ["members.exists_one(m, m.relation == \"head\")",
   "((SELECT count(*) FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((m_1.relation = (E'head'::text)))) = 1)"],
  ["members.filter(m, m.age >= 16).size()",
   "(SELECT count(*) FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((m_1.age >= ('16'::bigint))))"],
  ["size(members.filter(m, m.labourCapable))",
   "(SELECT count(*) FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND (m_1.labour_capable))"],
  ["members.map(m, m.age).exists(a, a > 60)",
   "EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((m_1.age > ('60'::bigint))))"],
  ["household.size in members.map(m, m.age)",
   "(h.size IN (SELECT m_1.age FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id))"],
  ["members.map(m, m.age >= 16, m.workMonths).all(x, x > 6)",
   "(NOT EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((m_1.age >= ('16'::bigint))) AND ((m_1.work_months > ('6'::bigint))) IS NOT TRUE))"],
  ["household.riskTypes.exists(r, r.startsWith(\"i\"))",
   "EXISTS (SELECT 1 FROM unnest(h.risk_types) u_1(v) WHERE (starts_with(u_1.v, (E'i'::text))))"],
  ["members.exists(m, m.health.exists(x, x == \"chronic\") && \"disabled\" in m.health)",
   "EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((EXISTS (SELECT 1 FROM unnest(m_1.health) u_2(v) WHERE ((u_2.v = (E'chronic'::text)))) AND ((E'disabled'::text) = ANY(m_1.health)))))"],
  ["[1, 2].exists(x, x == household.size)",
   "EXISTS (SELECT 1 FROM unnest(ARRAY[('1'::bigint), ('2'::bigint)]::bigint[]) u_1(v) WHERE ((u_1.v = h.size)))"],
  ["members.exists(m, members.exists(n, n.age > m.age))",
   "EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND (EXISTS (SELECT 1 FROM rule_member_facts m_2 WHERE m_2.county_code = h.county_code AND m_2.household_id = h.household_id AND ((m_2.age > m_1.age)))))"],
  ["members.map(m, m).exists(x, x.age > 1)",
   "EXISTS (SELECT 1 FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((m_1.age > ('1'::bigint))))"],
];

test('the SQL of every supported construct', () => {
  for (const [source, expected] of CASES) assert.equal(sql(source), expected, source);
});

test('string literals: escaped E-literals inline, or parameters from a given number', () => {
  const source = `household.villageCode.startsWith('21') && household.householdNo == "O'B\\\\"`;
  const inline = compileSql(compileRule(source));
  assert.equal(inline.sql, `(starts_with(h.village_code, (E'21'::text)) AND (h.household_no = (E'O''B\\\\'::text)))`);
  assert.deepEqual(inline.params, []);
  const params = compileSql(compileRule(source), { literals: 'params', firstParam: 3 });
  assert.equal(params.sql, '(starts_with(h.village_code, ($3::text)) AND (h.household_no = ($4::text)))');
  assert.deepEqual(params.params, ['21', "O'B\\"]);
  assert.equal(sqlStringLiteral("'; drop table x; --"), "E'''; drop table x; --'");
  assert.equal(sqlStringLiteral('\\'), "E'\\\\'");
  assert.throws(() => sqlStringLiteral('a\u0000'), /NUL/);
});

test('parameters are exactly those the SQL references, numbered densely in order of appearance', () => {
  const cases: [string, string, string[]][] = [
    // the element of an `in` over the empty list and the items of a sized literal are left out
    [`'a' in [] || household.status == 'exited'`, '(FALSE OR (h.status = ($1::text)))', ['exited']],
    [`size(['a', 'b']) == 2 && household.status == 'poor'`, "((('2'::bigint) = ('2'::bigint)) AND (h.status = ($1::text)))", ['poor']],
    [`household.villageCode.endsWith('01')`, '(right(h.village_code, char_length(($1::text))) = ($1::text))', ['01']],
    [`'x' in [] && household.householdNo in ['a', 'b']`, "(FALSE AND (h.household_no IN (($1::text), ($2::text))))", ['a', 'b']],
  ];
  for (const [source, expected, params] of cases) {
    const c = compileSql(compileRule(source), { literals: 'params' });
    assert.equal(c.sql, expected, source);
    assert.deepEqual(c.params, params, source);
    const numbers = [...new Set([...c.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
    assert.deepEqual(numbers, params.map((_, i) => i + 1), source);
  }
  const from5 = compileSql(compileRule(`size(['a']) == 1 && household.status == 'poor'`), { literals: 'params', firstParam: 5 });
  assert.deepEqual([from5.sql.match(/\$\d+/g), from5.params], [['$5'], ['poor']]);
});

test('errors: the side of && / || that cannot fail is evaluated first, constant failures are not folded', () => {
  // only the right side can fail: the left is tested first, and decides alone
  assert.equal(
    sql('household.monitored && household.size * 2 > 1'),
    "(CASE h.monitored WHEN FALSE THEN FALSE ELSE (h.monitored AND ((h.size * ('2'::bigint)) > ('1'::bigint))) END)",
  );
  assert.equal(
    sql('household.size + 1 > 1 || household.monitored'),
    "(CASE h.monitored WHEN TRUE THEN TRUE ELSE (h.monitored OR ((h.size + ('1'::bigint)) > ('1'::bigint))) END)",
  );
  // neither side or both sides: left to right
  assert.equal(sql('household.monitored && household.relocated'), '(h.monitored AND h.relocated)');
  // a constant that fails is kept from the planner's constant folding by a CASE on the household key
  assert.equal(
    sql('household.monitored && 9223372036854775807 + 1 > 0'),
    "(CASE h.monitored WHEN FALSE THEN FALSE ELSE (h.monitored AND (((CASE WHEN h.household_id IS NULL THEN NULL ELSE ('9223372036854775807'::bigint) END) + ('1'::bigint)) > ('0'::bigint))) END)",
  );
  // a left-out part that can fail is still evaluated, as CEL evaluates it: `x in []`, size of a literal
  assert.equal(sql('household.size * 2 in []'), "(CASE WHEN (h.size * ('2'::bigint)) IS NULL THEN FALSE ELSE FALSE END)");
  assert.equal(sql('size([household.size * 2]) == 1'), "((cardinality((ARRAY[(h.size * ('2'::bigint))]::bigint[]))::bigint) = ('1'::bigint))");
  // an item that can fail: every item is evaluated (PostgreSQL would make `x IN (a, b)` an OR that stops at a match)
  assert.equal(sql('household.size in [household.labourCount * 2, 3]'), "(h.size = ANY((ARRAY[(h.labour_count * ('2'::bigint)), ('3'::bigint)]::bigint[])))");
  // x in members.map(…) with a part that can fail: x evaluated once, every element read by an aggregate
  assert.equal(
    sql('household.size in members.map(m, m.age * 2)'),
    "(SELECT CASE WHEN bool_or(x_2.c) THEN TRUE WHEN count(*) > count(x_2.c) THEN NULL ELSE FALSE END FROM (SELECT h.size AS v OFFSET 0) x_2_x CROSS JOIN LATERAL (SELECT (x_2_x.v = (CASE WHEN m_1.household_id IS NULL THEN NULL ELSE (m_1.age * ('2'::bigint)) END)) AS c FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id) x_2)",
  );
  // a macro's predicate that can fail reads the element, so that it is never evaluated for an empty list
  assert.equal(
    sql('members.exists_one(m, household.size * 2 > 1)'),
    "((SELECT count(*) FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id AND ((CASE WHEN m_1.household_id IS NULL THEN NULL ELSE ((h.size * ('2'::bigint)) > ('1'::bigint)) END))) = 1)",
  );
  // a constant that does not fail is left for the planner to fold
  assert.equal(sql('household.size > -1 + 2'), "(h.size > (('-1'::bigint) + ('2'::bigint)))");
});

test('compileSqlValue: the value of any expression, lists as arrays in order, null as NULL', () => {
  const v = (source: string) => compileSqlValue(compileRule(source, { requireBool: false })).sql;
  assert.equal(v('household.size + 1'), "(h.size + ('1'::bigint))");
  assert.equal(v('null'), 'NULL');
  assert.equal(v('[1, 2]'), "(ARRAY[('1'::bigint), ('2'::bigint)]::bigint[])");
  assert.equal(v('[]'), '(ARRAY[]::text[])');
  assert.equal(v('household.riskTypes'), 'h.risk_types');
  assert.equal(v('[1, 2, 3].filter(x, x > 1)'), "(ARRAY(SELECT u_1.v FROM unnest(ARRAY[('1'::bigint), ('2'::bigint), ('3'::bigint)]::bigint[]) u_1(v) WHERE ((u_1.v > ('1'::bigint)))))");
  assert.equal(v('members.map(m, m.age)'), '(ARRAY(SELECT m_1.age FROM rule_member_facts m_1 WHERE m_1.county_code = h.county_code AND m_1.household_id = h.household_id))');
  assert.throws(() => v('members'), /records/);
});

test('aliases and tables are options, checked as identifiers', () => {
  const r = compileRule('members.exists(m, m.age < 6) && household.monitored');
  assert.equal(
    compileSql(r, { householdAlias: 'hf', memberTable: 'facts.members_2025' }).sql,
    '(EXISTS (SELECT 1 FROM facts.members_2025 m_1 WHERE m_1.county_code = hf.county_code AND m_1.household_id = hf.household_id AND ((m_1.age < (\'6\'::bigint)))) AND hf.monitored)',
  );
  assert.throws(() => compileSql(r, { householdAlias: 'h; drop' }), /invalid household alias/);
  assert.throws(() => compileSql(r, { householdAlias: 'm_1' }), /invalid household alias/);
  assert.throws(() => compileSql(r, { memberTable: 'x y' }), /invalid member table/);
});

test('iteration variable names never reach the SQL', () => {
  const s = sql('members.exists(drop_table, drop_table.age > 1) && household.riskTypes.exists(x, x == "a")');
  assert.ok(!s.includes('drop_table'));
  assert.match(s, /m_1\.age/);
  assert.match(s, /u_2\.v/);
});
