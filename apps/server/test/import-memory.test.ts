import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { api, idCheckCharacter, SHEETS } from '@tuopin/domain';
import { currentYearInChina } from '../src/clock';
import { setup, userClient, ZHANGXIANG, type TestClient, type TestEnv, importFinished, uploadImport } from './helpers';

const V1 = '211204101200';
const YEAR = currentYearInChina();

function id(birth: string, seq: number): string {
  const body = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}
const headers = (sheet: keyof typeof SHEETS) => SHEETS[sheet].columns.map((c) => c.header);
const row = (sheet: keyof typeof SHEETS, values: Record<string, string | number | Date>) => SHEETS[sheet].columns.map((c) => values[c.header] ?? null);

const finished = importFinished;
const upload = uploadImport;

/** A workbook with the three sheets in the given order; birth dates as date cells, numbers as numbers. */
async function workbook(order: (keyof typeof SHEETS)[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const sheet of order) {
    const ws = wb.addWorksheet(SHEETS[sheet].title);
    ws.addRow(headers(sheet));
    if (sheet === 'households') {
      ws.addRow(row('households', { 户编号: 'WB-0001', 所在村代码: V1, 户属性: '一般农户', 年度: YEAR, 户状态: '一般农户', 住房安全等级: 'A', 是否饮水安全: '是' }));
      ws.addRow(row('households', { 户编号: 'WB-0002', 所在村代码: V1, 户属性: '一般农户', 年度: YEAR, 户状态: '一般农户', 住房安全等级: 'A', 是否饮水安全: '是' }));
    } else if (sheet === 'members') {
      const person = (no: string, idn: string, name: string, rel: string, sex: string, birth: string) =>
        row('members', { 户编号: no, 证件号码: idn, 姓名: name, 与户主关系: rel, 性别: sex, 出生日期: new Date(`${birth}T00:00:00Z`), 民族: '汉族', 文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险' });
      ws.addRow(person('WB-0001', id('1970-03-04', 211), '钱一', '户主', '男', '1970-03-04'));
      ws.addRow(person('WB-0001', id('1972-05-06', 222), '孙二', '配偶', '女', '1972-05-06'));
      ws.addRow(person('WB-0002', id('1980-07-08', 231), '李三', '户主', '男', '1980-07-08'));
    } else {
      ws.addRow(row('income', { 户编号: 'WB-0001', 年度: YEAR, '其他工资性收入（元）': 24000 }));
      ws.addRow(row('income', { 户编号: 'WB-0002', 年度: YEAR, '其他工资性收入（元）': 18000 }));
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A valid-looking workbook of a few hundred kilobytes whose one cell inflates to `mb` MB of text: the archive is
 * written by hand (stored XML parts, the sheet deflated as a stream) so that the test itself never holds the text.
 */
async function inflatingWorkbook(mb: number): Promise<Buffer> {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const parts: [string, Buffer[]][] = [
    ['[Content_Types].xml', [Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)]],
    ['_rels/.rels', [Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`)]],
    ['xl/workbook.xml', [Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="户信息" sheetId="1" r:id="rId1"/></sheets></workbook>`)]],
    ['xl/_rels/workbook.xml.rels', [Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)]],
    ['xl/sharedStrings.xml', [Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${ns}" count="0" uniqueCount="0"/>`)]],
  ];
  const col = (n: number): string => (n < 26 ? String.fromCharCode(65 + n) : col(Math.floor(n / 26) - 1) + String.fromCharCode(65 + (n % 26)));
  const cells = headers('households').map((h, i) => `<c r="${col(i)}1" t="inlineStr"><is><t>${h}</t></is></c>`).join('');
  const sheetHead = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><sheetData><row r="1">${cells}</row><row r="2"><c r="A2" t="inlineStr"><is><t>`);
  const sheetTail = Buffer.from('</t></is></c></row></sheetData></worksheet>');
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const add = (name: string, data: Buffer, method: number, crc: number, size: number) => {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(n.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(n.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, n);
    out.push(local, n, data);
    offset += local.length + n.length + data.length;
  };
  for (const [name, [data]] of parts) add(name, data!, 0, zlib.crc32(data!), data!.length);
  // the sheet: deflated chunk by chunk
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on('data', (c: Buffer) => compressed.push(c));
  const done = new Promise((r) => deflate.on('end', r));
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  let crc = zlib.crc32(sheetHead);
  let size = sheetHead.length;
  deflate.write(sheetHead);
  for (let i = 0; i < mb; i++) {
    crc = zlib.crc32(chunk, crc);
    size += chunk.length;
    if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
  }
  crc = zlib.crc32(sheetTail, crc);
  size += sheetTail.length;
  deflate.end(sheetTail);
  await done;
  add('xl/worksheets/sheet1.xml', Buffer.concat(compressed), 8, crc, size);
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(parts.length + 1, 8);
  eocd.writeUInt16LE(parts.length + 1, 10);
  eocd.writeUInt32LE(cdBuf.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, cdBuf, eocd]);
}

describe('import memory: streamed workbooks, a parser process with bounded memory', () => {
  let env: TestEnv;
  let township: TestClient;
  before(async () => {
    env = await setup();
    const admin = await env.admin();
    ({ client: township } = await userClient(env, admin, { username: 'mem_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
  });
  after(() => env.close());

  test('a workbook whose members and income come before its households validates as one in the usual order', async () => {
    const usual = await upload(township, [{ name: '顺序.xlsx', content: await workbook(['households', 'members', 'income']) }]);
    assert.equal(usual.import.status, 'validated', JSON.stringify(usual.problems));
    const reversed = await upload(township, [{ name: '倒序.xlsx', content: await workbook(['income', 'members', 'households']) }]);
    assert.equal(reversed.import.status, 'validated', JSON.stringify(reversed.problems));
    for (const r of [usual, reversed]) {
      assert.deepEqual(r.import.counts.households, { new: 2, changed: 0, unchanged: 0 });
      assert.deepEqual(r.import.counts.members, { new: 3, changed: 0, unchanged: 0 });
      assert.deepEqual(r.import.counts.income, { new: 2, changed: 0, unchanged: 0 });
      assert.deepEqual((r.import.counts as { rows?: unknown }).rows, { households: 2, members: 3, income: 2 });
    }
    // committed from the reversed workbook: members in their household's village, birth dates from the date cells
    await township.ok(api.importCommit, { params: { id: reversed.import.id } });
    assert.equal((await finished(township, reversed.import.id)).import.status, 'committed');
    const list = await township.ok(api.householdList, { query: { year: YEAR } });
    const h = list.items.find((x) => x.householdNo === 'WB-0001')!;
    assert.equal(h.size, 2);
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: h.id } });
    assert.deepEqual(d.members.map((m) => m.birthDate).sort(), ['1970-03-04', '1972-05-06']);
  });

  test('a workbook that needs more memory than the parser may take fails its import; the server goes on', async () => {
    const config = env.services.config;
    const before = config.importParserMemoryMb;
    config.importParserMemoryMb = 64;
    try {
      // about 200 KB on the wire, 96 MB of text in one cell once inflated
      const bomb = await inflatingWorkbook(96);
      assert.ok(bomb.length < 1024 * 1024, `${bomb.length}`);
      const r = await upload(township, [{ name: '异常.xlsx', content: bomb }]);
      assert.equal(r.import.status, 'failed');
      assert.match(r.import.message ?? '', /导入文件过大或格式异常/);
      assert.match(r.import.message ?? '', /没有写入任何数据/);
    } finally {
      config.importParserMemoryMb = before;
    }
    // the API answers and the job queue still validates
    const ok = await upload(township, [{ name: '顺序.xlsx', content: await workbook(['households', 'members', 'income']) }]);
    assert.notEqual(ok.import.status, 'failed', ok.import.message ?? '');
    assert.ok((await township.ok(api.importList, {})).length >= 2);
  });

  test('with a tiny memory limit every import fails with the same message, and the next one with enough memory passes', async () => {
    const config = env.services.config;
    const before = config.importParserMemoryMb;
    config.importParserMemoryMb = 4;
    try {
      const r = await upload(township, [{ name: '户信息.csv', content: `\uFEFF${headers('households').join(',')}\r\nWB-0100,${V1}\r\n` }]);
      assert.equal(r.import.status, 'failed');
      assert.match(r.import.message ?? '', /导入文件过大或格式异常/);
    } finally {
      config.importParserMemoryMb = before;
    }
    const r = await upload(township, [{ name: '户信息.csv', content: `\uFEFF${headers('households').join(',')}\r\nWB-0100,${V1}\r\n` }]);
    assert.equal(r.import.status, 'invalid');
    assert.ok(r.problems.length > 0);
  });
});
