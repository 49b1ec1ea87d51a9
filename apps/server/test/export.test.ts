/**
 * Exports as a spreadsheet opens them: every CSV export of the server read back field by field with the typing of
 * Excel and WPS (spreadsheet.ts) — ID numbers, village codes and phone numbers stay the text they are — and the
 * members export (成员名单) with the household list's filters, as CSV and XLSX, masked per role, scoped, logged.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { api, idCheckCharacter, type QualityRun } from '@tuopin/domain';
import { currentYearInChina } from '../src/clock';
import { csvCell } from '../src/http/csv';
import { setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { openCsv, parseCsv, shown, spreadsheetValue, type SheetValue } from './spreadsheet';

const V1 = '211204101200';
const V2 = '211204101202';
const YEAR = currentYearInChina();

function id(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}
const HEAD1 = id('1958-04-12', 111); // odd 17th digit: male
const WIFE1 = id('1960-09-30', 122);
const HEAD2 = id('1975-01-05', 131);
const CHILD2 = id(`${YEAR - 12}-06-01`, 142);

const isText = (v: SheetValue, expected: string) => {
  assert.equal(v.kind, 'text', `expected text ${expected}, a spreadsheet reads ${JSON.stringify(v)}`);
  assert.equal(v.value, expected);
};

describe('exports as a spreadsheet reads them', () => {
  let env: TestEnv;
  let township: TestClient;
  let village: TestClient;
  let admin: TestClient;

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: township } = await userClient(env, admin, { username: 'exp_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: village } = await userClient(env, admin, { username: 'exp_v1', role: 'village_officer', regionCode: V1 }));
    await sql`update users set phone = '13812345678' where username = 'exp_zx'`.execute(env.db.kysely);
    // two households through the API (as a clerk enters them)
    const member = (name: string, idNumber: string, male: boolean, birthDate: string, extra: Record<string, unknown> = {}) => ({
      idNumber, name, sex: male ? 'male' : 'female', birthDate, ethnicity: '01', education: 'junior', schoolStatus: 'not_in_school', health: ['healthy'],
      labour: 'ordinary', medicalInsurance: 'resident', ...extra,
    });
    const h1 = await township.ok(api.householdCreate, {
      body: {
        household: { householdNo: '0012', villageCode: V1, attribute: 'general_poor', identifiedYear: 2015, mainCause: 'illness', housingRating: 'B', phone: '13900001111' },
        head: member('王大山', HEAD1, true, '1958-04-12', { labour: 'weak', phone: '13900002222' }),
        reason: '测试',
      } as never,
    });
    await township.ok(api.memberAdd, {
      params: { countyCode: '211204', id: h1.id },
      body: { member: { ...member('李秀兰', WIFE1, false, '1960-09-30', { medicalInsurance: 'none' }), relation: 'spouse' }, kind: 'marriage_in', date: '1980-05-01', reason: '结婚' } as never,
    });
    const h2 = await township.ok(api.householdCreate, {
      body: {
        household: { householdNo: 'EX-0002', villageCode: V2, attribute: 'none', identifiedYear: 2016, mainCause: 'illness', housingRating: 'C' },
        head: member('赵铁柱', HEAD2, true, '1975-01-05'),
        reason: '测试',
      } as never,
    });
    await township.ok(api.memberAdd, {
      params: { countyCode: '211204', id: h2.id },
      body: {
        member: { ...member('赵小花', CHILD2, false, `${YEAR - 12}-06-01`, { education: null, schoolStatus: 'junior_7', labour: 'none' }), relation: 'daughter' },
        kind: 'birth', date: `${YEAR - 12}-06-01`, reason: '出生',
      } as never,
    });
  });
  after(() => env.close());

  test('the reader: a bare 18-digit number is what Excel makes of it (2.11204E+17, last digits lost); ="…" is the text', () => {
    const bare = spreadsheetValue(HEAD1);
    assert.equal(bare.kind, 'number');
    assert.notEqual(String(bare.value), HEAD1);
    isText(spreadsheetValue(parseCsv(`${csvCell(HEAD1)}\r\n`)[0]![0]!), HEAD1);
    isText(spreadsheetValue(parseCsv(`${csvCell('0012')}\r\n`)[0]![0]!), '0012');
    assert.deepEqual(parseCsv(`${csvCell(42)},${csvCell('=1+1')},${csvCell('-3')}\r\n`)[0]!.map(spreadsheetValue), [
      { kind: 'number', value: 42 }, { kind: 'text', value: "'=1+1" }, { kind: 'text', value: '-3' },
    ]);
  });

  test('household export: ID numbers, village codes, phones and household numbers stay text; numbers stay numbers', async () => {
    const r = await township.call(api.householdExport, { query: { year: YEAR } });
    assert.equal(r.status, 200);
    const sheet = openCsv(String(r.body));
    const h1 = sheet.rows.find((x) => shown(sheet.cell(x, '户编号')) === '0012')!;
    assert.ok(h1, 'the household number keeps its leading zeros');
    isText(sheet.cell(h1, '户编号'), '0012');
    isText(sheet.cell(h1, '户主证件号码'), HEAD1);
    isText(sheet.cell(h1, '村代码'), V1);
    isText(sheet.cell(h1, '联系电话'), '13900001111');
    assert.deepEqual(sheet.cell(h1, '人口'), { kind: 'number', value: 2 });
    isText(sheet.cell(h1, '户属性'), '一般贫困户');
  });

  test('members export: one line per current member with the list filters, ID numbers as text, masked per role, scoped, logged', async () => {
    const r = await township.call(api.memberExport, { query: { year: YEAR } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/csv/);
    assert.match(decodeURIComponent(String(r.headers['content-disposition'])), /成员名单-张相镇-\d{4}\.csv/);
    const sheet = openCsv(String(r.body));
    assert.deepEqual(sheet.header.slice(0, 10), ['户编号', '所在村', '村代码', '姓名', '证件类型', '证件号码', '与户主关系', '性别', '出生日期', '年龄']);
    assert.deepEqual(sheet.rows.map((x) => [shown(sheet.cell(x, '户编号')), shown(sheet.cell(x, '姓名')), shown(sheet.cell(x, '与户主关系'))]), [
      ['0012', '王大山', '户主'], ['0012', '李秀兰', '配偶'], ['EX-0002', '赵铁柱', '户主'], ['EX-0002', '赵小花', '之女'],
    ]);
    const [wang, li, , girl] = sheet.rows;
    isText(sheet.cell(wang!, '证件号码'), HEAD1);
    isText(sheet.cell(girl!, '证件号码'), CHILD2);
    isText(sheet.cell(wang!, '村代码'), V1);
    isText(sheet.cell(wang!, '联系电话'), '13900002222');
    isText(sheet.cell(wang!, '证件类型'), '居民身份证');
    isText(sheet.cell(girl!, '在校生状况'), '七年级');
    isText(sheet.cell(li!, '基本医疗保险'), '未参保');
    assert.equal(sheet.cell(girl!, '年龄').kind, 'number');
    assert.ok([11, 12].includes((sheet.cell(girl!, '年龄') as { value: number }).value));

    // the household list's filters: a search, a village, dangerous houses
    const search = openCsv(String((await township.call(api.memberExport, { query: { year: YEAR, q: '0012' } })).body));
    assert.deepEqual(search.rows.map((x) => shown(search.cell(x, '姓名'))), ['王大山', '李秀兰']);
    const v2 = openCsv(String((await township.call(api.memberExport, { query: { year: YEAR, regionCode: V2 } })).body));
    assert.deepEqual(v2.rows.map((x) => shown(v2.cell(x, '姓名'))), ['赵铁柱', '赵小花']);
    const dangerous = openCsv(String((await township.call(api.memberExport, { query: { year: YEAR, dangerousHouse: true } })).body));
    assert.deepEqual(dangerous.rows.map((x) => shown(dangerous.cell(x, '户编号'))), ['EX-0002', 'EX-0002']);

    // a village officer may not reveal: masked; another township: refused before anything is sent
    const vil = openCsv(String((await village.call(api.memberExport, { query: { year: YEAR } })).body));
    assert.deepEqual(vil.rows.map((x) => shown(vil.cell(x, '姓名'))), ['王大山', '李秀兰']);
    assert.match(shown(vil.cell(vil.rows[0]!, '证件号码')), /^211204\*{8}\w{4}$/);
    assert.doesNotMatch(shown(vil.cell(vil.rows[0]!, '联系电话')), /13900002222/);
    assert.equal((await township.call(api.memberExport, { query: { regionCode: YANGMULINZI } })).status, 404);

    const audit = (await sql<{ after: { format: string; list: string; fields: string[] } }>`
      select after from audit_log where action = 'export' and actor_name = 'exp_zx' and after->>'list' = 'members' order by id`.execute(env.db.kysely)).rows;
    assert.ok(audit.length >= 4);
    assert.deepEqual({ format: audit[0]!.after.format, fields: audit[0]!.after.fields }, { format: 'csv', fields: ['idNumber', 'phone'] });
  });

  test('members export as XLSX: the same rows, ID numbers as text cells', async () => {
    const r = await township.raw('GET', `/api/households/members.xlsx?year=${YEAR}`);
    assert.equal(r.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.raw as never);
    const ws = wb.getWorksheet('成员名单')!;
    assert.equal(ws.getCell('F1').value, '证件号码');
    assert.equal(ws.rowCount, 1 + 4);
    assert.equal(ws.getCell('F2').value, HEAD1);
    assert.equal(ws.getCell('F2').type, ExcelJS.ValueType.String);
    assert.equal(ws.getCell('A2').value, '0012');
    assert.equal(typeof ws.getCell('J2').value, 'number');
  });

  test('the other CSV exports: data-quality findings and users keep codes and phones as text', async () => {
    const started = await township.call(api.qualityRunStart, { body: { year: YEAR } });
    assert.equal(started.status, 201);
    let run: QualityRun;
    for (let i = 0; ; i++) {
      run = await township.ok(api.qualityRunGet, { params: { id: (started.body as QualityRun).id } });
      if (run.status === 'done' || run.status === 'failed') break;
      if (i > 300) throw new Error('run did not finish');
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(run.status, 'done');
    const findings = openCsv(String((await township.call(api.qualityFindingsCsv, { params: { id: run.id } })).body));
    const uninsured = findings.rows.find((x) => shown(findings.cell(x, '成员')) === '李秀兰');
    assert.ok(uninsured, 'the member without medical insurance is a finding');
    isText(findings.cell(uninsured, '村代码'), V1);
    isText(findings.cell(uninsured, '户编号'), '0012');

    const users = openCsv(String((await admin.call(api.userExport)).body));
    const zx = users.rows.find((x) => shown(users.cell(x, '用户名')) === 'exp_zx')!;
    isText(users.cell(zx, '区划代码'), ZHANGXIANG);
    isText(users.cell(zx, '手机号'), '13812345678');
    for (const s of [findings, users]) {
      for (const x of s.rows) for (const v of x) assert.notEqual(v.kind, 'formula', 'no cell runs as a formula');
    }
  });
});
