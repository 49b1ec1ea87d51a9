import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { api, idCheckCharacter, renderMessage, type MessageRef, type QualityRun } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { currentYearInChina } from '../src/clock';

const V1 = '211204101200'; // 大孟屯村, 张相镇
const V2 = '211204101202'; // another village of 张相镇
const YM = '211204102200'; // 前杨木林子村, 杨木林子镇
const YEAR = currentYearInChina();
const born = (age: number) => `${YEAR - age}-01-01`;

let seq = 0;
/** A valid resident ID of 清河区 for the birth date and sex (odd 17th digit = male). */
function idNumber(birth: string, male: boolean): string {
  const n = 100 + ((seq++ * 2) % 800) + (male ? 1 : 0);
  const body = `211204${birth.replace(/-/g, '')}${String(n).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

interface M {
  name: string;
  relation: string;
  age: number;
  male: boolean;
  labour?: string;
  school?: string;
  insurance?: string;
  health?: string[];
}
interface H {
  no: string;
  village: string;
  members: M[];
  attribute?: string;
  status?: { status: string; exitYear: number | null; monitored: boolean; monitoredType: string | null; risks: string[] };
}

/** A household written as the owner, with every field the validations require, so only the intended rules fire. */
async function addHousehold(env: TestEnv, h: H): Promise<{ id: number; members: number[] }> {
  const county = h.village.slice(0, 6);
  const poor = (h.attribute ?? 'general_poor') !== 'none';
  return env.db.system({ name: 'fixture' }, async (tx) => {
    const r = await sql<{ id: number }>`
      insert into households (county_code, household_no, village_code, attribute, identified_year, exit_year, main_cause, housing_rating)
      values (${county}, ${h.no}, ${h.village}, ${h.attribute ?? 'general_poor'}, ${poor ? 2016 : null}, ${poor ? 2019 : null},
              ${poor ? 'illness' : null}, 'A') returning id`.execute(tx);
    const hid = r.rows[0]!.id;
    const ids: number[] = [];
    for (const m of h.members) {
      const birth = born(m.age);
      const idn = idNumber(birth, m.male);
      const mr = await sql<{ id: number }>`
        insert into members (county_code, household_id, village_code, id_type, id_number, name, relation, sex, birth_date, ethnicity,
                             education, school_status, health, labour, medical_insurance)
        values (${county}, ${hid}, ${h.village}, 'resident_id', ${idn}, ${m.name}, ${m.relation}, ${m.male ? 'male' : 'female'}, ${birth}, '01',
                ${m.age >= 16 ? 'junior' : null}, ${m.school ?? 'not_in_school'}, ${m.health ?? ['healthy']}, ${m.labour ?? (m.age >= 16 ? 'ordinary' : 'none')},
                ${m.insurance ?? 'resident'}) returning id`.execute(tx);
      ids.push(mr.rows[0]!.id);
      await sql`insert into persons (id_number, county_code, village_code, household_id, member_id) values (${idn}, ${county}, ${h.village}, ${hid}, ${mr.rows[0]!.id})`.execute(tx);
    }
    const s = h.status ?? { status: 'exited', exitYear: 2019, monitored: false, monitoredType: null, risks: [] };
    await sql`insert into household_year_status (county_code, household_id, year, village_code, status, exit_year, monitored, monitored_type, risk_types)
      values (${county}, ${hid}, ${YEAR}, ${h.village}, ${s.status}, ${s.exitYear}, ${s.monitored}, ${s.monitoredType}, ${s.risks})`.execute(tx);
    return { id: hid, members: ids };
  });
}

async function runAndWait(c: TestClient, body: { regionCode?: string; year?: number }): Promise<QualityRun> {
  const started = await c.call(api.qualityRunStart, { body });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  const end = Date.now() + 30_000;
  for (;;) {
    const run = await c.ok(api.qualityRunGet, { params: { id: started.body.id } });
    if (run.status === 'done' || run.status === 'failed') return run;
    if (Date.now() > end) throw new Error(`run ${run.id} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The non-zero rows of a summary's check table as `id:severity=households/findings`. */
const nonZero = (checks: { checkId: string; severity: string; households: number; findings: number }[]) =>
  checks.filter((c) => c.findings > 0).map((c) => `${c.checkId}:${c.severity}=${c.households}/${c.findings}`).sort();

describe('data quality: runs, counts, findings, live check, scoping', () => {
  let env: TestEnv;
  let admin: TestClient;
  let zx: TestClient;
  let ym: TestClient;
  let h1: { id: number; members: number[] };
  let h2: { id: number; members: number[] };
  let h3: { id: number; members: number[] };
  let h5: { id: number; members: number[] };
  let zxRun: QualityRun;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: zx } = await userClient(env, admin, { username: 'q_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: ym } = await userClient(env, admin, { username: 'q_ym', role: 'township_officer', regionCode: YANGMULINZI }));
    // clean
    h1 = await addHousehold(env, {
      no: 'Q0001', village: V1,
      members: [{ name: '周建国', relation: 'head', age: 55, male: true }, { name: '吴桂芝', relation: 'spouse', age: 53, male: false }],
    });
    // a healthy 35-year-old with no labour (warning); a spouse without medical insurance (error)
    h2 = await addHousehold(env, {
      no: 'Q0002', village: V1,
      members: [
        { name: '郑强', relation: 'head', age: 35, male: true, labour: 'none' },
        { name: '王丽', relation: 'spouse', age: 34, male: false, insurance: 'none' },
      ],
    });
    // a 10-year-old out of school with no reason (error); a 12-year-old pupil recorded as ordinary labour (error)
    h3 = await addHousehold(env, {
      no: 'Q0003', village: V1,
      members: [
        { name: '冯大海', relation: 'head', age: 40, male: true },
        { name: '冯小明', relation: 'son', age: 10, male: true },
        { name: '冯小红', relation: 'daughter', age: 12, male: false, school: 'primary_6', labour: 'ordinary' },
      ],
    });
    // no head (error); monitored for illness with nobody ill (warning)
    await addHousehold(env, {
      no: 'Q0004', village: V2, attribute: 'none',
      members: [{ name: '陈秀英', relation: 'spouse', age: 60, male: false, labour: 'weak' }],
      status: { status: 'ordinary', exitYear: null, monitored: true, monitoredType: 'marginal', risks: ['illness'] },
    });
    // another township: one error
    h5 = await addHousehold(env, {
      no: 'Q0005', village: YM,
      members: [{ name: '褚国庆', relation: 'head', age: 45, male: true, insurance: 'none' }],
    });
  });
  after(() => env.close());

  test('a township run: totals, counts per check and per village', async () => {
    zxRun = await runAndWait(zx, {});
    assert.equal(zxRun.status, 'done', zxRun.message ?? '');
    assert.equal(zxRun.region.code, ZHANGXIANG);
    assert.equal(zxRun.year, YEAR);
    assert.equal(zxRun.progress, 1);
    assert.deepEqual(zxRun.totals, { households: 4, withErrors: 3, withWarnings: 2, errors: 4, warnings: 2 });

    const s = await zx.ok(api.qualitySummary, { params: { id: zxRun.id } });
    assert.deepEqual(s.totals, zxRun.totals);
    assert.deepEqual(nonZero(s.checks), [
      'age_labour_mismatch:warning=1/1',
      'compulsory_school_dropout:error=1/1',
      'household_head_count:error=1/1',
      'illness_risk_without_sick:warning=1/1',
      'medical_insurance_not_one:error=1/1',
      'minor_with_labour:error=1/1',
    ]);
    // every named check is listed, with its Chinese name, errors first
    assert.equal(s.checks.length, 15);
    assert.equal(s.checks.find((c) => c.checkId === 'household_head_count')!.zh, '户内没有户主或有多个户主');
    assert.deepEqual([...new Set(s.checks.map((c) => c.severity))], ['error', 'warning']);
    assert.deepEqual(
      s.children.map((c) => [c.region.code, c.region.level, c.totals.households, c.totals.withErrors, c.totals.withWarnings, c.totals.errors, c.totals.warnings]),
      [[V1, 5, 3, 2, 1, 3, 1], [V2, 5, 1, 1, 1, 1, 1]],
    );
    assert.deepEqual(s.path.map((p) => p.code), [ZHANGXIANG]);

    // drill down into one village
    const v2 = await zx.ok(api.qualitySummary, { params: { id: zxRun.id }, query: { area: V2 } });
    assert.deepEqual(v2.totals, { households: 1, withErrors: 1, withWarnings: 1, errors: 1, warnings: 1 });
    assert.deepEqual(v2.path.map((p) => p.code), [ZHANGXIANG, V2]);
    assert.deepEqual(v2.children, []);

    const latest = await zx.ok(api.qualityLatest, {});
    assert.equal(latest.run?.id, zxRun.id);
    assert.equal(latest.active, null);
  });

  test('findings grouped by household: the clean one is absent, filters and keyset paging', async () => {
    const all = await zx.ok(api.qualityFindings, { params: { id: zxRun.id } });
    assert.equal(all.total, 3);
    assert.deepEqual(all.items.map((h) => h.householdNo), ['Q0002', 'Q0003', 'Q0004']);
    assert.ok(!all.items.some((h) => h.id === h1.id));
    const q2 = all.items[0]!;
    assert.equal(q2.headName, '郑强');
    assert.equal(q2.village.code, V1);
    assert.deepEqual([q2.errors, q2.warnings], [1, 1]);
    // errors first
    assert.deepEqual(q2.findings.map((f) => [f.checkId, f.severity, f.memberName, f.field, f.fieldLabel]), [
      ['medical_insurance_not_one', 'error', '王丽', 'medicalInsurance', '基本医疗保险'],
      ['age_labour_mismatch', 'warning', '郑强', 'labour', '劳动技能'],
    ]);
    assert.equal(q2.findings[0]!.memberId, h2.members[1]);
    assert.match(q2.findings[0]!.message, /^王丽：未参加基本医疗保险/);
    // stored with its code and params: the member (who) and the check's problem nested, rendered in both languages
    assert.deepEqual({ code: q2.findings[0]!.code, params: q2.findings[0]!.params }, {
      code: 'quality.finding.member', params: { who: '王丽', problem: { code: 'quality.finding.medicalInsuranceNone', params: {} } },
    });
    assert.equal(renderMessage(q2.findings[0] as MessageRef, 'en'), '王丽: No basic medical insurance');
    assert.equal(q2.findings[1]!.code, 'quality.finding.member');
    assert.equal((q2.findings[1]!.params?.problem as MessageRef).code, 'quality.finding.ageLabourMismatch');
    assert.equal(q2.findings[0]!.checkName, '未参加基本医疗保险（每人应参加且只参加一种）');
    const q4 = all.items[2]!;
    assert.equal(q4.headName, null);
    assert.deepEqual(q4.findings.map((f) => [f.checkId, f.memberId, f.fieldLabel]), [['household_head_count', null, '与户主关系'], ['illness_risk_without_sick', null, '风险类型']]);

    const minors = await zx.ok(api.qualityFindings, { params: { id: zxRun.id }, query: { checkId: 'minor_with_labour' } });
    assert.deepEqual(minors.items.map((h) => [h.id, h.findings.map((f) => f.memberName)]), [[h3.id, ['冯小红']]]);
    const warnings = await zx.ok(api.qualityFindings, { params: { id: zxRun.id }, query: { severity: 'warning' } });
    assert.deepEqual(warnings.items.map((h) => h.householdNo), ['Q0002', 'Q0004']);
    assert.ok(warnings.items.every((h) => h.findings.every((f) => f.severity === 'warning')));
    const inV2 = await zx.ok(api.qualityFindings, { params: { id: zxRun.id }, query: { area: V2 } });
    assert.deepEqual(inV2.items.map((h) => h.householdNo), ['Q0004']);

    const p1 = await zx.ok(api.qualityFindings, { params: { id: zxRun.id }, query: { limit: 2 } });
    assert.equal(p1.items.length, 2);
    assert.ok(p1.next);
    const p2 = await zx.ok(api.qualityFindings, { params: { id: zxRun.id }, query: { limit: 2, after: p1.next! } });
    assert.deepEqual(p2.items.map((h) => h.householdNo), ['Q0004']);
    assert.equal(p2.next, null);
  });

  test('CSV of the findings: one line per finding, filtered like the list', async () => {
    const r = await zx.call(api.qualityFindingsCsv, { params: { id: zxRun.id } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/csv/);
    const lines = String(r.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    assert.equal(lines[0], '所在村,村代码,户编号,成员,严重程度,规则,字段,问题说明');
    assert.equal(lines.length, 1 + 6);
    const insurance = lines.find((l) => l.includes('未参加基本医疗保险（每人'))!.split(',');
    assert.deepEqual(insurance.slice(1, 7), [`"=""${V1}"""`, 'Q0002', '王丽', '错误', '未参加基本医疗保险（每人应参加且只参加一种）', '基本医疗保险']);
    const errorsOnly = await zx.call(api.qualityFindingsCsv, { params: { id: zxRun.id }, query: { severity: 'error' } });
    assert.equal(String(errorsOnly.body).trim().split('\r\n').length, 1 + 4);
  });

  test('live check of one household; a correction removes the finding, and a new run confirms it', async () => {
    const live = await zx.ok(api.qualityHousehold, { params: { countyCode: '211204', id: h3.id } });
    assert.equal(live.year, YEAR);
    assert.deepEqual(live.household.findings.map((f) => [f.checkId, f.memberName]), [['minor_with_labour', '冯小红'], ['compulsory_school_dropout', '冯小明']]);
    assert.equal(live.household.errors, 2);
    const clean = await zx.ok(api.qualityHousehold, { params: { countyCode: '211204', id: h1.id } });
    assert.deepEqual(clean.household.findings, []);

    await zx.ok(api.memberUpdate, {
      params: { countyCode: '211204', id: h2.id, memberId: h2.members[1]! },
      body: { changes: { medicalInsurance: 'resident' }, reason: '已参加城乡居民医保' },
    });
    const after = await zx.ok(api.qualityHousehold, { params: { countyCode: '211204', id: h2.id } });
    assert.deepEqual(after.household.findings.map((f) => f.checkId), ['age_labour_mismatch']);

    const rerun = await runAndWait(zx, {});
    assert.equal(rerun.status, 'done');
    assert.notEqual(rerun.id, zxRun.id);
    assert.deepEqual(rerun.totals, { households: 4, withErrors: 2, withWarnings: 2, errors: 3, warnings: 2 });
    const s = await zx.ok(api.qualitySummary, { params: { id: rerun.id } });
    assert.equal(s.checks.find((c) => c.checkId === 'medical_insurance_not_one')!.findings, 0);
    const latest = await zx.ok(api.qualityLatest, {});
    assert.equal(latest.run?.id, rerun.id);
    // the earlier run keeps its own findings
    const old = await zx.ok(api.qualitySummary, { params: { id: zxRun.id } });
    assert.equal(old.checks.find((c) => c.checkId === 'medical_insurance_not_one')!.findings, 1);
  });

  test('region scoping: a township sees and runs only its own region', async () => {
    // another township's region and household
    assert.equal((await zx.call(api.qualityRunStart, { body: { regionCode: YANGMULINZI } })).status, 404);
    assert.equal((await zx.call(api.qualityLatest, { query: { regionCode: YANGMULINZI } })).status, 404);
    assert.equal((await zx.call(api.qualityHousehold, { params: { countyCode: '211204', id: h5.id } })).status, 404);

    const ymRun = await runAndWait(ym, {});
    assert.deepEqual(ymRun.totals, { households: 1, withErrors: 1, withWarnings: 0, errors: 1, warnings: 0 });
    const ymList = await ym.ok(api.qualityFindings, { params: { id: ymRun.id } });
    assert.deepEqual(ymList.items.map((h) => h.householdNo), ['Q0005']);
    // the other township's run: not found, by any endpoint
    for (const [client, id] of [[zx, ymRun.id], [ym, zxRun.id]] as const) {
      assert.equal((await client.call(api.qualityRunGet, { params: { id } })).status, 404);
      assert.equal((await client.call(api.qualitySummary, { params: { id } })).status, 404);
      assert.equal((await client.call(api.qualityFindings, { params: { id } })).status, 404);
      assert.equal((await client.call(api.qualityFindingsCsv, { params: { id } })).status, 404);
    }
    // an area outside the run
    assert.equal((await zx.call(api.qualitySummary, { params: { id: zxRun.id }, query: { area: YM } })).status, 404);

    // the county run: the administrator sees both townships; the township user does not see the county's run
    const county = await runAndWait(admin, { regionCode: QINGHE });
    assert.deepEqual(county.totals, { households: 5, withErrors: 3, withWarnings: 2, errors: 4, warnings: 2 });
    const cs = await admin.ok(api.qualitySummary, { params: { id: county.id } });
    assert.deepEqual(cs.children.map((c) => [c.region.code, c.region.name, c.totals.households, c.totals.withErrors]), [
      [ZHANGXIANG, '张相镇', 4, 2],
      [YANGMULINZI, '杨木林子镇', 1, 1],
    ]);
    assert.equal((await admin.call(api.qualitySummary, { params: { id: county.id }, query: { area: '211204101000' } })).status, 200);
    assert.equal((await zx.call(api.qualityRunGet, { params: { id: county.id } })).status, 404);
    assert.equal((await zx.ok(api.qualityLatest, {})).run?.region.code, ZHANGXIANG);
    // the administrator's latest run for the township is the newer county run that covers it
    assert.equal((await admin.ok(api.qualityLatest, { query: { regionCode: ZHANGXIANG } })).run?.id, county.id);
  });

  test('a region larger than one batch: every household is checked once, counts per village add up', async () => {
    const villages = ['211204203200', '211204203201', '211204203202']; // 聂家满族乡
    const n = 2500;
    const rows = Array.from({ length: n }, (_, i) => {
      const d = new Date(Date.UTC(1960, 0, 1 + i));
      const birth = d.toISOString().slice(0, 10);
      const body = `211204${birth.replace(/-/g, '')}101`;
      return { no: `NJ${String(i).padStart(5, '0')}`, village: villages[i % 3]!, birth, id: body + idCheckCharacter(body), insured: i % 100 !== 0 };
    });
    await env.db.system({ name: 'fixture' }, async (tx) => {
      await sql`insert into households (county_code, household_no, village_code, attribute, identified_year, exit_year, main_cause, housing_rating)
        select '211204', no, v, 'general_poor', 2016, 2019, 'illness', 'A' from unnest(${rows.map((r) => r.no)}::text[], ${rows.map((r) => r.village)}::text[]) as x(no, v)`.execute(tx);
      await sql`insert into members (county_code, household_id, village_code, id_type, id_number, name, relation, sex, birth_date, ethnicity, education,
                                     school_status, health, labour, medical_insurance)
        select '211204', h.id, h.village_code, 'resident_id', x.idn, '测试户主', 'head', 'male', x.birth::date, '01', 'junior', 'not_in_school', '{healthy}',
               'ordinary', x.ins
          from unnest(${rows.map((r) => r.no)}::text[], ${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.birth)}::text[],
                      ${rows.map((r) => (r.insured ? 'resident' : 'none'))}::text[]) as x(no, idn, birth, ins)
          join households h on h.county_code = '211204' and h.household_no = x.no`.execute(tx);
      await sql`insert into household_year_status (county_code, household_id, year, village_code, status, exit_year)
        select county_code, id, ${YEAR}, village_code, 'exited', 2019 from households where household_no like 'NJ%'`.execute(tx);
    });
    const run = await runAndWait(admin, { regionCode: '211204203000' });
    assert.equal(run.status, 'done', run.message ?? '');
    const uninsured = rows.filter((r) => !r.insured);
    assert.deepEqual(run.totals, { households: n, withErrors: uninsured.length, withWarnings: 0, errors: uninsured.length, warnings: 0 });
    const s = await admin.ok(api.qualitySummary, { params: { id: run.id } });
    assert.deepEqual(nonZero(s.checks), [`medical_insurance_not_one:error=${uninsured.length}/${uninsured.length}`]);
    assert.deepEqual(
      s.children.map((c) => [c.region.code, c.totals.households, c.totals.withErrors]),
      villages.map((v) => [v, rows.filter((r) => r.village === v).length, uninsured.filter((r) => r.village === v).length]),
    );
    // keyset paging over the whole list returns each household once
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await admin.ok(api.qualityFindings, { params: { id: run.id }, query: { limit: 7, ...(after ? { after } : {}) } });
      seen.push(...page.items.map((h) => h.householdNo));
      after = page.next ?? undefined;
    } while (after);
    assert.deepEqual([...seen].sort(), uninsured.map((r) => r.no).sort());
  });

  test('permissions and bad input', async () => {
    const { client: inspector } = await userClient(env, admin, { username: 'q_insp', role: 'inspector', regionCode: ZHANGXIANG });
    assert.equal((await inspector.call(api.qualityRunStart, { body: {} })).status, 403);
    assert.equal((await inspector.call(api.qualitySummary, { params: { id: zxRun.id } })).status, 200);
    const future = await zx.call(api.qualityRunStart, { body: { year: YEAR + 1 } });
    assert.equal(future.status, 400);
    assert.match((future.body as unknown as { message: string }).message, /年度不能晚于/);
    assert.equal((await zx.call(api.qualityFindings, { params: { id: zxRun.id }, query: { checkId: 'DROP TABLE' } })).status, 400);
    assert.equal((await zx.call(api.qualityRunGet, { params: { id: 999999 } })).status, 404);
  });
});
