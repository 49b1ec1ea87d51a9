/**
 * The members export from the household list, end to end in a real browser: the export menu offers the household
 * list and the members (成员名单), each as Excel and CSV; the downloaded members CSV, read as Excel reads it,
 * holds the filtered households' members with their ID numbers as text (not 2.11204E+17); the XLSX has the same.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/member-export.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { ADMIN_PASSWORD, currentYearInChina, login, newContext, postJson, shot, testIdNumber, watchErrors, withBrowser } from './helpers';
import { openCsv, shown } from '../../server/test/spreadsheet';

const VILLAGE = '211204101200'; // 大孟屯村, 张相镇, 清河区
const STAMP = Date.now() % 100_000;
const HOUSEHOLD_NO = `ME-${String(STAMP).padStart(5, '0')}`;
const YEAR = currentYearInChina();
const idNumber = (birth: string, male: boolean, k: number) => testIdNumber(birth, male, k, STAMP * 7 + 3);

withBrowser();

test('members export: menu, CSV download read as a spreadsheet reads it (ID numbers as text), XLSX', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const headId = idNumber('1968-02-03', true, 1);
  const wifeId = idNumber('1970-11-20', false, 2);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const person = (name: string, id: string, male: boolean, birth: string) => ({
      idNumber: id, name, sex: male ? 'male' : 'female', birthDate: birth, ethnicity: '01', education: 'junior', schoolStatus: 'not_in_school',
      health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident',
    });
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: HOUSEHOLD_NO, villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness' },
      head: person('郑永福', headId, true, '1968-02-03'),
      reason: '端到端测试',
    });
    await postJson(ctx, `/api/households/211204/${String(created.id)}/members`, {
      member: { ...person('吴桂芝', wifeId, false, '1970-11-20'), relation: 'spouse' }, kind: 'marriage_in', date: '2010-05-01', reason: '结婚',
    });

    await page.goto(`/households?q=${encodeURIComponent(HOUSEHOLD_NO)}`);
    await page.getByTestId('households-total').filter({ hasText: '共 1 户' }).waitFor();
    await page.getByTestId('households-export').click();
    await page.getByTestId('members-export-csv').waitFor();
    assert.equal(await page.getByTestId('members-export-csv').innerText(), '导出成员名单 CSV');
    assert.equal(await page.getByTestId('members-export-xlsx').innerText(), '导出成员名单 Excel（XLSX）');
    assert.equal(await page.getByTestId('households-export-csv').innerText(), '导出农户列表 CSV');
    await shot(page, 'member-export-01-menu');

    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('members-export-csv').click()]);
    assert.match(csvDownload.suggestedFilename(), new RegExp(`^成员名单-.+-${YEAR}\\.csv$`));
    const text = readFileSync((await csvDownload.path())!, 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'UTF-8 with BOM, for Excel');
    const sheet = openCsv(text);
    assert.deepEqual(sheet.rows.map((r) => [shown(sheet.cell(r, '户编号')), shown(sheet.cell(r, '姓名')), shown(sheet.cell(r, '与户主关系'))]), [
      [HOUSEHOLD_NO, '郑永福', '户主'], [HOUSEHOLD_NO, '吴桂芝', '配偶'],
    ]);
    for (const [r, id] of [[sheet.rows[0]!, headId], [sheet.rows[1]!, wifeId]] as const) {
      assert.deepEqual(sheet.cell(r, '证件号码'), { kind: 'text', value: id }, 'the full ID number, as text');
    }
    assert.deepEqual(sheet.cell(sheet.rows[0]!, '村代码'), { kind: 'text', value: VILLAGE });

    await page.getByTestId('households-export').click();
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('members-export-xlsx').click()]);
    assert.match(xlsxDownload.suggestedFilename(), /^成员名单-.+\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await xlsxDownload.path())!) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('成员名单')!;
    assert.equal(ws.rowCount, 3);
    assert.equal(ws.getRow(2).getCell(6).value, headId);
    assert.equal(ws.getRow(3).getCell(4).value, '吴桂芝');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
