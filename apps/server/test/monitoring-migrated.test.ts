/**
 * Households monitored before the platform (issue 10, item 1): an import with 是否监测对象 = 是, the demo generator and
 * a database upgraded by migration 0013 give them a monitoring record marked as migrated, and everything downstream
 * works on it — the household's monitoring panel, the rule facts, and a risk elimination started and completed.
 * The household of the issue (item 3): its only worker is 61, 普通劳动力, works 8 months, 19,342 yuan per person.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { addDays, api, idCheckCharacter, SHEETS, type ImportInfo, type ImportProblem } from '@tuopin/domain';
import { currentYearInChina, todayInChina } from '../src/clock';
import { repairMigratedRecords } from '../src/db/migrations/0013_monitoring_migrated';
import { generateIntoDatabase } from '../src/generate/index';
import { QINGHE, setup, userClient, ZHANGXIANG, type TestClient, type TestEnv, importFinished } from './helpers';
import { backdateProcedure } from './time-travel';

const CC = '211204';
const V1 = '211204101200';
const YEAR = currentYearInChina();
const TODAY = todayInChina();
/** Identified 200 days ago: monitored for more than the six months of stable income */
const IDENTIFIED = addDays(TODAY, -200);

function idNumber(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}
const csv = (rows: string[][]) => `\uFEFF${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
const headers = (sheet: keyof typeof SHEETS) => SHEETS[sheet].columns.map((c) => c.header);
const row = (sheet: keyof typeof SHEETS, values: Record<string, string>) => SHEETS[sheet].columns.map((c) => values[c.header] ?? '');

const HEAD_BIRTH = `${YEAR - 61}-03-01`;
const WIFE_BIRTH = `${YEAR - 63}-05-01`;

function files(o: { identifiedOn?: string; secondIdentifiedOn?: string; thirdIdentifiedOn?: string } = {}) {
  const household = (no: string, extra: Record<string, string>) => row('households', {
    户编号: no, 所在村代码: V1, 户属性: '一般贫困户', 识别年度: '2016', 脱贫年度: '2019', 主要致贫原因: '因病', 住房安全等级: 'B', 是否饮水安全: '是',
    年度: String(YEAR), 户状态: '已脱贫户', ...extra,
  });
  const person = (no: string, idn: string, name: string, rel: string, sex: string, birth: string, extra: Record<string, string> = {}) => row('members', {
    户编号: no, 证件号码: idn, 姓名: name, 与户主关系: rel, 性别: sex, 出生日期: birth, 民族: '汉族', 文化程度: '小学', 在校生状况: '非在校生', 健康状况: '健康',
    劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险', ...extra,
  });
  return [
    {
      name: '户信息.csv',
      content: csv([
        headers('households'),
        household('MIG-0001', { 是否监测对象: '是', 监测对象类别: '脱贫不稳定户', 风险类型: '因病、因务工就业不稳', 纳入监测日期: o.identifiedOn ?? IDENTIFIED }),
        household('MIG-0002', { 是否监测对象: '是', 监测对象类别: '脱贫不稳定户', 风险类型: '因残', 纳入监测日期: o.secondIdentifiedOn ?? '' }),
        household('MIG-0003', { 是否监测对象: '否', 纳入监测日期: o.thirdIdentifiedOn ?? '' }),
      ]),
    },
    {
      name: '成员信息.csv',
      content: csv([
        headers('members'),
        // the only worker: 61, 普通劳动力, works 8 months
        person('MIG-0001', idNumber(HEAD_BIRTH, 111), '刘长顺', '户主', '男', HEAD_BIRTH, { '务工时间（月）': '8' }),
        person('MIG-0001', idNumber(WIFE_BIRTH, 122), '刘妻', '配偶', '女', WIFE_BIRTH, { 劳动技能: '丧失劳动力', 健康状况: '长期慢性病' }),
        person('MIG-0002', idNumber('1970-01-05', 131), '陈玉林', '户主', '男', '1970-01-05', { 健康状况: '残疾', 残疾类别: '肢体残疾', 残疾等级: '二级' }),
        person('MIG-0003', idNumber('1972-02-06', 141), '周海', '户主', '男', '1972-02-06'),
      ]),
    },
    {
      name: '收入信息.csv',
      content: csv([
        headers('income'),
        // 38,684 for two: 19,342 per person, this year and last
        row('income', { 户编号: 'MIG-0001', 年度: String(YEAR), '其他工资性收入（元）': '38684' }),
        row('income', { 户编号: 'MIG-0001', 年度: String(YEAR - 1), '其他工资性收入（元）': '36000' }),
        row('income', { 户编号: 'MIG-0002', 年度: String(YEAR), '其他工资性收入（元）': '9000' }),
        row('income', { 户编号: 'MIG-0003', 年度: String(YEAR), '其他工资性收入（元）': '30000' }),
      ]),
    },
  ];
}

async function importFiles(c: TestClient, f: { name: string; content: string }[], commit = true): Promise<{ import: ImportInfo; problems: ImportProblem[] }> {
  const finished = (id: number) => importFinished(c, id);
  const up = await c.upload('/api/imports', f);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const v = await finished((up.body as ImportInfo).id);
  if (!commit) return v;
  assert.equal(v.import.status, 'validated', JSON.stringify(v.problems));
  await c.ok(api.importCommit, { params: { id: v.import.id } });
  const done = await finished(v.import.id);
  assert.equal(done.import.status, 'committed', JSON.stringify(done));
  return done;
}

describe('monitoring: households monitored before the platform', () => {
  let env: TestEnv;
  let township: TestClient;
  let village: TestClient;
  let county: TestClient;
  const q = (t: string, v: unknown[] = []) => env.db.pool.query(t, v);
  const records = async () => (await q(`
    select h.household_no, r.source, r.identified_on::text as identified_on, r.monitored_type, r.risk_types, r.identification_id, r.import_id::int as import_id,
           r.eliminated_on::text as eliminated_on
      from monitoring_records r join households h on h.county_code = r.county_code and h.id = r.household_id
     where h.household_no like 'MIG-%' order by h.household_no, r.id`)).rows;
  const householdId = async (no: string) => Number((await q('select id from households where household_no = $1', [no])).rows[0]!.id);

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    ({ client: county } = await userClient(env, admin, { username: 'mg_county', role: 'county_admin', regionCode: QINGHE, displayName: '县审定人' }));
    ({ client: township } = await userClient(env, admin, { username: 'mg_township', role: 'township_officer', regionCode: ZHANGXIANG, displayName: '乡镇干部' }));
    ({ client: village } = await userClient(env, admin, { username: 'mg_village', role: 'village_officer', regionCode: V1, displayName: '村干部' }));
  });
  after(() => env.close());

  test('an imported 监测户 gets a migrated monitoring record with the file\'s type, risks and date (the default date without one)', async () => {
    const done = await importFiles(township, files());
    const imp = done.import.id;
    assert.deepEqual(await records(), [
      { household_no: 'MIG-0001', source: 'migrated', identified_on: IDENTIFIED, monitored_type: 'unstable_exited', risk_types: ['illness', 'unstable_employment'], identification_id: null, import_id: imp, eliminated_on: null },
      // no date in the file, monitored only this year: identified on the day of the import
      { household_no: 'MIG-0002', source: 'migrated', identified_on: TODAY, monitored_type: 'unstable_exited', risk_types: ['disability'], identification_id: null, import_id: imp, eliminated_on: null },
    ]);
    // the same file again: no second record; a corrected type and an earlier date are taken over by the migrated record
    await importFiles(township, files({ secondIdentifiedOn: addDays(TODAY, -30) }));
    const again = await records();
    assert.equal(again.length, 2);
    assert.equal(again[1]!.identified_on, addDays(TODAY, -30));
  });

  test('the household page shows the record as migrated, the rule facts read it, and its risk can be eliminated', async () => {
    const id = await householdId('MIG-0001');
    const hm = await village.ok(api.householdMonitoring, { params: { countyCode: CC, id } });
    assert.equal(hm.monitored, true);
    assert.deepEqual(hm.records.map((r) => [r.source, r.identifiedOn, r.monitoredType, r.riskTypes, r.identificationId]),
      [['migrated', IDENTIFIED, 'unstable_exited', ['illness', 'unstable_employment'], null]]);
    // labour is the recorded one (item 3): the 61-year-old 普通劳动力 counts, nothing blocks the elimination
    assert.deepEqual(hm.elimination, { allowed: true, quick: false, blockers: [], perCapitaNetIncome: 19342 });
    const facts = await village.ok(api.householdRuleFacts, { params: { countyCode: CC, id }, query: { year: YEAR } });
    const household = (facts.facts as { household: Record<string, unknown> }).household;
    assert.equal(household.monitored, true);
    assert.equal(household.labourCount, 1);
    assert.ok(Number(household.monthsMonitored) >= 6, `monthsMonitored ${String(household.monthsMonitored)}`);

    const p = await township.ok(api.eliminationStart, { params: { countyCode: CC, id } });
    assert.equal(p.quick, false);
    assert.equal(p.identifiedOn, IDENTIFIED);
    const sign = async (c: TestClient, step: string, data: Record<string, unknown>) => {
      const r = await c.call(api.procedureSign, { params: { countyCode: CC, id: p.id }, body: { step, data } });
      assert.equal(r.status, 200, `${step}: ${JSON.stringify(r.body)}`);
      return r.body;
    };
    await sign(township, 'assessment', { eliminationType: 'assisted', findings: '户主常年务工，收入稳定' });
    await sign(village, 'village_review', { result: 'agree', minutes: '同意消除风险', participants: 9 });
    await backdateProcedure(q, CC, p.id, 10); // the review ten days ago
    await sign(village, 'publicity', { startDate: addDays(TODAY, -9), endDate: addDays(TODAY, -5), objections: [] });
    await sign(township, 'township_review', { result: 'approve' });
    await sign(county, 'county_approval', { result: 'approve' });
    const d = await sign(county, 'announcement', { announcedOn: TODAY });
    assert.equal(d.status, 'completed');
    assert.deepEqual(d.outcome, { eliminationType: 'assisted', announcedOn: TODAY, quick: false });
    const afterwards = await village.ok(api.householdMonitoring, { params: { countyCode: CC, id } });
    assert.equal(afterwards.monitored, false);
    assert.deepEqual(afterwards.records.map((r) => [r.source, r.eliminatedOn, r.eliminationType, r.eliminationId]), [['migrated', TODAY, 'assisted', p.id]]);
    // the old file imported again after the elimination is refused for that household (it would reopen the risk
    // eliminated here without a procedure), and so is a file that ends the monitoring of MIG-0002 by saying 否
    const f = files();
    f[0]!.content = f[0]!.content.replace(/(MIG-0002,[^\r]*?已脱贫户,)是,脱贫不稳定户,因残,/, '$1否,,,');
    const again = await importFiles(township, f, false);
    assert.equal(again.import.status, 'invalid');
    assert.deepEqual(again.problems.filter((x) => x.column === '是否监测对象').map((x) => [x.row, x.message]), [
      [2, `户编号 MIG-0001 已于 ${TODAY} 办理风险消除，不能再导入为 ${YEAR} 年的监测对象；需要重新纳入监测的，请发起识别程序`],
      [3, `户编号 MIG-0002 是监测对象（${addDays(TODAY, -30)} 纳入），文件中为“否”；结束监测须办理风险消除程序`],
    ]);
    assert.deepEqual((await records()).filter((r) => r.household_no === 'MIG-0001').map((r) => [r.source, r.eliminated_on]), [['migrated', TODAY]]);
  });

  test('the import refuses an identification date in the future, after its year, or for a household that is not monitored', async () => {
    const v = await importFiles(township, files({ identifiedOn: addDays(TODAY, 1), thirdIdentifiedOn: addDays(TODAY, -3) }), false);
    assert.equal(v.import.status, 'invalid');
    const mine = v.problems.filter((p) => p.column === '纳入监测日期').map((p) => [p.row, p.message]);
    assert.deepEqual(mine, [
      [2, `纳入监测日期 ${addDays(TODAY, 1)} 晚于今天`],
      [4, '非监测对象不应填写纳入监测日期'],
    ]);
  });

  test('migration 0013 repairs a database: a monitored status without an open record gets a migrated record', async () => {
    const orphan = await q(`
      insert into households (county_code, household_no, village_code) values ($1, 'MIG-ORPHAN', $2) returning id`, [CC, V1]);
    const hid = Number(orphan.rows[0]!.id);
    await q(`insert into household_year_status (county_code, household_id, year, village_code, status, monitored, monitored_type, risk_types)
             values ($1, $2, $3, $4, 'ordinary', true, 'marginal', '{illness}'), ($1, $2, $5, $4, 'ordinary', true, 'marginal', '{illness,accident}'),
                    ($1, $2, $6, $4, 'ordinary', false, null, '{}')`, [CC, hid, YEAR, V1, YEAR - 1, YEAR - 2]);
    const before = (await records()).length;
    await repairMigratedRecords(env.db.kysely as unknown as Kysely<unknown>);
    const rec = (await records()).filter((r) => r.household_no === 'MIG-ORPHAN');
    // monitored since last year (the year before was not): identified on 31 December of last year
    assert.deepEqual(rec.map((r) => [r.source, r.identified_on, r.monitored_type, r.risk_types, r.import_id]),
      [['migrated', `${YEAR - 1}-12-31`, 'marginal', ['illness'], null]]);
    // idempotent, and households with a record are left alone
    await repairMigratedRecords(env.db.kysely as unknown as Kysely<unknown>);
    assert.equal((await records()).length, before + 1);
    const audit = await q(`select after from audit_log where action = 'migrate' and entity = 'monitoring_records' order by id`);
    assert.deepEqual(audit.rows.map((r) => r.after), [{ migrated: 1 }]);
  });

  test('the demo generator gives every generated 监测户 its migrated record', async () => {
    await generateIntoDatabase(env.db, { region: '211204102000', persons: 1500, seed: 5, replace: true });
    const r = (await q(`
      with latest as (
        select distinct on (s.county_code, s.household_id) s.county_code, s.household_id, s.monitored, s.monitored_type, s.risk_types
          from household_year_status s join households h on h.county_code = s.county_code and h.id = s.household_id
         where h.household_no ~ '^G' order by s.county_code, s.household_id, s.year desc)
      select count(*) filter (where l.monitored)::int as monitored,
             count(*) filter (where l.monitored and m.id is not null and m.source = 'migrated' and m.monitored_type = l.monitored_type
                                and m.risk_types = l.risk_types and m.identified_on <= $1::date)::int as with_record,
             count(*) filter (where not l.monitored and m.id is not null)::int as stray
        from latest l left join monitoring_records m on m.county_code = l.county_code and m.household_id = l.household_id and m.eliminated_on is null`,
    [TODAY])).rows[0]!;
    assert.ok(r.monitored > 10, `monitored ${r.monitored}`);
    assert.deepEqual(r, { monitored: r.monitored, with_record: r.monitored, stray: 0 });
    // --replace removes them with the households
    await generateIntoDatabase(env.db, { region: '211204102000', persons: 1500, seed: 5, replace: true });
    const n = (await q(`select count(*)::int as n from monitoring_records m join households h on h.county_code = m.county_code and h.id = m.household_id
                         where h.household_no ~ '^G'`)).rows[0]!.n;
    assert.equal(n, r.monitored);
  });
});
