import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, BUILT_IN_RULES, checkRule, evaluateRule, idCheckCharacter, type RuleFacts, type RuleRun } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, YINZHOU, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { todayInChina } from '../src/clock';
import { currentYearInChina } from '../src/clock';

const V1 = '211204101200'; // 张相镇
const YM = '211204102200'; // 杨木林子镇
const YEAR = currentYearInChina();
let seq = 0;
function idNumber(age: number, male: boolean): string {
  const body = `211204${YEAR - age}0101${String(100 + ((seq++ * 2) % 800) + (male ? 1 : 0)).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

interface Fixture {
  no: string;
  village?: string;
  status?: string;
  /** household net income this year (yuan); null = no income record */
  income: number | null;
  lastIncome?: number;
  members: { age: number; insured?: boolean; school?: string; labour?: string }[];
  housing?: string;
}

/** Writes a household with its members, this year's status and income, as the owner. */
async function add(env: TestEnv, f: Fixture): Promise<number> {
  const village = f.village ?? V1;
  const county = village.slice(0, 6);
  return env.db.system({ name: 'fixture' }, async (tx) => {
    const hid = (await sql<{ id: number }>`
      insert into households (county_code, household_no, village_code, attribute, housing_rating, safe_water)
      values (${county}, ${f.no}, ${village}, 'general_poor', ${f.housing ?? 'A'}, true) returning id`.execute(tx)).rows[0]!.id;
    for (const [i, m] of f.members.entries()) {
      const idn = idNumber(m.age, i === 0);
      const mid = (await sql<{ id: number }>`
        insert into members (county_code, household_id, village_code, id_type, id_number, name, relation, sex, birth_date, school_status, health, labour, medical_insurance)
        values (${county}, ${hid}, ${village}, 'resident_id', ${idn}, ${`${f.no}成员${i}`}, ${i === 0 ? 'head' : 'child'}, ${i === 0 ? 'male' : 'female'},
                ${`${YEAR - m.age}-01-01`}, ${m.school ?? 'not_in_school'}, ${['healthy']}, ${m.labour ?? (m.age >= 16 ? 'ordinary' : 'none')},
                ${m.insured === false ? 'none' : 'resident'}) returning id`.execute(tx)).rows[0]!.id;
      await sql`insert into persons (id_number, county_code, village_code, household_id, member_id) values (${idn}, ${county}, ${village}, ${hid}, ${mid})`.execute(tx);
    }
    await sql`insert into household_year_status (county_code, household_id, year, village_code, status, exit_year, monitored, risk_types)
      values (${county}, ${hid}, ${YEAR}, ${village}, ${f.status ?? 'exited'}, ${f.status === 'ordinary' ? null : 2019}, false, '{}')`.execute(tx);
    if (f.income !== null) {
      await sql`insert into income_records (county_code, household_id, year, village_code, other_wage) values (${county}, ${hid}, ${YEAR}, ${village}, ${f.income})`.execute(tx);
    }
    if (f.lastIncome !== undefined) {
      await sql`insert into income_records (county_code, household_id, year, village_code, other_wage) values (${county}, ${hid}, ${YEAR - 1}, ${village}, ${f.lastIncome})`.execute(tx);
    }
    return hid;
  });
}

async function runAndWait(c: TestClient, body: { regionCode?: string; year: number }): Promise<RuleRun> {
  const started = await c.call(api.ruleRunStart, { body });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const end = Date.now() + 30_000;
  for (;;) {
    const run = await c.ok(api.ruleRunGet, { params: { id: started.body.id } });
    if (run.status === 'done' || run.status === 'failed') return run;
    if (Date.now() > end) throw new Error(`run ${run.id} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const hits = (run: RuleRun) => Object.fromEntries(run.results.filter((r) => r.matches > 0).map((r) => [r.ruleId, [r.matches, r.newHits]]));

interface ClueRow {
  id: number;
  household_id: number;
  channel: string;
  period: string;
  status: string;
  summary: string;
  facts: { household: Record<string, unknown>; members: unknown[] | null };
  policy: { sources: Record<string, number> };
  rules: { rule_id: string; rule_version: number; facts: { household: Record<string, unknown>; members: unknown[] | null; rule: { id: string; version: number } } }[];
}
/** Every clue with its rules (clue_rules), as the owner. */
const allClues = (env: TestEnv) => env.db.system({ name: 't' }, async (tx) => (await sql<ClueRow>`
  select c.id::int, c.household_id::int, c.channel, c.period, c.status, c.summary, c.facts, c.policy,
         coalesce((select jsonb_agg(jsonb_build_object('rule_id', r.rule_id, 'rule_version', r.rule_version, 'facts', r.facts) order by r.rule_id)
                     from clue_rules r where r.county_code = c.county_code and r.clue_id = c.id), '[]') as rules
    from clues c order by c.household_id, c.id`.execute(tx)).rows);
const ruleIds = (c: ClueRow) => c.rules.map((r) => r.rule_id);

describe('warning rules and runs', () => {
  let env: TestEnv;
  let admin: TestClient;
  let county: TestClient;
  let ymlz: TestClient;
  let villager: TestClient;
  let yinzhou: TestClient;
  const ids: Record<string, number> = {};

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'qh_admin', role: 'county_admin', regionCode: QINGHE }));
    ({ client: ymlz } = await userClient(env, admin, { username: 'ym_officer', role: 'township_officer', regionCode: YANGMULINZI }));
    ({ client: villager } = await userClient(env, admin, { username: 'zx_village', role: 'village_officer', regionCode: V1 }));
    ({ client: yinzhou } = await userClient(env, admin, { username: 'yz_admin', role: 'county_admin', regionCode: YINZHOU }));
    // 2 persons each: per-capita = income / 2
    ids.low = await add(env, { no: 'R-LOW', status: 'ordinary', income: 10000, members: [{ age: 40 }, { age: 38 }] }); // 5,000 < 7,260
    ids.exited = await add(env, { no: 'R-EXIT', income: 9000, members: [{ age: 50 }, { age: 48 }] }); // 4,500: exited under 5,000 and under the line
    ids.uninsured = await add(env, { no: 'R-UNINS', income: 40000, members: [{ age: 45 }, { age: 20, insured: false }] });
    ids.child = await add(env, { no: 'R-CHILD', income: 40000, members: [{ age: 40 }, { age: 10 }] }); // 10-year-old not in school
    ids.drop = await add(env, { no: 'R-DROP', income: 18000, lastIncome: 40000, members: [{ age: 40 }, { age: 38 }] }); // 9,000 from 20,000
    ids.clean = await add(env, { no: 'R-CLEAN', income: 40000, lastIncome: 38000, members: [{ age: 40 }, { age: 12, school: 'primary_6' }] });
    ids.noIncome = await add(env, { no: 'R-NOINC', income: null, members: [{ age: 40 }] });
    // 2,000 per person: under the monitoring line and the 低保 line, and a member without insurance: three rules
    ids.three = await add(env, { no: 'R-THREE', status: 'ordinary', income: 4000, members: [{ age: 44 }, { age: 19, insured: false }] });
    ids.other = await add(env, { no: 'R-YM', village: YM, status: 'ordinary', income: 2000, members: [{ age: 40 }] }); // other township
  });
  after(() => env.close());

  test('the ten built-in rules are installed and listed with version 1', async () => {
    const rules = await county.ok(api.rulesList);
    assert.equal(rules.filter((r) => r.builtin).length, 10);
    assert.ok(rules.every((r) => r.version === 1 && r.active));
  });

  test('a run creates one clue per household listing every rule that fired, with each rule\'s facts; a second run creates none', async () => {
    const run = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    assert.equal(run.status, 'done', run.message ?? '');
    assert.equal(run.households, 8);
    assert.deepEqual(hits(run), {
      income_below_monitoring_line: [3, 3],
      expected_income_below_dibao_line: [1, 1],
      exited_below_unstable_line: [1, 1],
      member_uninsured: [2, 2],
      child_out_of_school: [1, 1],
      income_sharp_drop: [1, 1],
    });
    // 9 hits on 6 households: 6 clues
    assert.deepEqual([run.newClues, run.extendedClues], [6, 0]);
    const clues = await allClues(env);
    assert.equal(clues.length, 6);
    const three = clues.filter((c) => c.household_id === ids.three);
    assert.equal(three.length, 1, 'one clue for the household hit by three rules');
    assert.deepEqual(ruleIds(three[0]!), ['expected_income_below_dibao_line', 'income_below_monitoring_line', 'member_uninsured']);
    assert.match(three[0]!.summary, /（平台监测分析）$/);
    for (const name of ['income_below_monitoring_line', 'member_uninsured', 'expected_income_below_dibao_line']) {
      assert.ok(three[0]!.summary.includes(BUILT_IN_RULES.find((b) => b.id === name)!.name), `${name} named in the summary`);
    }
    const low = clues.find((c) => c.household_id === ids.low)!;
    assert.deepEqual([ruleIds(low), low.rules[0]!.rule_version, low.channel, low.period, low.status], [['income_below_monitoring_line'], 1, 'platform', todayInChina().slice(0, 7), 'open']);
    // each rule keeps exactly what it read, as it was, plus the rule version
    assert.deepEqual(low.rules[0]!.facts.household, {
      householdNo: 'R-LOW', status: 'ordinary', size: 2, 'household.monitored': false, 'income.perCapitaNet': 5000, 'policy.monitoringLine': 7260,
    });
    assert.equal(low.rules[0]!.facts.members, null);
    assert.deepEqual(low.rules[0]!.facts.rule, { id: 'income_below_monitoring_line', version: 1 });
    assert.deepEqual(low.policy.sources, {});
    const exited = clues.find((c) => c.household_id === ids.exited)!;
    assert.deepEqual(ruleIds(exited), ['exited_below_unstable_line', 'income_below_monitoring_line']);
    const unins = clues.find((c) => c.household_id === ids.uninsured)!;
    assert.deepEqual(unins.rules[0]!.facts.members?.map((m) => (m as { insured: boolean }).insured), [true, false]);
    assert.deepEqual(unins.rules[0]!.facts.members?.map((m) => (m as { name: string }).name), ['R-UNINS成员0', 'R-UNINS成员1'], 'members named in the facts');
    assert.ok(!clues.some((c) => c.household_id === ids.clean || c.household_id === ids.other || c.household_id === ids.noIncome));

    // the inbox: the grouped clue lists its three rules with their facts and risk types
    const inbox = await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, channel: 'platform' } });
    assert.equal(inbox.total, 6);
    const item = inbox.items.find((c) => c.household.householdNo === 'R-THREE')!;
    assert.deepEqual(item.rules.map((r) => r.ruleId).sort(), ['expected_income_below_dibao_line', 'income_below_monitoring_line', 'member_uninsured']);
    assert.deepEqual([...item.riskTypes].sort(), [...new Set(item.rules.map((r) => BUILT_IN_RULES.find((b) => b.id === r.ruleId)!.riskType))].sort());
    assert.ok(item.rules.every((r) => r.version === 1 && r.foundOn === todayInChina() && typeof r.facts === 'object'));
    // the rule filter: clues that rule fired for (the run page links there)
    const byRule = await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, channel: 'platform', ruleId: 'member_uninsured', period: run.period } });
    assert.deepEqual(byRule.items.map((c) => c.household.householdNo).sort(), ['R-THREE', 'R-UNINS']);
    assert.equal(byRule.total, 2);
    assert.equal((await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, ruleId: 'member_uninsured', period: '2000-01' } })).total, 0);
    // clue detail and the identification start work on a grouped clue
    const detail = await villager.ok(api.clueGet, { params: { countyCode: '211204', id: item.id } });
    assert.equal(detail.rules.length, 3);
    assert.deepEqual(detail.rules.find((r) => r.ruleId === 'member_uninsured')!.facts.members, three[0]!.rules.find((r) => r.rule_id === 'member_uninsured')!.facts.members);
    const proc = await villager.call(api.identificationStart, { params: { countyCode: '211204', id: item.id } });
    assert.equal(proc.status, 201, JSON.stringify(proc.body));
    assert.equal((await villager.ok(api.clueGet, { params: { countyCode: '211204', id: item.id } })).status, 'verifying');

    const again = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    assert.deepEqual(hits(again), {
      income_below_monitoring_line: [3, 0], expected_income_below_dibao_line: [1, 0], exited_below_unstable_line: [1, 0], member_uninsured: [2, 0],
      child_out_of_school: [1, 0], income_sharp_drop: [1, 0],
    });
    assert.deepEqual([again.newClues, again.extendedClues], [0, 0]);
    assert.equal((await allClues(env)).length, 6);
  });

  test('settings in force are used and recorded: a county override of the monitoring line changes the matches', async () => {
    const set = await county.ok(api.policySet, { body: { regionCode: QINGHE, year: YEAR, key: 'monitoringLine', value: 25000, note: '测试' } });
    const dry = await county.ok(api.ruleDryRun, { body: { expression: 'income.perCapitaNet < policy.monitoringLine', regionCode: ZHANGXIANG, year: YEAR } });
    assert.equal(dry.households, 8);
    assert.equal(dry.matches, 7); // every household with income (all under 25,000 per person) but not the one without
    assert.equal(dry.agreesWithTypeScript, true);
    assert.deepEqual(dry.preview.map((p) => p.householdNo).sort(), ['R-CHILD', 'R-CLEAN', 'R-DROP', 'R-EXIT', 'R-LOW', 'R-THREE', 'R-UNINS']);
    const run = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    // every household with income is under 25,000; 3 had the rule in the period already
    assert.deepEqual(hits(run).income_below_monitoring_line, [7, 4]);
    // a later run of the period that fires another rule adds it to the household's open clue; a new clue only for R-CLEAN
    assert.deepEqual([run.newClues, run.extendedClues], [1, 3]);
    const clues = await allClues(env);
    assert.equal(clues.length, 7);
    assert.deepEqual(ruleIds(clues.find((c) => c.household_id === ids.uninsured)!), ['income_below_monitoring_line', 'member_uninsured']);
    const summary = clues.find((c) => c.household_id === ids.uninsured)!.summary;
    assert.ok(summary.includes('人均纯收入低于防返贫监测标准') && summary.includes('有成员未参加基本医疗保险') && summary.includes('；'), summary);
    // the clue in identification is not touched (the rule was already recorded for it)
    assert.deepEqual(ruleIds(clues.find((c) => c.household_id === ids.three)!), ['expected_income_below_dibao_line', 'income_below_monitoring_line', 'member_uninsured']);
    const clean = clues.find((c) => c.household_id === ids.clean)!;
    assert.deepEqual(ruleIds(clean), ['income_below_monitoring_line']);
    assert.equal(clean.policy.sources.monitoringLine, set.id);
    await county.ok(api.policyClear, { body: { regionCode: QINGHE, year: YEAR, key: 'monitoringLine' } });
  });

  test('saving a rule: type errors are refused with line and column; a changed expression is a new version', async () => {
    let r = await admin.call(api.ruleCreate, { body: { id: 'bad_rule', name: '坏规则', severity: 'low', riskType: 'other', expression: 'household.sizee > 1', active: true } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /第 1 行第 11 列/);
    r = await admin.call(api.ruleCreate, { body: { id: 'not_bool', name: '非布尔', severity: 'low', riskType: 'other', expression: 'household.size + 1', active: true } });
    assert.equal(r.status, 400);
    r = await ymlz.call(api.ruleCreate, { body: { id: 'big_family', name: '大家庭', severity: 'low', riskType: 'other', expression: 'household.size > 5', active: true } });
    assert.equal(r.status, 403);
    const created = await admin.ok(api.ruleCreate, { body: { id: 'big_family', name: '大家庭', severity: 'low', riskType: 'other', expression: 'household.size > 5', active: true } });
    assert.equal(created.version, 1);
    const updated = await admin.ok(api.ruleUpdate, { params: { id: 'big_family' }, body: { name: '大家庭', severity: 'low', riskType: 'other', expression: 'household.size >= 2', active: false, note: '放宽' } });
    assert.equal(updated.version, 2);
    const versions = await county.ok(api.ruleVersions, { params: { id: 'big_family' } });
    assert.deepEqual(versions.map((v) => [v.version, v.expression, v.note]), [[2, 'household.size >= 2', '放宽'], [1, 'household.size > 5', null]]);
    // inactive rules are not run
    const run = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    assert.ok(!run.results.some((x) => x.ruleId === 'big_family'));
  });

  test("one household's rule facts: the same facts as a run, and the TypeScript evaluation agrees with the run's clues", async () => {
    const r = await county.ok(api.householdRuleFacts, { params: { countyCode: '211204', id: ids.low! }, query: { year: YEAR } });
    const facts = r.facts as RuleFacts;
    assert.equal(facts.household.householdNo, 'R-LOW');
    assert.equal(facts.income?.perCapitaNet, 5000);
    assert.equal(facts.members.length, 2);
    assert.equal(facts.policy.monitoringLine, 7260);
    const matched = BUILT_IN_RULES.filter((b) => {
      const c = checkRule(b.expression);
      return c.ok && evaluateRule(c.rule, facts);
    }).map((b) => b.id);
    assert.deepEqual(matched, ['income_below_monitoring_line']);
    const unins = (await county.ok(api.householdRuleFacts, { params: { countyCode: '211204', id: ids.uninsured! }, query: { year: YEAR } })).facts as RuleFacts;
    assert.deepEqual(unins.members.map((m) => m.insured), [true, false]);
    assert.equal((await ymlz.call(api.householdRuleFacts, { params: { countyCode: '211204', id: ids.low! }, query: { year: YEAR } })).status, 404);
  });

  test('region scoping: a township officer runs and sees only their own township', async () => {
    const run = await runAndWait(ymlz, { year: YEAR });
    assert.equal(run.households, 1);
    // 2,000 per person: under the monitoring line, and under the 低保 line without 低保
    assert.deepEqual(hits(run), { income_below_monitoring_line: [1, 1], expected_income_below_dibao_line: [1, 1] });
    assert.equal((await ymlz.call(api.ruleRunStart, { body: { regionCode: ZHANGXIANG, year: YEAR } })).status, 404);
    const mine = await ymlz.ok(api.ruleRunList);
    assert.ok(mine.length >= 1 && mine.every((x) => x.region.code.startsWith('211204102')));
    const countyRuns = await county.ok(api.ruleRunList);
    const other = countyRuns.find((x) => x.region.code === ZHANGXIANG)!;
    assert.equal((await ymlz.call(api.ruleRunGet, { params: { id: other.id } })).status, 404);
    const dry = await ymlz.ok(api.ruleDryRun, { body: { expression: 'true', year: YEAR } });
    assert.equal(dry.households, 1);
  });

  test('a township sees the runs that covered it: the county\'s and the city\'s runs, not a sibling township\'s', async () => {
    const before = await ymlz.ok(api.ruleRunList);
    const countyRun = await runAndWait(county, { regionCode: QINGHE, year: YEAR });
    assert.equal(countyRun.status, 'done', countyRun.message ?? '');
    const cityRun = await runAndWait(admin, { regionCode: '211200000000', year: YEAR });
    const list = await ymlz.ok(api.ruleRunList);
    assert.deepEqual(list.slice(0, 2).map((r) => [r.id, r.region.code]), [[cityRun.id, '211200000000'], [countyRun.id, QINGHE]]);
    assert.equal(list.length, before.length + 2);
    assert.ok(!list.some((r) => r.region.code === ZHANGXIANG), 'not the runs of another township');
    const got = await ymlz.ok(api.ruleRunGet, { params: { id: countyRun.id } });
    assert.equal(got.households, 9); // the whole county: both townships
    // the county run covered Yinzhou's neighbour only: Yinzhou's admin does not see it
    assert.ok(!(await yinzhou.ok(api.ruleRunList)).some((r) => r.id === countyRun.id));
    assert.equal((await yinzhou.call(api.ruleRunGet, { params: { id: countyRun.id } })).status, 404);
  });

  test('bulk dismissal: several clues with one reason, audited; all or none; an empty reason is refused', async () => {
    const open = (await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, channel: 'platform', status: 'open' } })).items;
    assert.ok(open.length >= 3, `open clues: ${open.length}`);
    const [a, b, c] = open;
    const verifying = (await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, status: 'verifying' } })).items[0]!;
    // one clue not open: nothing is dismissed
    let r = await county.call(api.clueDismissBulk, { body: { clues: [{ countyCode: a!.countyCode, id: a!.id }, { countyCode: verifying.countyCode, id: verifying.id }], reason: '核实无返贫风险' } });
    assert.equal(r.status, 409);
    assert.match(JSON.stringify(r.body), /没有排除任何线索/);
    assert.equal((await county.ok(api.clueGet, { params: { countyCode: a!.countyCode, id: a!.id } })).status, 'open');
    // a clue outside the caller's region: not found, nothing dismissed
    r = await ymlz.call(api.clueDismissBulk, { body: { clues: [{ countyCode: a!.countyCode, id: a!.id }], reason: '核实无返贫风险' } });
    assert.equal(r.status, 404);
    r = await county.call(api.clueDismissBulk, { body: { clues: [{ countyCode: a!.countyCode, id: a!.id }], reason: '   ' } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /reason/);
    const ok = await county.ok(api.clueDismissBulk, { body: { clues: [a!, b!, c!].map((x) => ({ countyCode: x.countyCode, id: x.id })), reason: '入户核实：收入已恢复' } });
    assert.equal(ok.dismissed, 3);
    for (const x of [a!, b!, c!]) {
      const d = await county.ok(api.clueGet, { params: { countyCode: x.countyCode, id: x.id } });
      assert.deepEqual([d.status, d.dismissReason], ['dismissed', '入户核实：收入已恢复']);
    }
    const audit = await env.db.system({ name: 't' }, async (tx) => (await sql<{ entity_id: string; reason: string; after: { status: string } }>`
      select entity_id, reason, after from audit_log where entity = 'clues' and action = 'update' and entity_id = any(${[a!, b!, c!].map((x) => String(x.id))}::text[])`.execute(tx)).rows);
    assert.deepEqual(audit.map((x) => [x.reason, x.after.status]), Array(3).fill(['入户核实：收入已恢复', 'dismissed']));
    // a dismissed clue cannot be dismissed again
    assert.equal((await county.call(api.clueDismissBulk, { body: { clues: [{ countyCode: a!.countyCode, id: a!.id }], reason: '再次' } })).status, 409);
  });

  test('a rule that cannot be computed on the data (an overflow) is reported alone; the other rules of the run still record their hits', async () => {
    const body = { id: 'qh_overflow', name: '溢出的规则（清河区）', severity: 'low' as const, riskType: 'other', expression: 'household.size * 9223372036854775807 > 0', active: true };
    assert.equal((await county.call(api.ruleCreate, { body })).status, 201);
    try {
      const run = await runAndWait(county, { year: YEAR });
      assert.equal(run.status, 'done', run.message ?? '');
      const bad = run.results.find((r) => r.ruleId === 'qh_overflow')!;
      assert.equal(bad.matches, 0);
      assert.match(bad.error ?? '', /规则在计算时出错：.*本条规则未记录命中/);
      assert.ok(run.results.filter((r) => r.ruleId !== 'qh_overflow').every((r) => r.error === undefined));
      assert.ok(run.results.find((r) => r.ruleId === 'income_below_monitoring_line')!.matches > 0, 'the other rules ran');
      assert.match(run.message ?? '', /1 条规则计算出错/);
    } finally {
      await county.ok(api.ruleUpdate, { params: { id: 'qh_overflow' }, body: { ...body, active: false } });
    }
  });

  test('county administrators write rules for their county: national rules stay read-only, other counties do not see them, a county rule runs only there', async () => {
    const yzHousehold = await add(env, { no: 'R-YZ', village: '211202001001', status: 'ordinary', income: 40000, members: [{ age: 40 }, { age: 38 }, { age: 12, school: 'primary_6' }] });
    const body = { id: 'qh_three_people', name: '三口之家（清河区）', severity: 'low' as const, riskType: 'other', expression: 'household.size == 3', active: true };
    const created = await county.call(api.ruleCreate, { body });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual([created.body.regionCode, created.body.editable, created.body.builtin], [QINGHE, true, false]);
    // national and built-in rules: read-only to a county administrator
    const national = (await county.ok(api.rulesList)).find((r) => r.id === 'member_uninsured')!;
    assert.deepEqual([national.regionCode, national.editable], ['000000000000', false]);
    const upd = await county.call(api.ruleUpdate, { params: { id: 'member_uninsured' }, body: { name: '改名', severity: 'low', riskType: 'medical', expression: 'false', active: true } });
    assert.equal(upd.status, 403);
    assert.match(JSON.stringify(upd.body), /全国规则/);
    // row-level security holds below the service too
    const rls = await env.db.scoped({ id: 1, username: 'qh_admin', role: 'county_admin', regionCode: QINGHE, ip: null } as never, async (tx) =>
      Number((await sql`update rules set name = '改名' where id = 'member_uninsured'`.execute(tx)).numAffectedRows));
    assert.equal(rls, 0);
    // a rule of another region cannot be created
    assert.equal((await county.call(api.ruleCreate, { body: { ...body, id: 'qh_other', regionCode: YINZHOU } })).status, 400);
    assert.equal((await county.call(api.ruleCreate, { body: { ...body, id: 'qh_nation', regionCode: '000000000000' } })).status, 400);
    // another county does not see it; its id is taken all the same
    assert.ok(!(await yinzhou.ok(api.rulesList)).some((r) => r.id === 'qh_three_people'));
    assert.equal((await yinzhou.call(api.ruleVersions, { params: { id: 'qh_three_people' } })).status, 404);
    assert.equal((await yinzhou.call(api.ruleUpdate, { params: { id: 'qh_three_people' }, body })).status, 404);
    assert.equal((await yinzhou.call(api.ruleCreate, { body })).status, 409);
    // a township officer of the county sees it (read-only), as does the national administrator (editable)
    const seen = (await ymlz.ok(api.rulesList)).find((r) => r.id === 'qh_three_people')!;
    assert.deepEqual([seen.regionName, seen.editable], ['清河区', false]);
    assert.equal((await admin.ok(api.rulesList)).find((r) => r.id === 'qh_three_people')!.editable, true);
    // the county's own change makes a version
    const v2 = await county.ok(api.ruleUpdate, { params: { id: 'qh_three_people' }, body: { ...body, expression: 'household.size == 3 && income.perCapitaNet > 0', note: '有收入' } });
    assert.equal(v2.version, 2);
    // a run over the city applies the county rule to the county's households only (the Yinzhou household has 3 people too)
    const run = await runAndWait(admin, { regionCode: '211200000000', year: YEAR });
    assert.equal(run.status, 'done', run.message ?? '');
    assert.equal(run.results.find((r) => r.ruleId === 'qh_three_people')!.matches, 0, 'no household of Qinghe has three people');
    const yzRun = await runAndWait(yinzhou, { year: YEAR });
    assert.ok(!yzRun.results.some((r) => r.ruleId === 'qh_three_people'), 'not run in another county');
    // dry run of the county rule from the city: only Qinghe's households
    const dryCity = await admin.ok(api.ruleDryRun, { body: { expression: 'household.size == 3', regionCode: '211200000000', ruleRegionCode: QINGHE, year: YEAR } });
    const dryQinghe = await county.ok(api.ruleDryRun, { body: { expression: 'household.size == 3', year: YEAR } });
    assert.equal(dryCity.households, dryQinghe.households);
    assert.ok(!dryCity.preview.some((p) => p.id === yzHousehold));
    assert.equal((await admin.ok(api.ruleDryRun, { body: { expression: 'household.size == 3', regionCode: YINZHOU, year: YEAR } })).matches, 1);
    assert.equal((await admin.call(api.ruleDryRun, { body: { expression: 'household.size == 3', regionCode: YINZHOU, ruleRegionCode: QINGHE, year: YEAR } })).status, 400);
  });
});
