/**
 * Assistance measures (帮扶措施): recording and ending them (validation, nothing written on refusal, audit, region
 * scoping), and what they change: the development-measure warning rule, the data-quality check and the rule
 * facts of a monitored household with labour identified more than six months ago.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, idCheckCharacter, type RuleFacts, type RuleRun } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { todayInChina } from '../src/clock';

const V1 = '211204101200'; // a village of 张相镇
const COUNTY = V1.slice(0, 6);
const YEAR = Number(todayInChina().slice(0, 4));
const TODAY = todayInChina();
const shiftDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const shiftMonths = (iso: string, months: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

/** A monitored household of two working-age members, identified `identifiedOn` (a completed procedure and an open record). */
async function monitoredHousehold(env: TestEnv, no: string, identifiedOn: string, k: number): Promise<number> {
  return env.db.system({ name: 'fixture' }, async (tx) => {
    const hid = (await sql<{ id: number }>`
      insert into households (county_code, household_no, village_code, attribute, housing_rating, safe_water)
      values (${COUNTY}, ${no}, ${V1}, 'general_poor', 'A', true) returning id::int`.execute(tx)).rows[0]!.id;
    for (const [i, age] of [40, 38].entries()) {
      const body = `211204${YEAR - age}0101${String(300 + k * 10 + i * 2 + (i === 0 ? 1 : 0)).padStart(3, '0')}`;
      const idn = body + idCheckCharacter(body);
      const mid = (await sql<{ id: number }>`
        insert into members (county_code, household_id, village_code, id_type, id_number, name, relation, sex, birth_date, school_status, health, labour, medical_insurance)
        values (${COUNTY}, ${hid}, ${V1}, 'resident_id', ${idn}, ${`${no}成员${i}`}, ${i === 0 ? 'head' : 'spouse'}, ${i === 0 ? 'male' : 'female'},
                ${`${YEAR - age}-01-01`}, 'not_in_school', ${['healthy']}, 'ordinary', 'resident') returning id::int`.execute(tx)).rows[0]!.id;
      await sql`insert into persons (id_number, county_code, village_code, household_id, member_id) values (${idn}, ${COUNTY}, ${V1}, ${hid}, ${mid})`.execute(tx);
    }
    await sql`insert into household_year_status (county_code, household_id, year, village_code, status, exit_year, monitored, monitored_type, risk_types)
      values (${COUNTY}, ${hid}, ${YEAR}, ${V1}, 'exited', 2019, true, 'unstable_exited', '{illness}')`.execute(tx);
    await sql`insert into income_records (county_code, household_id, year, village_code, other_wage) values (${COUNTY}, ${hid}, ${YEAR}, ${V1}, 30000)`.execute(tx);
    const pid = (await sql<{ id: number }>`
      insert into procedures (county_code, household_id, village_code, kind, status, state, step, started_on, step_since, due_on, year, facts_start, policy)
      values (${COUNTY}, ${hid}, ${V1}, 'identification', 'completed', '{}', null, ${identifiedOn}, ${identifiedOn}, ${identifiedOn}, ${YEAR}, '{}', '{}')
      returning id::int`.execute(tx)).rows[0]!.id;
    await sql`insert into monitoring_records (county_code, household_id, village_code, identified_on, monitored_type, risk_types, identification_id)
      values (${COUNTY}, ${hid}, ${V1}, ${identifiedOn}, 'unstable_exited', '{illness}', ${pid})`.execute(tx);
    return hid;
  });
}

async function runAndWait(c: TestClient): Promise<RuleRun> {
  const started = await c.ok(api.ruleRunStart, { body: { regionCode: ZHANGXIANG, year: YEAR } });
  const end = Date.now() + 30_000;
  for (;;) {
    const run = await c.ok(api.ruleRunGet, { params: { id: started.id } });
    if (run.status === 'done' || run.status === 'failed') return run;
    if (Date.now() > end) throw new Error(`run ${run.id} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const devMatches = (run: RuleRun) => run.results.find((r) => r.ruleId === 'no_development_measure')!.matches;

describe('assistance measures', () => {
  let env: TestEnv;
  let admin: TestClient;
  let county: TestClient;
  let other: TestClient;
  let old: number; // identified 7 months ago
  let recent: number; // identified 2 months ago: not due yet

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'qh_admin', role: 'county_admin', regionCode: QINGHE }));
    ({ client: other } = await userClient(env, admin, { username: 'ym_officer', role: 'township_officer', regionCode: YANGMULINZI }));
    old = await monitoredHousehold(env, 'M-OLD', shiftMonths(TODAY, -7), 1);
    recent = await monitoredHousehold(env, 'M-NEW', shiftMonths(TODAY, -2), 2);
  });
  after(() => env.close());

  const list = (id: number, c = county) => c.call(api.measureList, { params: { countyCode: COUNTY, id } });
  const devCheck = async (id: number) => (await county.ok(api.qualityHousehold, { params: { countyCode: COUNTY, id } })).household.findings
    .filter((f) => f.checkId === 'monitored_without_development_measure').length;

  test('without a measure: the rule and the data-quality check flag the household monitored for more than six months only', async () => {
    const run = await runAndWait(county);
    assert.equal(run.status, 'done', run.message ?? '');
    assert.equal(devMatches(run), 1);
    const clue = await env.db.system({ name: 't' }, (tx) => sql<{ household_id: number }>`
      select household_id::int from clue_rules where rule_id = 'no_development_measure'`.execute(tx));
    assert.deepEqual(clue.rows.map((r) => r.household_id), [old]);
    assert.equal(await devCheck(old), 1);
    assert.equal(await devCheck(recent), 0);
    const facts = await county.ok(api.householdRuleFacts, { params: { countyCode: COUNTY, id: old }, query: { year: YEAR } });
    assert.equal((facts.facts as RuleFacts).household.hasDevelopmentMeasure, false);
    const l = await list(old);
    assert.equal(l.status, 200);
    assert.deepEqual(l.body, { items: [], hasDevelopmentMeasure: false });
  });

  test('bad measures are refused with the field named and nothing is written', async () => {
    const bad = [
      [{ family: 'lottery', title: '彩票', startedOn: '2026-01-01' }, 'family', '请选择帮扶措施类别'],
      [{ family: 'industry', title: '   ', startedOn: '2026-01-01' }, 'title', '请填写措施内容'],
      [{ family: 'industry', title: '养牛', startedOn: shiftDays(TODAY, 1) }, 'startedOn', '开始日期不能晚于今天'],
      // an impossible date is refused by the contract's one date check (format date), before the service
      [{ family: 'industry', title: '养牛', startedOn: '2026-02-30' }, 'body.startedOn', '应为有效日期（YYYY-MM-DD）'],
      [{ family: 'industry', title: '养牛', startedOn: '2025-05-01', endedOn: '2025-04-30' }, 'endedOn', '结束日期不能早于开始日期'],
      [{ family: 'industry', title: '养牛', startedOn: '2025-05-01', amount: -5 }, 'amount', '投入资金应为不小于 0 的金额'],
    ] as const;
    for (const [body, field, message] of bad) {
      const r = await county.call(api.measureCreate, { params: { countyCode: COUNTY, id: old }, body });
      assert.equal(r.status, 400, JSON.stringify(body));
      const details = (r.body as unknown as { details: { field: string; message: string }[] }).details;
      assert.deepEqual(details.map((d) => [d.field, d.message]), [[field, message]]);
    }
    assert.equal((await list(old)).body.items.length, 0);
  });

  test('a health measure is not a development measure; an industry measure is, and clears the rule and the check', async () => {
    const health = await county.call(api.measureCreate, {
      params: { countyCode: COUNTY, id: old }, body: { family: 'health', title: '家庭医生签约服务', startedOn: shiftMonths(TODAY, -6), endedOn: null, amount: null, note: null },
    });
    assert.equal(health.status, 201, JSON.stringify(health.body));
    // null stays null (no amount is not 0 yuan)
    assert.deepEqual([health.body.development, health.body.amount, health.body.endedOn, health.body.note], [false, null, null, null]);
    assert.equal((await list(old)).body.hasDevelopmentMeasure, false);
    assert.equal(await devCheck(old), 1);

    const cattle = await county.ok(api.measureCreate, {
      params: { countyCode: COUNTY, id: old },
      body: { family: 'industry', title: '入股村肉牛养殖合作社', startedOn: shiftMonths(TODAY, -1), amount: 20000, note: '年分红不低于 10%' },
    });
    assert.deepEqual(
      [cattle.family, cattle.development, cattle.inForce, cattle.amount, cattle.endedOn, cattle.createdBy, cattle.note],
      ['industry', true, true, 20000, null, 'qh_admin', '年分红不低于 10%'],
    );
    const l = (await list(old)).body;
    assert.equal(l.hasDevelopmentMeasure, true);
    // in force first, then newest first
    assert.deepEqual(l.items.map((m) => m.title), ['入股村肉牛养殖合作社', '家庭医生签约服务']);
    assert.equal(await devCheck(old), 0);
    const facts = await county.ok(api.householdRuleFacts, { params: { countyCode: COUNTY, id: old }, query: { year: YEAR } });
    assert.equal((facts.facts as RuleFacts).household.hasDevelopmentMeasure, true);
    const run = await runAndWait(county);
    assert.equal(devMatches(run), 0);

    // every change is in the audit log with its reason
    const audit = await env.db.system({ name: 't' }, (tx) => sql<{ action: string; reason: string; actor_name: string }>`
      select action, reason, actor_name from audit_log where entity = 'assistance_measures' order by id`.execute(tx));
    assert.deepEqual(audit.rows.map((r) => [r.action, r.reason]), [['insert', '登记帮扶措施：家庭医生签约服务'], ['insert', '登记帮扶措施：入股村肉牛养殖合作社']]);
  });

  test('ending a measure: a date before its start is refused, ending twice is refused, an ended measure no longer counts', async () => {
    const cattle = (await list(old)).body.items.find((m) => m.family === 'industry')!;
    const beforeStart = await county.call(api.measureEnd, {
      params: { countyCode: COUNTY, id: old, measureId: cattle.id }, body: { endedOn: shiftMonths(TODAY, -2) },
    });
    assert.equal(beforeStart.status, 400);
    assert.equal((await list(old)).body.items.find((m) => m.id === cattle.id)!.endedOn, null);
    const future = await county.call(api.measureEnd, { params: { countyCode: COUNTY, id: old, measureId: cattle.id }, body: { endedOn: shiftDays(TODAY, 3) } });
    assert.equal(future.status, 400);

    const yesterday = shiftDays(TODAY, -1);
    const ended = await county.ok(api.measureEnd, {
      params: { countyCode: COUNTY, id: old, measureId: cattle.id }, body: { endedOn: yesterday, reason: '合作社解散' },
    });
    assert.deepEqual([ended.endedOn, ended.inForce], [yesterday, false]);
    const again = await county.call(api.measureEnd, { params: { countyCode: COUNTY, id: old, measureId: cattle.id }, body: { endedOn: yesterday } });
    assert.equal(again.status, 409);
    assert.equal((await list(old)).body.hasDevelopmentMeasure, false);
    assert.equal(await devCheck(old), 1);
    const audit = await env.db.system({ name: 't' }, (tx) => sql<{ action: string; reason: string }>`
      select action, reason from audit_log where entity = 'assistance_measures' and action = 'update'`.execute(tx));
    assert.deepEqual(audit.rows.map((r) => r.reason), ['合作社解散']);
    // the household's change log lists its measures
    const history = await county.ok(api.householdHistory, { params: { countyCode: COUNTY, id: old }, query: {} });
    assert.deepEqual(history.items.filter((e) => e.entity === 'assistance_measures').map((e) => [e.action, e.reason]),
      [['update', '合作社解散'], ['insert', '登记帮扶措施：入股村肉牛养殖合作社'], ['insert', '登记帮扶措施：家庭医生签约服务']]);

    // a planned end date still to come may be brought forward
    const job = await county.ok(api.measureCreate, {
      params: { countyCode: COUNTY, id: old }, body: { family: 'employment', title: '县城物流园务工', startedOn: shiftMonths(TODAY, -1), endedOn: shiftMonths(TODAY, 3) },
    });
    assert.equal(job.inForce, true);
    assert.equal((await list(old)).body.hasDevelopmentMeasure, true);
    const early = await county.ok(api.measureEnd, { params: { countyCode: COUNTY, id: old, measureId: job.id }, body: { endedOn: yesterday, reason: '返乡' } });
    assert.deepEqual([early.endedOn, early.inForce], [yesterday, false]);
    assert.equal((await list(old)).body.hasDevelopmentMeasure, false);
  });

  test('region scoping: another township can neither see nor add measures; an unknown household is 404', async () => {
    assert.equal((await list(old, other)).status, 404);
    const add = await other.call(api.measureCreate, { params: { countyCode: COUNTY, id: old }, body: { family: 'employment', title: '公益岗位', startedOn: TODAY } });
    assert.equal(add.status, 404);
    const cattle = (await list(old)).body.items[0]!;
    const end = await other.call(api.measureEnd, { params: { countyCode: COUNTY, id: old, measureId: cattle.id }, body: { endedOn: TODAY } });
    assert.equal(end.status, 404);
    assert.equal((await list(999_999)).status, 404);
    assert.equal((await list(old)).body.items.length, 3);
  });
});
