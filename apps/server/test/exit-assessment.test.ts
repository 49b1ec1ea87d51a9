import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, idCheckCharacter, type ExitCounts } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { currentYearInChina } from '../src/clock';

const V1 = '211204101200'; // 张相镇
const V2 = '211204101202'; // 张相镇, another village
const YM = '211204102200'; // 杨木林子镇
const YEAR = currentYearInChina();
let seq = 0;
function idNumber(age: number, male: boolean): string {
  const body = `211204${YEAR - age}0101${String(100 + ((seq++ * 2) % 800) + (male ? 1 : 0)).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

interface Fixture {
  no: string;
  village: string;
  /** household net income this year (yuan); null = no income record */
  income: number | null;
  members: { age: number; insured?: boolean; school?: string; dropout?: string }[];
  housing?: string | null;
  water?: boolean | null;
  relocatedWithKeys?: boolean;
  /** this year's status (default 已脱贫) and monitoring flag */
  status?: 'ordinary' | 'poor' | 'exited' | 'returned';
  monitored?: boolean;
}

/** Writes a household with its members, this year's status and income, as the owner. */
async function add(env: TestEnv, f: Fixture): Promise<number> {
  const county = f.village.slice(0, 6);
  return env.db.system({ name: 'fixture' }, async (tx) => {
    const hid = (await sql<{ id: number }>`
      insert into households (county_code, household_no, village_code, attribute, housing_rating, safe_water, relocated, relocation_keys_received)
      values (${county}, ${f.no}, ${f.village}, 'general_poor', ${f.housing === undefined ? 'A' : f.housing}, ${f.water === undefined ? true : f.water},
              ${f.relocatedWithKeys ?? false}, ${f.relocatedWithKeys ?? null}) returning id`.execute(tx)).rows[0]!.id;
    for (const [i, m] of f.members.entries()) {
      const idn = idNumber(m.age, i === 0);
      const mid = (await sql<{ id: number }>`
        insert into members (county_code, household_id, village_code, id_type, id_number, name, relation, sex, birth_date, school_status, dropout_reason, health, labour, medical_insurance)
        values (${county}, ${hid}, ${f.village}, 'resident_id', ${idn}, ${`${f.no}成员${i}`}, ${i === 0 ? 'head' : 'child'}, ${i === 0 ? 'male' : 'female'},
                ${`${YEAR - m.age}-01-01`}, ${m.school ?? 'not_in_school'}, ${m.dropout ?? null}, ${['healthy']}, ${m.age >= 16 ? 'ordinary' : 'none'},
                ${m.insured === false ? 'none' : 'resident'}) returning id`.execute(tx)).rows[0]!.id;
      await sql`insert into persons (id_number, county_code, village_code, household_id, member_id) values (${idn}, ${county}, ${f.village}, ${hid}, ${mid})`.execute(tx);
    }
    await sql`insert into household_year_status (county_code, household_id, year, village_code, status, exit_year, monitored, risk_types)
      values (${county}, ${hid}, ${YEAR}, ${f.village}, ${f.status ?? 'exited'}, ${(f.status ?? 'exited') === 'exited' ? 2019 : null},
              ${f.monitored ?? false}, '{}')`.execute(tx);
    if (f.income !== null) {
      await sql`insert into income_records (county_code, household_id, year, village_code, other_wage) values (${county}, ${hid}, ${YEAR}, ${f.village}, ${f.income})`.execute(tx);
    }
    return hid;
  });
}

const adults = [{ age: 40 }, { age: 38 }];
const counts = (assessed: number, meeting: number, income: number, education: number, medical: number, housing: number, water: number): ExitCounts => ({
  assessed, meeting, unmet: { income, education, medical, housing, water },
});

describe('exit assessment', () => {
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
    // per-capita = income / members; the poverty line is 4,400 by default
    ids.ok = await add(env, { no: 'E-OK', village: V1, income: 20000, members: adults });
    ids.low = await add(env, { no: 'E-LOW', village: V1, income: 8000, members: adults }); // 4,000
    ids.child = await add(env, { no: 'E-CHILD', village: V1, income: 20000, members: [{ age: 40 }, { age: 10, dropout: 'weariness' }] });
    ids.ill = await add(env, { no: 'E-ILL', village: V1, income: 20000, members: [{ age: 40 }, { age: 10, dropout: 'illness' }] });
    ids.unins = await add(env, { no: 'E-UNINS', village: V1, income: 20000, members: [{ age: 45 }, { age: 20, insured: false }], housing: 'C' });
    ids.noinc = await add(env, { no: 'E-NOINC', village: V1, income: null, members: [{ age: 40 }] });
    ids.water = await add(env, { no: 'E-WATER', village: V2, income: 20000, members: adults, water: false });
    ids.reloc = await add(env, { no: 'E-RELOC', village: V2, income: 20000, members: adults, housing: 'D', relocatedWithKeys: true });
    ids.mid = await add(env, { no: 'E-MID', village: V2, income: 10000, members: adults, water: null }); // 5,000
    ids.all = await add(env, { no: 'E-ALL', village: V2, income: 2000, members: [{ age: 40, insured: false }, { age: 12 }], housing: null, water: false });
    ids.ym = await add(env, { no: 'E-YM', village: YM, income: 2000, members: [{ age: 40 }] });
  });
  after(() => env.close());

  test('region view: exact counts per unmet item, in total and per village', async () => {
    const v = await county.ok(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR } });
    assert.equal(v.region.code, ZHANGXIANG);
    assert.equal(v.year, YEAR);
    assert.deepEqual(v.totals, counts(10, 3, 3, 2, 2, 2, 3));
    const byCode = Object.fromEntries(v.children.map((c) => [c.code, c.counts]));
    assert.deepEqual(byCode[V1], counts(6, 2, 2, 1, 1, 1, 0));
    assert.deepEqual(byCode[V2], counts(4, 1, 1, 1, 1, 1, 3));
    assert.ok(v.children.every((c) => c.level === 5 && (c.code === V1 || c.code === V2 || c.counts.assessed === 0)));
    // the county view groups by township
    const q = await county.ok(api.exitRegion, { query: { regionCode: QINGHE, year: YEAR } });
    assert.deepEqual(q.totals, counts(11, 3, 4, 2, 2, 2, 3));
    assert.deepEqual(q.children.find((c) => c.code === ZHANGXIANG)?.counts, v.totals);
    assert.deepEqual(q.children.find((c) => c.code === YANGMULINZI)?.counts, counts(1, 0, 1, 0, 0, 0, 0));
    // a village has no children
    const village = await county.ok(api.exitRegion, { query: { regionCode: V2, year: YEAR } });
    assert.deepEqual(village.totals, counts(4, 1, 1, 1, 1, 1, 3));
    assert.deepEqual(village.children, []);
    // a year without income records: every household lacks income
    const before = await county.ok(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR - 1 } });
    assert.equal(before.totals.unmet.income, 10);
  });

  test('households list: unmet items, filter by item, keyset paging', async () => {
    const all = await county.ok(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR } });
    assert.equal(all.total, 7);
    assert.deepEqual(all.items.map((i) => i.householdNo), ['E-LOW', 'E-CHILD', 'E-UNINS', 'E-NOINC', 'E-WATER', 'E-MID', 'E-ALL']);
    const allRow = all.items.find((i) => i.householdNo === 'E-ALL')!;
    assert.deepEqual(allRow.unmet, ['income', 'education', 'medical', 'housing', 'water']);
    assert.equal(allRow.headName, 'E-ALL成员0');
    assert.equal(allRow.perCapitaNet, 1000);
    assert.equal(allRow.villageCode, V2);
    assert.equal(allRow.id, ids.all);
    assert.ok(allRow.village.length > 0);
    assert.equal(all.items.find((i) => i.householdNo === 'E-NOINC')!.perCapitaNet, null);
    assert.equal(all.next, null);

    const p1 = await county.ok(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR, item: 'water', limit: 2 } });
    assert.equal(p1.total, 3);
    assert.deepEqual(p1.items.map((i) => [i.householdNo, i.unmet]), [['E-WATER', ['water']], ['E-MID', ['water']]]);
    assert.ok(p1.next);
    const p2 = await county.ok(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR, item: 'water', limit: 2, after: p1.next! } });
    assert.deepEqual(p2.items.map((i) => i.householdNo), ['E-ALL']);
    assert.equal(p2.next, null);
    const edu = await county.ok(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR, item: 'education' } });
    assert.deepEqual(edu.items.map((i) => i.householdNo), ['E-CHILD', 'E-ALL']);
  });

  test('one household: assessExit with details and the settings used', async () => {
    const a = await county.ok(api.exitHousehold, { params: { countyCode: '211204', id: ids.all! }, query: { year: YEAR } });
    assert.equal(a.householdNo, 'E-ALL');
    assert.equal(a.meets, false);
    assert.equal(a.perCapitaNetIncome, 1000);
    assert.deepEqual(a.unmet.map((u) => u.code), ['income', 'education', 'medical', 'housing', 'water']);
    assert.match(a.unmet[0]!.detail, /人均纯收入 1,000 元，未超过脱贫标准 4,400 元/);
    assert.match(a.unmet[1]!.detail, /E-ALL成员1 处于义务教育年龄/);
    assert.match(a.unmet[2]!.detail, /E-ALL成员0 未参加基本医疗保险/);
    assert.equal(a.unmet[3]!.detail, '住房未鉴定安全等级');
    assert.equal(a.unmet[4]!.detail, '饮水不安全');
    assert.equal(a.unmet[0]!.zh, '收入未达标');
    assert.equal(a.policy.values.povertyLine, 4400);
    assert.equal(a.policy.sources.povertyLine?.id ?? null, null);
    const ok = await county.ok(api.exitHousehold, { params: { countyCode: '211204', id: ids.reloc! }, query: { year: YEAR } });
    assert.deepEqual([ok.meets, ok.unmet, ok.perCapitaNetIncome], [true, [], 10000]);
  });

  test('the SQL pass over the registry and assessExit on each household give the same unmet items', async () => {
    const list = await county.ok(api.exitHouseholds, { query: { regionCode: QINGHE, year: YEAR, limit: 200 } });
    const bySql = new Map(list.items.map((i) => [i.id, i.unmet as string[]]));
    for (const [name, id] of Object.entries(ids)) {
      const one = await county.ok(api.exitHousehold, { params: { countyCode: '211204', id }, query: { year: YEAR } });
      assert.deepEqual(one.unmet.map((u) => u.code), bySql.get(id) ?? [], name);
      assert.equal(one.meets, !bySql.has(id), name);
    }
  });

  test('a county override of the poverty line changes the income count and is reported as the source', async () => {
    const set = await county.ok(api.policySet, { body: { regionCode: QINGHE, year: YEAR, key: 'povertyLine', value: 6000, note: '测试' } });
    const v = await county.ok(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR } });
    assert.deepEqual(v.totals, counts(10, 3, 4, 2, 2, 2, 3)); // E-MID (5,000) is now under the line too
    const inc = await county.ok(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR, item: 'income' } });
    assert.deepEqual(inc.items.map((i) => i.householdNo), ['E-LOW', 'E-NOINC', 'E-MID', 'E-ALL']);
    const mid = await county.ok(api.exitHousehold, { params: { countyCode: '211204', id: ids.mid! }, query: { year: YEAR } });
    assert.deepEqual(mid.unmet.map((u) => u.code), ['income', 'water']);
    assert.match(mid.unmet[0]!.detail, /未超过脱贫标准 6,000 元/);
    assert.equal(mid.policy.values.povertyLine, 6000);
    assert.equal(mid.policy.sources.povertyLine?.id, set.id);
    await county.ok(api.policyClear, { body: { regionCode: QINGHE, year: YEAR, key: 'povertyLine', note: '测试结束' } });
    assert.equal((await county.ok(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR } })).totals.unmet.income, 3);
  });

  test('region scoping: a 杨木林子镇 officer sees only their township', async () => {
    assert.equal((await ymlz.call(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR } })).status, 404);
    assert.equal((await ymlz.call(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR } })).status, 404);
    assert.equal((await ymlz.call(api.exitHousehold, { params: { countyCode: '211204', id: ids.all! }, query: { year: YEAR } })).status, 404);
    const own = await ymlz.ok(api.exitRegion, { query: { year: YEAR } });
    assert.equal(own.region.code, YANGMULINZI);
    assert.deepEqual(own.totals, counts(1, 0, 1, 0, 0, 0, 0));
    const list = await ymlz.ok(api.exitHouseholds, { query: { year: YEAR } });
    assert.deepEqual(list.items.map((i) => i.householdNo), ['E-YM']);
    // the county view of a township officer's parent is not visible either
    assert.equal((await ymlz.call(api.exitRegion, { query: { regionCode: QINGHE, year: YEAR } })).status, 404);
  });

  test('households assessed: all, former poor and monitored, exited, poor, monitored', async () => {
    await add(env, { no: 'E-ORD', village: V1, income: 2000, members: adults, status: 'ordinary' }); // 1,000, not covered
    await add(env, { no: 'E-MON', village: V2, income: 2000, members: adults, status: 'ordinary', monitored: true });
    await add(env, { no: 'E-POOR', village: V2, income: 20000, members: adults, status: 'poor', water: false });
    const view = async (group: 'all' | 'covered' | 'exited' | 'poor' | 'monitored') => {
      const v = await county.ok(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR, group } });
      assert.equal(v.group, group);
      return v.totals;
    };
    assert.deepEqual(await view('all'), counts(13, 3, 5, 2, 2, 2, 4));
    assert.deepEqual(await view('covered'), counts(12, 3, 4, 2, 2, 2, 4));
    assert.deepEqual(await view('exited'), counts(10, 3, 3, 2, 2, 2, 3));
    assert.deepEqual(await view('poor'), counts(1, 0, 0, 0, 0, 0, 1));
    assert.deepEqual(await view('monitored'), counts(1, 0, 1, 0, 0, 0, 0));
    assert.equal((await county.ok(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR } })).group, 'all');
    const list = await county.ok(api.exitHouseholds, { query: { regionCode: ZHANGXIANG, year: YEAR, group: 'covered', item: 'income' } });
    assert.deepEqual(list.items.map((i) => i.householdNo), ['E-LOW', 'E-NOINC', 'E-ALL', 'E-MON']);
    assert.equal(list.total, 4);
    assert.equal((await county.call(api.exitRegion, { query: { regionCode: ZHANGXIANG, year: YEAR, group: 'nobody' as 'all' } })).status, 400);
  });
});
