/**
 * Message codes of what imports and data-quality checks store (issue 11 item 5, migration 0022): in English the web
 * shows an import problem (a whole-file check done in SQL: a member of an unknown household), its sheet, the
 * import's state, and a household's data-quality finding (a member without medical insurance) from the domain's
 * catalogue by code and params — not the server's Chinese text.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/messages-import-quality.e2e.ts
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memberFinding, msg, renderMessage, SHEET_LABELS } from '@tuopin/domain';
import { ADMIN_PASSWORD, currentYearInChina, importSheets, login, newContext, sheetCsv, shot, testIdNumber, watchErrors, withBrowser } from './helpers';

withBrowser();

const VILLAGE = '211204101202'; // a village of 张相镇, 清河区 (not the township the quality e2e counts)
const YEAR = currentYearInChina();
const STAMP = Date.now() % 100_000;
const householdNo = (n: number) => `MSG-${String(STAMP).padStart(5, '0')}-${n}`;
const born = (age: number) => `${YEAR - age}-01-01`;

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tuopin-msg-e2e-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const member = (no: string, name: string, relation: string, age: number, male: boolean, k: number, insurance = '城乡居民基本医疗保险') => ({
  户编号: no, 证件类型: '居民身份证', 证件号码: testIdNumber(born(age), male, k, STAMP * 5), 姓名: name, 与户主关系: relation,
  性别: male ? '男' : '女', 出生日期: born(age), 民族: '汉族', 文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康',
  劳动技能: '普通劳动力', 基本医疗保险: insurance,
});

test('an import problem, the import state and a quality finding are shown in English from the catalogue', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    // A household whose spouse has no basic medical insurance (the quality check medical_insurance_not_one).
    await importSheets(page.request, {
      households: [{
        户编号: householdNo(1), 所在村代码: VILLAGE, 户属性: '一般贫困户', 识别年度: '2016', 脱贫年度: '2019', 主要致贫原因: '因病',
        年度: String(YEAR), 户状态: '已脱贫户', 是否监测对象: '否',
      }],
      members: [member(householdNo(1), '邵文华', '户主', 52, true, 1), member(householdNo(1), '孟秀芝', '配偶', 50, false, 2, '未参保')],
    });
    await page.evaluate(() => localStorage.setItem('tuopin.lang', 'en'));

    // ---- an import problem found by a set-based check: a member of a household in neither the file nor the registry
    const unknown = householdNo(404);
    const file = join(dir, '成员信息.csv');
    writeFileSync(file, sheetCsv('members', [member(unknown, '任国强', '户主', 40, true, 3)]));
    await page.goto('/imports');
    await page.getByTestId('imports-page').waitFor();
    await page.getByTestId('import-next').click(); // past the templates, to the upload
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles([file]);
    await page.getByTestId('import-upload').getByText('成员信息.csv').waitFor();
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="import-result"][data-status="invalid"]').waitFor({ timeout: 60_000 });
    const problem = page.getByTestId('problem-row-item').first();
    await problem.waitFor();
    const expected = renderMessage(msg('import.check.householdUnknown', { householdNo: unknown }), 'en')!;
    assert.match(expected, /^The household number MSG-\S+ is neither in the household sheet nor in the registry/);
    assert.equal((await problem.getByTestId('problem-message').innerText()).trim(), expected);
    assert.equal((await problem.getByTestId('problem-sheet').innerText()).trim(), SHEET_LABELS.members.en);
    await shot(page, 'messages-import-english');

    // ---- the household's live data-quality finding, on its page
    const list = await page.request.get(`/api/households?q=${encodeURIComponent(householdNo(1))}`);
    assert.equal(list.status(), 200);
    const item = ((await list.json()) as { items: { id: number; countyCode: string; householdNo: string }[] }).items.find((h) => h.householdNo === householdNo(1))!;
    assert.ok(item, 'the seeded household is listed');
    await page.goto(`/households/${item.countyCode}/${item.id}`);
    await page.getByTestId('household-page').waitFor();
    const alert = page.getByTestId('household-quality');
    await alert.waitFor();
    const finding = alert.locator('[data-testid="quality-finding"][data-check="medical_insurance_not_one"]').getByTestId('quality-finding-message');
    await finding.waitFor();
    const english = renderMessage(memberFinding('孟秀芝', msg('quality.finding.medicalInsuranceNone')), 'en')!;
    assert.equal(english, '孟秀芝: No basic medical insurance');
    assert.equal((await finding.innerText()).trim(), english);
    await shot(page, 'messages-quality-english');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
