import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, BUILT_IN_RULES, checkRule, evaluateRule, idCheckCharacter, type RuleFacts, type RuleRun } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
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

const hits = (run: RuleRun) => Object.fromEntries(run.results.filter((r) => r.matches > 0).map((r) => [r.ruleId, [r.matches, r.newClues]]));

describe('warning rules and runs', () => {
  let env: TestEnv;
  let admin: TestClient;
  let county: TestClient;
  let ymlz: TestClient;
  const ids: Record<string, number> = {};

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'qh_admin', role: 'county_admin', regionCode: QINGHE }));
    ({ client: ymlz } = await userClient(env, admin, { username: 'ym_officer', role: 'township_officer', regionCode: YANGMULINZI }));
    // 2 persons each: per-capita = income / 2
    ids.low = await add(env, { no: 'R-LOW', status: 'ordinary', income: 10000, members: [{ age: 40 }, { age: 38 }] }); // 5,000 < 7,260
    ids.exited = await add(env, { no: 'R-EXIT', income: 9000, members: [{ age: 50 }, { age: 48 }] }); // 4,500: exited under 5,000 and under the line
    ids.uninsured = await add(env, { no: 'R-UNINS', income: 40000, members: [{ age: 45 }, { age: 20, insured: false }] });
    ids.child = await add(env, { no: 'R-CHILD', income: 40000, members: [{ age: 40 }, { age: 10 }] }); // 10-year-old not in school
    ids.drop = await add(env, { no: 'R-DROP', income: 18000, lastIncome: 40000, members: [{ age: 40 }, { age: 38 }] }); // 9,000 from 20,000
    ids.clean = await add(env, { no: 'R-CLEAN', income: 40000, lastIncome: 38000, members: [{ age: 40 }, { age: 12, school: 'primary_6' }] });
    ids.noIncome = await add(env, { no: 'R-NOINC', income: null, members: [{ age: 40 }] });
    ids.other = await add(env, { no: 'R-YM', village: YM, status: 'ordinary', income: 2000, members: [{ age: 40 }] }); // other township
  });
  after(() => env.close());

  test('the ten built-in rules are installed and listed with version 1', async () => {
    const rules = await county.ok(api.rulesList);
    assert.equal(rules.filter((r) => r.builtin).length, 10);
    assert.ok(rules.every((r) => r.version === 1 && r.active));
  });

  test('a run creates exactly the expected clues, with facts, rule version and settings; a second run adds none', async () => {
    const run = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    assert.equal(run.status, 'done', run.message ?? '');
    assert.equal(run.households, 7);
    assert.deepEqual(hits(run), {
      income_below_monitoring_line: [2, 2],
      exited_below_unstable_line: [1, 1],
      member_uninsured: [1, 1],
      child_out_of_school: [1, 1],
      income_sharp_drop: [1, 1],
    });
    const clues = await env.db.system({ name: 't' }, (tx) =>
      sql<{ household_id: number; rule_id: string; rule_version: number; channel: string; period: string; facts: { household: Record<string, unknown>; members: unknown[] | null; rule: { id: string; version: number } }; policy: { sources: Record<string, number> } }>`
        select household_id::int, rule_id, rule_version, channel, period, facts, policy from clues order by household_id, rule_id`.execute(tx));
    assert.equal(clues.rows.length, 6);
    const low = clues.rows.find((c) => c.household_id === ids.low)!;
    assert.deepEqual([low.rule_id, low.rule_version, low.channel, low.period], ['income_below_monitoring_line', 1, 'platform', todayInChina().slice(0, 7)]);
    // the snapshot holds what the rule read, as it was, plus the rule version
    assert.deepEqual(low.facts.household, {
      householdNo: 'R-LOW', status: 'ordinary', size: 2, 'household.monitored': false, 'income.perCapitaNet': 5000, 'policy.monitoringLine': 7260,
    });
    assert.equal(low.facts.members, null);
    assert.deepEqual(low.facts.rule, { id: 'income_below_monitoring_line', version: 1 });
    assert.deepEqual(low.policy.sources, {});
    const unins = clues.rows.find((c) => c.household_id === ids.uninsured)!;
    assert.deepEqual(unins.facts.members?.map((m) => (m as { insured: boolean }).insured), [true, false]);
    assert.ok(!clues.rows.some((c) => c.household_id === ids.clean || c.household_id === ids.other || c.household_id === ids.noIncome));

    // the inbox shows the clues of one rule and run period (the run page links there)
    const byRule = await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, channel: 'platform', ruleId: 'member_uninsured', period: run.period } });
    assert.deepEqual(byRule.items.map((c) => c.household.householdNo), ['R-UNINS']);
    assert.equal(byRule.total, 1);
    assert.equal((await county.ok(api.clueList, { query: { regionCode: ZHANGXIANG, ruleId: 'member_uninsured', period: '2000-01' } })).total, 0);

    const again = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    assert.deepEqual(hits(again), {
      income_below_monitoring_line: [2, 0], exited_below_unstable_line: [1, 0], member_uninsured: [1, 0], child_out_of_school: [1, 0], income_sharp_drop: [1, 0],
    });
  });

  test('settings in force are used and recorded: a county override of the monitoring line changes the matches', async () => {
    const set = await county.ok(api.policySet, { body: { regionCode: QINGHE, year: YEAR, key: 'monitoringLine', value: 25000, note: '测试' } });
    const dry = await county.ok(api.ruleDryRun, { body: { expression: 'income.perCapitaNet < policy.monitoringLine', regionCode: ZHANGXIANG, year: YEAR } });
    assert.equal(dry.households, 7);
    assert.equal(dry.matches, 6); // every household with income (all under 25,000 per person) but not the one without
    assert.equal(dry.agreesWithTypeScript, true);
    assert.deepEqual(dry.preview.map((p) => p.householdNo).sort(), ['R-CHILD', 'R-CLEAN', 'R-DROP', 'R-EXIT', 'R-LOW', 'R-UNINS']);
    const run = await runAndWait(county, { regionCode: ZHANGXIANG, year: YEAR });
    assert.deepEqual(hits(run).income_below_monitoring_line, [6, 4]); // every household with income is under 25,000; 2 had clues already
    const c = await env.db.system({ name: 't' }, (tx) =>
      sql<{ policy: { sources: Record<string, number> } }>`select policy from clues where household_id = ${ids.clean} and rule_id = 'income_below_monitoring_line'`.execute(tx));
    assert.equal(c.rows[0]!.policy.sources.monitoringLine, set.id);
    await county.ok(api.policyClear, { body: { regionCode: QINGHE, year: YEAR, key: 'monitoringLine' } });
  });

  test('saving a rule: type errors are refused with line and column; a changed expression is a new version', async () => {
    let r = await admin.call(api.ruleCreate, { body: { id: 'bad_rule', name: '坏规则', severity: 'low', riskType: 'other', expression: 'household.sizee > 1', active: true } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /第 1 行第 11 列/);
    r = await admin.call(api.ruleCreate, { body: { id: 'not_bool', name: '非布尔', severity: 'low', riskType: 'other', expression: 'household.size + 1', active: true } });
    assert.equal(r.status, 400);
    r = await county.call(api.ruleCreate, { body: { id: 'big_family', name: '大家庭', severity: 'low', riskType: 'other', expression: 'household.size > 5', active: true } });
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
});
