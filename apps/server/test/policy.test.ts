import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, type EffectivePolicyResponse } from '@tuopin/domain';
import { QINGHE, setup, userClient, YINZHOU, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';

const LIAONING = '210000000000';
const TIELING = '211200000000';
const JILIN = '220000000000';
const NATION = '000000000000';

const setting = (r: EffectivePolicyResponse, key: string) => {
  const s = r.settings.find((x) => x.key === key);
  if (!s) throw new Error(`no setting ${key}`);
  return s;
};

describe('policy settings', () => {
  let env: TestEnv;
  let admin: TestClient;
  let province: TestClient; // county_admin role at province level (辽宁省)
  let county: TestClient; // 清河区
  let yinzhou: TestClient; // 银州区, a neighbouring county
  let township: TestClient; // 张相镇 (清河区)

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: province } = await userClient(env, admin, { username: 'ln_admin', role: 'county_admin', regionCode: LIAONING }));
    ({ client: county } = await userClient(env, admin, { username: 'qh_admin', role: 'county_admin', regionCode: QINGHE }));
    ({ client: yinzhou } = await userClient(env, admin, { username: 'yz_admin', role: 'county_admin', regionCode: YINZHOU }));
    ({ client: township } = await userClient(env, admin, { username: 'zx_officer', role: 'township_officer', regionCode: ZHANGXIANG }));
  });
  after(() => env.close());

  test('defaults apply when nothing is set, with the default as source', async () => {
    const r = await township.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(r.region.code, ZHANGXIANG);
    assert.equal(r.editable, false);
    assert.equal(setting(r, 'monitoringLine').value, 7260);
    assert.equal(setting(r, 'monitoringLine').source.id, null);
    assert.equal(setting(r, 'publicityDays').value, 5);
  });

  test('set at the province, inherited by counties and townships; a county overrides for itself only', async () => {
    await admin.ok(api.policySet, { body: { regionCode: NATION, year: 2024, key: 'monitoringLine', value: 6000, note: '全国底线' } });
    const p = await province.ok(api.policySet, { body: { regionCode: LIAONING, year: 2025, key: 'monitoringLine', value: 7800, note: '辽宁 2025 年监测标准' } });
    assert.equal(p.value, 7800);
    assert.equal(p.regionName.includes('辽宁'), true);

    let r = await township.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(setting(r, 'monitoringLine').value, 7800);
    assert.equal(setting(r, 'monitoringLine').source.regionCode, LIAONING);
    assert.equal(setting(r, 'monitoringLine').source.id, p.id);
    // 2024: the province's 2025 value does not apply; the nation's 2024 value does
    r = await township.ok(api.policyEffective, { query: { year: 2024 } });
    assert.equal(setting(r, 'monitoringLine').value, 6000);
    // 2026: nothing newer, so the latest earlier year (2025) still applies
    r = await township.ok(api.policyEffective, { query: { year: 2026 } });
    assert.equal(setting(r, 'monitoringLine').value, 7800);

    await county.ok(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'monitoringLine', value: 8000, note: '清河区按两倍低保标准' } });
    r = await township.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(setting(r, 'monitoringLine').value, 8000);
    assert.equal(setting(r, 'monitoringLine').source.regionCode, QINGHE);
    const neighbour = await yinzhou.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(setting(neighbour, 'monitoringLine').value, 7800);

    // the county page shows its own value and what it would inherit without it
    const own = await county.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(own.editable, true);
    assert.equal(setting(own, 'monitoringLine').setHere?.value, 8000);
    assert.equal(setting(own, 'monitoringLine').inherited, 7800);

    // a province value set for a LATER year wins over the county's earlier override (latest year first)
    await province.ok(api.policySet, { body: { regionCode: LIAONING, year: 2026, key: 'monitoringLine', value: 8200 } });
    r = await township.ok(api.policyEffective, { query: { year: 2026 } });
    assert.equal(setting(r, 'monitoringLine').value, 8200);
  });

  test('changing a value keeps its history; clearing returns to the inherited value', async () => {
    await county.ok(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'publicityDays', value: 7, note: '县里要求 7 天' } });
    await county.ok(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'publicityDays', value: 6, note: '改为 6 天' } });
    let r = await township.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(setting(r, 'publicityDays').value, 6);
    const history = await county.ok(api.policyHistory, { query: { regionCode: QINGHE, key: 'publicityDays' } });
    assert.deepEqual(history.map((h) => [h.value, h.retiredAt === null]), [[6, true], [7, false]]);
    assert.equal(history[1]!.retireNote, '改为 6 天');

    await county.ok(api.policyClear, { body: { regionCode: QINGHE, year: 2025, key: 'publicityDays', note: '恢复省里规定' } });
    r = await township.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(setting(r, 'publicityDays').value, 5);
    assert.equal(setting(r, 'publicityDays').source.id, null);
    const after = await county.ok(api.policyHistory, { query: { regionCode: QINGHE, key: 'publicityDays' } });
    assert.equal(after.length, 2);
    assert.ok(after.every((h) => h.retiredAt !== null));

    // every change is in the audit log
    const audit = await env.db.system({ name: 'test' }, (tx) =>
      tx.selectFrom('audit_log').select(['action']).where('entity', '=', 'policy_values').execute());
    assert.ok(audit.filter((a) => a.action === 'insert').length >= 2);
    assert.ok(audit.some((a) => a.action === 'update'));
  });

  test('bad values and bad places are refused with the setting named, and nothing is written', async () => {
    let r = await county.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'publicityDays', value: 2.5 } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /公示天数（不少于）应为整数/);
    r = await county.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'monitoringLine', value: -1 } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /防返贫监测标准应在 0 到 100000 之间/);
    r = await county.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'compulsoryAgeMin', value: 16 } });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.match(JSON.stringify(r.body), /义务教育年龄下限应在 3 到 10 之间/);
    r = await county.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'compulsoryAgeMax', value: 5 } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /义务教育年龄上限应在 10 到 20 之间/);
    r = await county.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'noSuchKey', value: 1 } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /没有名为“noSuchKey”的政策参数/);
    r = await county.call(api.policySet, { body: { regionCode: ZHANGXIANG, year: 2025, key: 'monitoringLine', value: 9000 } });
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.body), /只能在全国、省、市、县四级设置/);
    const eff = await township.ok(api.policyEffective, { query: { year: 2025 } });
    assert.equal(setting(eff, 'compulsoryAgeMax').value, 15);
  });

  test('scoping and permissions: no writing above or beside one’s own region; township officers only read', async () => {
    let r = await county.call(api.policySet, { body: { regionCode: LIAONING, year: 2025, key: 'monitoringLine', value: 1 } });
    assert.equal(r.status, 404); // the province is not inside a county admin's scope
    r = await county.call(api.policySet, { body: { regionCode: TIELING, year: 2025, key: 'monitoringLine', value: 1 } });
    assert.equal(r.status, 404);
    r = await yinzhou.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'monitoringLine', value: 1 } });
    assert.equal(r.status, 404);
    r = await township.call(api.policySet, { body: { regionCode: QINGHE, year: 2025, key: 'monitoringLine', value: 1 } });
    assert.equal(r.status, 403);
    // a county cannot read another county's page nor a province it is under as a page of its own
    assert.equal((await county.call(api.policyEffective, { query: { regionCode: YINZHOU, year: 2025 } })).status, 404);
    assert.equal((await county.call(api.policyEffective, { query: { regionCode: JILIN, year: 2025 } })).status, 404);
    // but it reads the history of an inherited setting on its own chain, not another county's values
    await yinzhou.ok(api.policySet, { body: { regionCode: YINZHOU, year: 2025, key: 'dibaoLine', value: 5000 } });
    const h = await county.ok(api.policyHistory, { query: { regionCode: QINGHE, key: 'monitoringLine' } });
    assert.ok(h.some((x) => x.regionCode === LIAONING));
    assert.ok(h.every((x) => [NATION, LIAONING, QINGHE].includes(x.regionCode)));
    const dibao = await county.ok(api.policyHistory, { query: { regionCode: QINGHE, key: 'dibaoLine' } });
    assert.deepEqual(dibao, []);
  });
});
