import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILT_IN_RULES, checkRule, compileRule, factColumns, factTablesDdl, INCOME_FIELDS, INCOME_ITEMS, MAX_RULE_LENGTH, POLICY_DEFINITIONS,
  positionAt, RISK_TYPES, RULE_MESSAGES, type RuleError,
} from '../src/index';

function errors(source: string, requireBool = true): RuleError[] {
  const r = checkRule(source, { requireBool });
  if (r.ok) assert.fail(`expected ${source} to be refused`);
  return r.errors;
}

function oneError(source: string): RuleError {
  const e = errors(source);
  assert.equal(e.length, 1, `one error expected for ${source}: ${JSON.stringify(e)}`);
  return e[0]!;
}

test('a valid rule checks with its type and tree', () => {
  const r = checkRule('income.perCapitaNet < policy.monitoringLine && !household.monitored');
  assert.ok(r.ok);
  assert.equal(r.returnType, 'bool');
  assert.equal(r.ast.kind, 'and');
  assert.equal(r.ast.start, 0);
  assert.equal(r.ast.end, 67);
  const v = checkRule('household.size * 2', { requireBool: false });
  assert.ok(v.ok);
  assert.equal(v.returnType, 'int');
  const l = checkRule('members.map(m, m.age)', { requireBool: false });
  assert.ok(l.ok);
  assert.equal(l.returnType, 'list(int)');
});

test('unknown variable: position, suggestion, the variables available', () => {
  const e = oneError('houshold.size > 1');
  assert.deepEqual(e.position, { offset: 0, line: 1, column: 1 });
  assert.deepEqual(e.end, { offset: 8, line: 1, column: 9 });
  assert.match(e.message, /^未知变量“houshold”，是否应为“household”？/);
  assert.match(e.message, /household、members、income、lastIncome、policy/);
  assert.match(e.messageEn, /Unknown variable 'houshold'; did you mean 'household'\?/);
});

test('unknown field on the second line points at the field name', () => {
  const e = oneError('household.size > 1 &&\n  income.perCapita < 3.0');
  assert.deepEqual(e.position, { offset: 31, line: 2, column: 10 });
  assert.deepEqual(e.end, { offset: 40, line: 2, column: 19 });
  assert.equal(e.message, '年度收入（Income）没有字段“perCapita”，是否应为“perCapitaNet”？');
  assert.equal(e.messageEn, "Income has no field 'perCapita'; did you mean 'perCapitaNet'?");
});

test('columns count characters, offsets UTF-16 units', () => {
  const zh = oneError('"脱贫" == household.foo');
  assert.deepEqual(zh.position, { offset: 18, line: 1, column: 19 });
  const emoji = oneError('"😀" == household.foo');
  assert.deepEqual(emoji.position, { offset: 18, line: 1, column: 18 });
  assert.deepEqual(positionAt('a\nbc\n', 5), { offset: 5, line: 3, column: 1 });
});

test('a field of a list is refused with the macro to use', () => {
  const e = oneError('members.age > 60');
  assert.equal(e.position.offset, 8);
  assert.match(e.message, /members\.exists\(m, m\.age …\)/);
});

test('type mismatch points at the operator', () => {
  const add = oneError('household.size + 1.5 > 2.0');
  assert.deepEqual(add.position, { offset: 15, line: 1, column: 16 });
  assert.equal(add.end.offset, 16);
  assert.match(add.message, /\+ 两边类型不同：整数（int） 和 小数（double）/);
  assert.match(add.messageEn, /use double\(…\)/);
  const cmp = oneError('household.status == 1');
  assert.equal(cmp.position.offset, 17);
  assert.equal(cmp.message, '不能用 == 比较字符串（string）和整数（int）');
  const and = oneError('household.size && household.monitored');
  assert.equal(and.position.offset, 0);
  assert.equal(and.message, '&& 的操作数必须是布尔值，实际是整数（int）');
  const mod = oneError('income.total % 2.0 > 1.0');
  assert.equal(mod.position.offset, 13);
  assert.equal(mod.message, '% 只能用于整数');
  const boolOrder = oneError('household.monitored < household.relocated');
  assert.equal(boolOrder.message, '布尔值只能用 == 或 != 比较');
  const inStr = oneError('"a" in household.householdNo');
  assert.equal(inStr.position.offset, 7);
  assert.match(inStr.message, /contains\(\)/);
  const cond = oneError('(household.monitored ? 1 : 2.0) > 1');
  assert.match(cond.message, /条件表达式两个分支的类型不同/);
  const nullOrder = oneError('household.exitYear < null');
  assert.equal(nullOrder.position.offset, 19);
  assert.equal(nullOrder.message, 'null 只能用 == 或 != 比较');
  const mixedEq = oneError('household.size == 2.0');
  assert.equal(mixedEq.position.offset, 15);
  assert.equal(mixedEq.message, '不能用 == 比较整数和小数；请用 double(…) 转换');
  assert.match(oneError('household.size in [1.0, 2.0]').message, /整数（int）不能在列表（list\(double\)）中查找/);
  assert.ok(checkRule('household.size < 2.5 && double(household.size) == 2.0').ok, 'ordering across int and double is allowed');
  const startsWith = oneError('household.size.startsWith("1")');
  assert.equal(startsWith.message, 'startsWith() 只能用于字符串，实际是整数（int）');
});

test('a rule must return bool', () => {
  const e = oneError('household.size + 1');
  assert.deepEqual(e.position, { offset: 0, line: 1, column: 1 });
  assert.equal(e.message, '规则的结果必须是布尔值（true/false），而不是整数（int）');
  assert.equal(e.messageEn, 'A rule must evaluate to bool (true/false), not int');
  assert.match(oneError('members.filter(m, m.age > 1)').message, /列表（list\(Member\)）/);
});

test('syntax errors have positions', () => {
  const eof = oneError('household.size >');
  assert.equal(eof.message, '语法错误：规则条件不完整');
  assert.equal(eof.position.offset, 16);
  const paren = oneError('members.exists(m, m.age > 1');
  assert.match(paren.message, /^语法错误：此处应为右括号 \)/);
  assert.equal(paren.position.offset, 27);
  const str = oneError('household.status == "exited');
  assert.equal(str.message, '语法错误：字符串缺少结束引号');
  assert.equal(str.position.offset, 20);
  assert.equal(oneError('   ').message, '规则为空');
  assert.match(oneError('1 == 1 || '.repeat(MAX_RULE_LENGTH)).message, /规则过长/);
});

test('constructs without a SQL translation are refused at check time', () => {
  const cases: [string, number, RegExp][] = [
    ["household.riskTypes[0] == 'illness'", 0, /不支持下标访问/],
    ["household.villageCode.matches('^2112')", 22, /正则表达式/],
    ['{"a": 1}.a == 1', 0, /映射/],
    ['household.householdNo == b"y"', 25, /字节串/],
    ['household.size == 1u', 18, /无符号整数/],
    ['string(household.size) == "3"', 0, /string\(\)/],
    ["household.riskTypes == ['illness']", 0, /不能比较列表/],
    ['int("3") == 3', 0, /字符串转换/],
    ["household.riskTypes + ['x'] == household.riskTypes", 0, /列表相加/],
    ['members.exists(m, m == null)', 18, /不能与 null 比较/],
    ["household.householdNo.lowerAscii() == 'a'", 22, /lowerAscii/],
    ['[household.exitYear, null].exists(x, x == 1)', 21, /列表中不能有 null/],
  ];
  for (const [source, offset, re] of cases) {
    const e = oneError(source);
    assert.ok(e.message.startsWith('本平台无法在全区域批量执行此写法：'), `${source}: ${e.message}`);
    assert.ok(e.messageEn.startsWith('The platform cannot run this form over a whole region: '), source);
    assert.match(e.message, re, source);
    assert.equal(e.position.offset, offset, `${source}: ${JSON.stringify(e.position)}`);
  }
});

test('unknown functions and methods are named', () => {
  assert.equal(oneError('foo(1)').message, '未知函数“foo”');
  const m = oneError('household.householdNo.bar()');
  assert.equal(m.message, '未知方法“bar”');
  assert.equal(m.position.offset, 22);
  assert.match(oneError('members.existsOne(m, true)').message, /exists_one/);
  assert.match(oneError('has(household)').message, /has\(\) 的参数必须是字段/);
  assert.match(oneError('members.exists(m, m.age)').message, /exists\(\) 的条件必须是布尔值，实际是整数/);
  assert.match(oneError('[].exists(x, true)').message, /空列表/);
});

test('every error of a rule is reported, in source order', () => {
  const e = errors('household.foo > 1 && income.bar < 2.0 && policy.baz == 3');
  assert.deepEqual(e.map((x) => x.position.offset), [10, 28, 48]);
  assert.deepEqual(e.map((x) => /“(\w+)”/.exec(x.message)?.[1]), ['foo', 'bar', 'baz']);
});

test('int literals outside 64 bits are refused, the minimum is accepted', () => {
  assert.ok(checkRule('household.size > -9223372036854775808').ok);
  assert.equal(checkRule('household.size < 9223372036854775808').ok, false);
});

test('compileRule throws with the positioned messages', () => {
  assert.throws(() => compileRule('household.foo'), /规则无效：1:11 户（Household）没有字段“foo”/);
  assert.equal(compileRule('household.monitored').returnType, 'bool');
});

test('the ten built-in rules pass the checker and use real codes', () => {
  assert.equal(BUILT_IN_RULES.length, 10);
  assert.equal(new Set(BUILT_IN_RULES.map((r) => r.id)).size, 10);
  const riskCodes: string[] = RISK_TYPES.map((r) => r.code);
  for (const r of BUILT_IN_RULES) {
    const c = checkRule(r.expression);
    assert.ok(c.ok, `${r.id}: ${JSON.stringify(!c.ok && c.errors)}`);
    assert.ok(riskCodes.includes(r.riskType), r.id);
    assert.equal(r.channel, 'platform');
    assert.equal(r.version, 1);
  }
});

test('the environment: income fields cover the registry items, policy fields every setting, columns unique', () => {
  const names: string[] = INCOME_FIELDS.map((f) => f.name);
  for (const item of INCOME_ITEMS) {
    const single = INCOME_ITEMS.filter((i) => i.group === item.group).length === 1;
    if (!single) assert.ok(names.includes(item.key), item.key);
  }
  assert.deepEqual(RULE_MESSAGES.Policy.fields.map((f) => f.name), POLICY_DEFINITIONS.map((d) => d.key));
  assert.equal(RULE_MESSAGES.Policy.fields.find((f) => f.name === 'compulsoryAgeMin')?.type, 'int');
  assert.equal(RULE_MESSAGES.Policy.fields.find((f) => f.name === 'monitoringLine')?.type, 'double');
  for (const table of ['household', 'member'] as const) {
    const cols = factColumns(table).map((c) => c.column);
    assert.equal(new Set(cols).size, cols.length, table);
  }
  const ddl = factTablesDdl({ household: 'hf', member: 'mf', unlogged: true });
  assert.match(ddl[0]!, /^create unlogged table hf \(\n {2}county_code text not null,\n {2}household_id bigint not null,/);
  assert.match(ddl[0]!, /\n {2}income_per_capita_net double precision,\n/);
  assert.match(ddl[0]!, /\n {2}last_income_per_capita_net double precision,\n/);
  // the monitoring line exists from 2021: null (not applicable) for earlier years
  assert.match(ddl[0]!, /\n {2}policy_monitoring_line double precision,\n/);
  assert.match(ddl[0]!, /\n {2}policy_poverty_line double precision not null,\n/);
  assert.match(ddl[1]!, /\n {2}health text\[\] not null,\n/);
  assert.throws(() => factTablesDdl({ household: 'x; drop table y' }), /invalid table name/);
});

test('code fields: a string that is not one of the field\'s codes is refused, with the code when it is a label', () => {
  // the label of a code: refused with the code to write, at the literal's position
  let e = oneError("household.status == '已脱贫户'");
  assert.match(e.message, /“已脱贫户”不是户状态.*的代码/);
  assert.match(e.message, /应写 'exited'（已脱贫户）/);
  assert.match(e.messageEn, /write 'exited'/);
  assert.deepEqual([e.position.offset, e.end.offset], [20, 26]);
  // the literal on the left, !=, an alias (脱贫户), the English label
  assert.match(oneError("'脱贫户' != household.status").message, /应写 'exited'/);
  assert.match(oneError("household.status == 'Exited poverty'").message, /应写 'exited'/);
  // neither a code nor a label: the nearest code, and the codes when the table is short
  e = oneError("household.status == 'exitd'");
  assert.match(e.message, /是否应为 'exited'/);
  assert.match(e.message, /可用：'ordinary'（一般农户）、'poor'（未脱贫户）、'exited'（已脱贫户）、'returned'（返贫户）/);
  // inside member macros
  e = oneError("members.exists(m, m.labour == '丧失劳动力')");
  assert.match(e.message, /不是劳动技能的代码/);
  assert.match(e.message, /应写 'lost'/);
  assert.equal(e.position.offset, 30);
  assert.match(oneError("members.all(m, m.medicalInsurance != '城乡居民基本医疗保险')").message, /应写 'resident'/);
  // in a list literal, each element
  e = oneError("household.status in ['exited', '返贫户']");
  assert.match(e.message, /应写 'returned'/);
  assert.equal(e.position.offset, 31);
  assert.equal(errors("household.housingRating in ['C级', 'D级']").length, 2);
  // a code looked up in a code list field (health, risk types) and in members.map onto a code field
  assert.match(oneError("members.exists(m, '长期慢性病' in m.health)").message, /不是健康状况的代码.*应写 'chronic'/);
  assert.match(oneError("'因病' in household.riskTypes").message, /应写 'illness'/);
  assert.match(oneError("'男' in members.map(m, m.sex)").message, /应写 'male'/);
  // codes pass, as do fields without a code table and comparisons of two fields
  for (const ok of [
    "household.status == 'exited'", "household.status in ['exited', 'returned']", "members.exists(m, m.labour == 'lost')",
    "members.exists(m, 'chronic' in m.health)", "'illness' in household.riskTypes", "household.householdNo == '张三'",
    "household.status == household.attribute", "members.exists(m, m.dibao == household.dibao)", "household.housingRating in ['C', 'D']",
  ]) {
    const r = checkRule(ok);
    assert.ok(r.ok, `${ok}: ${r.ok ? '' : JSON.stringify(r.errors)}`);
  }
  // every built-in rule uses codes only (they pass)
  for (const b of BUILT_IN_RULES) assert.ok(checkRule(b.expression).ok, b.id);
});

test('messages for clerks: no developer words', () => {
  const samples = [
    "household.riskTypes[0] == 'illness'", "household.villageCode.matches('^2112')", 'household.size + 1.5 > 2', "household.status == '已脱贫户'",
    'houshold.size > 1', 'household.size +', '{"a": 1}.a == 1',
  ];
  for (const s of samples) {
    for (const e of errors(s)) assert.doesNotMatch(e.message, /SQL|CEL|TypeScript|表达式无法转换/, `${s}: ${e.message}`);
  }
});
