/**
 * Policy settings for years before a setting existed: the monitoring line exists from 2021, so for 2020 it is absent
 * (no value, not today's default), cannot be set, and a rule on it matches nothing; defaults carry the year they
 * start from (6,000 in 2021, 7,260 from 2022); the household page's lines are the ones of each year.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, idCheckCharacter } from '@tuopin/domain';
import { currentYearInChina } from '../src/clock';
import { QINGHE, setup, userClient, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const V1 = '211204101200';
const YEAR = currentYearInChina();
const setting = (r: { settings: { key: string }[] }, key: string) => r.settings.find((s) => s.key === key) as unknown as { value: number | null; defaultValue: number | null; since: number | null };

function id(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

describe('policy settings by year', () => {
  let env: TestEnv;
  let county: TestClient;
  let householdId: number;

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'py_qh', role: 'county_admin', regionCode: QINGHE }));
    const h = await county.ok(api.householdCreate, {
      body: {
        household: { householdNo: 'PY-0001', villageCode: V1, attribute: 'general_poor', identifiedYear: 2015, mainCause: 'illness' },
        head: {
          idNumber: id('1960-03-03', 111), name: '韩德胜', sex: 'male', birthDate: '1960-03-03', ethnicity: '01', education: 'primary', schoolStatus: 'not_in_school',
          health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident',
        },
        reason: '测试',
      } as never,
    });
    householdId = h.id;
    // 3,000 yuan a year for the one person: below every line of every year
    for (const y of [2020, 2021, YEAR]) {
      await county.ok(api.incomeUpsert, { params: { countyCode: '211204', id: householdId, year: y }, body: { items: { otherWage: 3000 }, reason: '测试' } });
    }
  });
  after(() => env.close());

  test('the settings of 2020 have no monitoring line; 2021 the national floor; today the latest default', async () => {
    const y2020 = await county.ok(api.policyEffective, { query: { regionCode: QINGHE, year: 2020 } });
    assert.deepEqual(setting(y2020, 'monitoringLine'), { ...setting(y2020, 'monitoringLine'), value: null, defaultValue: null, since: 2021 });
    assert.equal(setting(y2020, 'povertyLine').value, 4400);
    assert.equal(setting(y2020, 'povertyLine').since, null);
    const y2021 = await county.ok(api.policyEffective, { query: { regionCode: QINGHE, year: 2021 } });
    assert.equal(setting(y2021, 'monitoringLine').value, 6000);
    assert.equal(setting(y2021, 'monitoringLine').defaultValue, 6000);
    const now = await county.ok(api.policyEffective, { query: { regionCode: QINGHE, year: YEAR } });
    assert.equal(setting(now, 'monitoringLine').value, 7260);

    const refused = await county.call(api.policySet, { body: { regionCode: QINGHE, year: 2020, key: 'monitoringLine', value: 6500, note: '测试' } });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(refused.body), /防返贫监测标准自 2021 年起设立，不能设置 2020 年的值/);
    // a value set for 2021 applies from 2021 on, never to 2020
    await county.ok(api.policySet, { body: { regionCode: QINGHE, year: 2021, key: 'monitoringLine', value: 6500, note: '清河区 2021 年监测标准' } });
    assert.equal(setting(await county.ok(api.policyEffective, { query: { regionCode: QINGHE, year: 2020 } }), 'monitoringLine').value, null);
    assert.equal(setting(await county.ok(api.policyEffective, { query: { regionCode: QINGHE, year: 2022 } }), 'monitoringLine').value, 6500);
  });

  test('a rule on the monitoring line matches nothing in 2020 (not applicable), and matches in 2021', async () => {
    const expression = 'income.perCapitaNet < policy.monitoringLine';
    const y2020 = await county.ok(api.ruleDryRun, { body: { expression, regionCode: ZHANGXIANG, year: 2020 } });
    assert.equal(y2020.households, 1);
    assert.equal(y2020.matches, 0);
    assert.equal(y2020.agreesWithTypeScript, true);
    const y2021 = await county.ok(api.ruleDryRun, { body: { expression, regionCode: ZHANGXIANG, year: 2021 } });
    assert.equal(y2021.matches, 1);
    assert.equal(y2021.agreesWithTypeScript, true);
    // the exit standard exists in 2020
    assert.equal((await county.ok(api.ruleDryRun, { body: { expression: 'income.perCapitaNet < policy.povertyLine', regionCode: ZHANGXIANG, year: 2020 } })).matches, 1);
  });

  test("the household page's lines: the exit standard up to 2020, the monitoring line (as set) from 2021", async () => {
    const d = await county.ok(api.householdGet, { params: { countyCode: '211204', id: householdId } });
    const line = (y: number) => d.incomeLines.find((l) => l.year === y);
    assert.deepEqual(line(2020), { year: 2020, key: 'povertyLine', value: 4400, monitoringLine: null, povertyLine: 4400 });
    assert.deepEqual(line(2021), { year: 2021, key: 'monitoringLine', value: 6500, monitoringLine: 6500, povertyLine: 4400 });
    assert.deepEqual(line(YEAR), { year: YEAR, key: 'monitoringLine', value: 6500, monitoringLine: 6500, povertyLine: 4400 });
    assert.equal(d.incomeLines[0]!.year, 2013);
    assert.equal(d.incomeLines.at(-1)!.year, YEAR);
    // the exit assessment of 2020 carries no monitoring line
    const exit = await county.ok(api.exitHousehold, { params: { countyCode: '211204', id: householdId }, query: { year: 2020 } });
    assert.equal(exit.policy.values.monitoringLine, null);
    assert.equal(exit.policy.values.povertyLine, 4400);
  });
});
