import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { api, idCheckCharacter, SHEETS, zhText } from '@tuopin/domain';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateToCsv } from '../src/generate/index';
import { setup, userClient, ZHANGXIANG, type TestClient, type TestEnv, importFinished, uploadImport } from './helpers';
import { currentYearInChina } from '../src/clock';

const V1 = '211204101200';
const V2 = '211204101202';
const YEAR = currentYearInChina();

function id(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}
const csv = (rows: string[][]) => `\uFEFF${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')}\r\n`;
const headers = (sheet: keyof typeof SHEETS) => SHEETS[sheet].columns.map((c) => c.header);
function row(sheet: keyof typeof SHEETS, values: Record<string, string>): string[] {
  return SHEETS[sheet].columns.map((c) => values[c.header] ?? '');
}

const HEAD1 = id('1958-04-12', 111); // odd 17th digit: male
const WIFE1 = id('1960-09-30', 122); // even: female
const HEAD2 = id('1975-01-05', 131);
const CHILD2 = id('2012-06-01', 142);

function files(opts: { badId?: boolean; dupId?: boolean } = {}) {
  const households = csv([
    headers('households'),
    row('households', { 户编号: 'QH-0001', 所在村代码: V1, 户属性: '一般贫困户', 识别年度: '2015', 脱贫年度: '2019', 主要致贫原因: '因病', 住房安全等级: 'B', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '已脱贫户' }),
    row('households', { 户编号: 'QH-0002', 所在村代码: V2, 户属性: '低保贫困户', 识别年度: '2016', 脱贫年度: '2020', 主要致贫原因: '因残', 住房安全等级: 'C', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '已脱贫户', 是否监测对象: '是', 监测对象类别: '脱贫不稳定户', 风险类型: '因残、缺劳动力' }),
  ]);
  const person = (no: string, idn: string, name: string, rel: string, sex: string, birth: string, extra: Record<string, string> = {}) =>
    row('members', { 户编号: no, 证件号码: idn, 姓名: name, 与户主关系: rel, 性别: sex, 出生日期: birth, 民族: '汉族', 文化程度: '小学', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险', ...extra });
  const members = csv([
    headers('members'),
    person('QH-0001', HEAD1, '王大山', '户主', '男', '1958-04-12', { 健康状况: '长期慢性病', 劳动技能: '弱劳动力或半劳动力' }),
    person('QH-0001', opts.badId ? `${WIFE1.slice(0, 17)}${WIFE1[17] === '0' ? '1' : '0'}` : WIFE1, '李秀兰', '配偶', '女', '1960-09-30'),
    person('QH-0002', HEAD2, '赵铁柱', '户主', '男', '1975-01-05', { 健康状况: '残疾', 残疾类别: '肢体残疾', 残疾等级: '二级', 劳动技能: '弱劳动力或半劳动力' }),
    opts.dupId
      ? person('QH-0002', HEAD2, '赵铁柱', '其他', '男', '1975-01-05')
      : person('QH-0002', CHILD2, '赵小花', '之女', '女', '2012-06-01', { 文化程度: '', 在校生状况: '七年级', 劳动技能: '无劳动力' }),
  ]);
  const income = csv([
    headers('income'),
    row('income', { 户编号: 'QH-0001', 年度: String(YEAR), '其他工资性收入（元）': '6000', '养老金或离退休金（元）': '2400', '生产经营性收入（元）': '-300', '生产经营性支出（元）': '500' }),
    row('income', { 户编号: 'QH-0002', 年度: String(YEAR), '最低生活保障金（元）': '4800', '公益性岗位收入（元）': '3000' }),
  ]);
  return [
    { name: '户信息.csv', content: households },
    { name: '成员信息.csv', content: members },
    { name: '收入信息.csv', content: income },
  ];
}

const finished = importFinished;
const upload = uploadImport;

describe('registry import', () => {
  let env: TestEnv;
  let township: TestClient;
  const households = async () => (await sql<{ n: number }>`select count(*)::int as n from households`.execute(env.db.kysely)).rows[0]!.n;

  before(async () => {
    env = await setup();
    const admin = await env.admin();
    ({ client: township } = await userClient(env, admin, { username: 'imp_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
  });
  after(() => env.close());

  test('the XLSX template has the three sheets with Chinese headers and dropdowns', async () => {
    const r = await township.raw('GET', '/api/imports/template.xlsx');
    assert.equal(r.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.raw as never);
    assert.deepEqual(wb.worksheets.map((w) => w.name).filter((n) => n !== '代码表'), ['说明', '户信息', '成员信息', '收入信息']);
    const ws = wb.getWorksheet('成员信息')!;
    assert.equal(ws.getCell('C1').value, '证件号码');
    const csvT = await township.raw('GET', '/api/imports/template/income');
    assert.ok(String(csvT.body).includes('户编号,年度,公益性岗位收入（元）'));
  });

  test('one bad row: every error named by sheet, row and column, and nothing written', async () => {
    const r = await upload(township, files({ badId: true }));
    assert.equal(r.import.status, 'invalid');
    const idErr = r.problems.find((p) => p.column === '证件号码' && p.severity === 'error')!;
    assert.equal(idErr.sheet, '成员信息');
    assert.equal(idErr.row, 3);
    assert.match(idErr.message, /校验/);
    assert.equal(await households(), 0);
    const commit = await township.call(api.importCommit, { params: { id: r.import.id } });
    assert.equal(commit.status, 409);
    const xlsx = await township.raw('GET', `/api/imports/${r.import.id}/problems.xlsx`);
    assert.equal(xlsx.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as never);
    const sheet = wb.worksheets[0]!;
    assert.equal(sheet.getCell('A2').value, '成员信息');
    assert.equal(sheet.getCell('B2').value, 3);
  });

  test('duplicate ID numbers inside the file are errors', async () => {
    const r = await upload(township, files({ dupId: true }));
    assert.equal(r.import.status, 'invalid');
    assert.ok(r.problems.some((p) => p.sheet === '成员信息' && p.row === 5 && /重复/.test(p.message)), JSON.stringify(r.problems));
    // the set-based check's code and params, built in SQL (the ID number masked in both)
    const dup = r.problems.find((p) => p.sheet === '成员信息' && p.row === 5 && p.code === 'import.check.idDuplicate');
    assert.ok(dup, JSON.stringify(r.problems));
    assert.equal(typeof dup.params?.firstRow, 'number');
    assert.match(String(dup.params?.idNumber), /\*{4}/);
    assert.equal(dup.message, zhText('import.check.idDuplicate', { idNumber: String(dup.params!.idNumber), firstRow: dup.params!.firstRow as number }));
    assert.equal(await households(), 0);
  });

  test('a good file: dry-run counts, commit, then re-importing changes nothing', async () => {
    const r = await upload(township, files());
    assert.equal(r.import.status, 'validated', JSON.stringify(r.problems));
    assert.deepEqual(r.import.counts.households, { new: 2, changed: 0, unchanged: 0 });
    assert.deepEqual(r.import.counts.members, { new: 4, changed: 0, unchanged: 0 });
    assert.deepEqual(r.import.counts.income, { new: 2, changed: 0, unchanged: 0 });
    assert.equal(await households(), 0);
    await township.ok(api.importCommit, { params: { id: r.import.id } });
    const done = await finished(township, r.import.id);
    assert.equal(done.import.status, 'committed');
    const list = await township.ok(api.householdList, { query: { year: YEAR } });
    assert.deepEqual(list.items.map((h) => [h.householdNo, h.size, h.perCapitaNetIncome]).sort(), [['QH-0001', 2, 3800], ['QH-0002', 2, 3900]]);
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: list.items.find((h) => h.householdNo === 'QH-0002')!.id } });
    assert.deepEqual(d.statuses[0]!.riskTypes, ['disability', 'lack_labour']);
    assert.equal(d.members.find((m) => m.name === '赵小花')!.schoolStatus, 'junior_7');
    const audit = (await sql<{ action: string; n: number }>`select action, count(*)::int as n from audit_log where entity in ('imports', 'households', 'members') group by action`.execute(env.db.kysely)).rows;
    assert.deepEqual(audit, [{ action: 'import', n: 1 }]);

    const again = await upload(township, files());
    assert.equal(again.import.status, 'validated');
    assert.deepEqual(again.import.counts.households, { new: 0, changed: 0, unchanged: 2 });
    assert.deepEqual(again.import.counts.members, { new: 0, changed: 0, unchanged: 4 });
    assert.deepEqual(again.import.counts.income, { new: 0, changed: 0, unchanged: 2 });
    const before = (await sql<{ t: string }>`select max(updated_at)::text as t from members`.execute(env.db.kysely)).rows[0]!.t;
    await township.ok(api.importCommit, { params: { id: again.import.id } });
    assert.equal((await finished(township, again.import.id)).import.status, 'committed');
    assert.equal(await households(), 2);
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from members`.execute(env.db.kysely)).rows[0]!.n, 4);
    assert.equal((await sql<{ t: string }>`select max(updated_at)::text as t from members`.execute(env.db.kysely)).rows[0]!.t, before);
  });

  test('bad files get a clear message and write nothing', async () => {
    const garbage = Buffer.alloc(256 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 256;
    // each with the code of its problem (nested in import.inFile) or of the import's state
    const cases: [string, { name: string; content: Buffer | string }[], RegExp, string][] = [
      ['garbage', [{ name: 'random.bin', content: garbage }], /不是电子表格文件/, 'import.file.notSpreadsheet'],
      ['empty', [{ name: 'empty.csv', content: '' }], /文件是空的/, 'import.file.empty'],
      ['wrong headers', [{ name: 'x.csv', content: '姓名,年龄\n张三,30\n' }], /表头不符合模板/, 'import.file.unknownHeader'],
      ['old xls', [{ name: 'old.xls', content: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]) }], /另存为 \.xlsx/, 'import.file.xls'],
      ['broken xlsx', [{ name: 'broken.xlsx', content: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), garbage]) }], /损坏/, 'import.file.brokenXlsx'],
      ['header only', [{ name: '户信息.csv', content: csv([headers('households')]) }], /没有数据行/, 'import.state.noRows'],
      ['unclosed quote', [{ name: '户信息.csv', content: `${csv([headers('households')])}QH-0010,"${V1}\r\n` }], /CSV 文件格式错误：第 2 行：引号没有闭合/, 'import.file.csvSyntax'],
      // the same after the first batch of rows: found while validating, not while reading the header
      ['unclosed quote later', [{ name: '户信息.csv', content: `${csv([headers('households')])}${'QH-0011\r\n'.repeat(1500)}QH-0010,"${V1}\r\n` }], /CSV 文件格式错误：第 1502 行：引号没有闭合/, 'import.state.csvSyntax'],
    ];
    for (const [what, f, re, code] of cases) {
      const r = await upload(township, f);
      assert.equal(r.import.status, 'invalid', what);
      assert.match(`${r.import.message} ${r.problems.map((p) => p.message).join(' ')}`, re, what);
      const codes = [r.import.messageCode, ...r.problems.flatMap((p) => [p.code, (p.params?.problem as { code?: string } | undefined)?.code])];
      assert.ok(codes.includes(code), `${what}: ${JSON.stringify({ import: r.import, problems: r.problems })}`);
    }
    // merged cells and formulas in a workbook
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('户信息');
    ws.addRow(headers('households'));
    ws.addRow(row('households', { 户编号: 'QH-0009', 所在村代码: V1, 年度: String(YEAR), 户状态: '已脱贫户' }));
    ws.mergeCells('C2:D2');
    ws.getCell('G2').value = { formula: '2010+5', result: 2015 };
    const r = await upload(township, [{ name: '模板.xlsx', content: Buffer.from(await wb.xlsx.writeBuffer()) }]);
    assert.equal(r.import.status, 'invalid');
    const text = r.problems.map((p) => p.message).join(' ');
    assert.match(text, /合并单元格 C2:D2/);
    assert.match(text, /G2 含有公式/);
    const nested = r.problems.map((p) => p.params?.problem as { code: string; params: Record<string, unknown> } | undefined);
    assert.ok(r.problems.every((p) => p.code === 'import.inFile' && p.params?.file === '模板.xlsx'), JSON.stringify(r.problems));
    assert.ok(nested.some((n) => n?.code === 'import.file.mergedCells' && n.params.range === 'C2:D2'), JSON.stringify(r.problems));
    assert.ok(nested.some((n) => n?.code === 'import.file.formula' && n.params.address === 'G2'), JSON.stringify(r.problems));
    assert.equal(await households(), 2);
  });

  test('a village outside the scope is refused', async () => {
    const f = files();
    f[0]!.content = csv([headers('households'), row('households', { 户编号: 'QH-0100', 所在村代码: '211204102200', 年度: String(YEAR), 户状态: '一般农户', 户属性: '一般农户' })]);
    const r = await upload(township, [f[0]!]);
    assert.equal(r.import.status, 'invalid');
    assert.ok(r.problems.some((p) => p.column === '所在村代码' && /不在您的管辖范围/.test(p.message)), JSON.stringify(r.problems));
    assert.ok(r.problems.some((p) => p.code === 'import.check.villageUnknown' && p.params?.villageCode === '211204102200'), JSON.stringify(r.problems));
  });

  test('a failure half-way through the commit leaves nothing written', async () => {
    const f = files();
    f[0]!.content = csv([
      headers('households'),
      row('households', { 户编号: 'QH-0003', 所在村代码: V1, 户属性: '一般农户', 年度: String(YEAR), 户状态: '一般农户' }),
    ]);
    f[1]!.content = csv([headers('members'), row('members', { 户编号: 'QH-0003', 证件号码: id('1980-02-02', 151), 姓名: '孙强', 与户主关系: '户主', 性别: '男', 出生日期: '1980-02-02', 民族: '汉族', 文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险' })]);
    f[2]!.content = csv([headers('income'), row('income', { 户编号: 'QH-0003', 年度: String(YEAR), '其他工资性收入（元）': '30000' })]);
    const r = await upload(township, f);
    assert.equal(r.import.status, 'validated', JSON.stringify(r.problems));
    await sql`create function fail_income() returns trigger language plpgsql as $$ begin raise exception 'disk full'; end $$`.execute(env.db.kysely);
    await sql`create trigger fail_income before insert on income_records for each row execute function fail_income()`.execute(env.db.kysely);
    try {
      await township.ok(api.importCommit, { params: { id: r.import.id } });
      const done = await finished(township, r.import.id);
      assert.equal(done.import.status, 'failed');
      assert.match(done.import.message ?? '', /回滚/);
      assert.equal(await households(), 2);
      assert.equal((await sql<{ n: number }>`select count(*)::int as n from persons`.execute(env.db.kysely)).rows[0]!.n, 4);
    } finally {
      await sql`drop trigger fail_income on income_records`.execute(env.db.kysely);
    }
  });

  test('generated CSV files import as they are', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-gen-'));
    try {
      const g = await generateToCsv(env.db, { region: '211204101', persons: 300, seed: 5, dir });
      const names = ['households.csv', 'members.csv', 'income.csv'];
      const r = await upload(township, names.map((n) => ({ name: n, content: fs.readFileSync(path.join(dir, n)) })));
      assert.equal(r.import.errorCount, 0, JSON.stringify(r.problems.filter((p) => p.severity === 'error').slice(0, 5)));
      assert.equal(r.import.counts.households!.new, g.households);
      assert.equal(r.import.counts.members!.new, g.persons);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
