/**
 * Household forms and export, end to end in a real browser:
 * a household is created through the API → found on the list → opened → a member is edited (a wrong ID number
 * shows a Chinese message while typing, the corrected one saves) → the change is in the history →
 * a new household is created from the list page → the filtered list is exported as XLSX → the pages and forms
 * at phone width (375 px).
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/household.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { ADMIN_PASSWORD, BASE_URL, chooseOption as choose, login, newContext, pickRegion, SCREENSHOT_DIR, shot, watchErrors, testIdNumber, withBrowser, postJson } from './helpers';

const VILLAGE = '211204101200'; // 大孟屯村, 张相镇, 清河区
const STAMP = Date.now() % 100_000;
const householdNo = (n: number) => `HH-${String(STAMP).padStart(5, '0')}-${n}`;
const PHONE_375 = { width: 375, height: 812 };

withBrowser();

/** A valid ID of 清河区 for the birth date; `k` makes it unique in this run. */
const idNumber = (birth: string, male: boolean, k: number) => testIdNumber(birth, male, k, STAMP * 5);
const breakCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

const adult = (name: string, birth: string, male: boolean, k: number, extra: Record<string, unknown> = {}) => ({
  idNumber: idNumber(birth, male, k), name, sex: male ? 'male' : 'female', birthDate: birth, ethnicity: '01', education: 'junior',
  schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', ...extra,
});

/** JSON API call in the browser context (its session cookie and CSRF token). */
/** A screenshot of what the viewport shows (a drawer over a long page is lost in a full-page shot). */
async function viewShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-view.png`) });
}

test('household forms: edit a member with live validation, history, create from the list, XLSX export, phone width', { timeout: 240_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const spouse = adult('钱秀珍', '1972-03-15', false, 2, { relation: 'spouse' });
  const spouseNewId = idNumber('1972-03-15', false, 7);

  try {
    // ---- 1. data through the API: a household with its head, and the spouse as a member -----------
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: householdNo(1), villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', phone: '13812345678' },
      head: adult('孙国强', '1970-06-01', true, 1),
      reason: '端到端测试',
    });
    await postJson(ctx, `/api/households/211204/${String(created.id)}/members`, { member: spouse, kind: 'marriage_in', date: '2020-05-01', reason: '结婚' });

    // ---- 2. find it on the list and open it ------------------------------------------------------
    await page.goto('/households');
    const q = page.locator('[data-testid="households-filter-q"]').locator('xpath=self::input | .//input').first();
    await q.fill(householdNo(1));
    await q.press('Enter');
    await page.getByTestId('households-total').filter({ hasText: '共 1 户' }).waitFor();
    await shot(page, 'household-01-list');
    await page.getByTestId('household-link').filter({ hasText: householdNo(1) }).click();
    await page.getByTestId('household-page').waitFor();
    await page.getByTestId('members').getByText('钱秀珍').first().waitFor();

    // ---- 3. edit the spouse: a wrong check digit is reported as typed, in Chinese ---------------------
    const row = page.getByTestId('member-row').filter({ hasText: '钱秀珍' });
    await row.getByTestId('member-edit').click();
    const drawer = page.getByTestId('member-form');
    await drawer.waitFor();
    assert.match(await drawer.getByTestId('field-idNumber').innerText(), /留空表示不修改/);
    const idBox = drawer.getByTestId('member-idNumber');
    await idBox.fill(breakCheck(spouseNewId).slice(0, 10));
    await drawer.getByTestId('field-help-idNumber').waitFor();
    assert.match(await drawer.getByTestId('field-help-idNumber').innerText(), /18位/);
    await idBox.fill(breakCheck(spouseNewId));
    await drawer.getByTestId('field-help-idNumber').filter({ hasText: '校验位错误' }).waitFor();
    await shot(page, 'household-02-member-invalid-id');
    // saving is refused while the error stands
    await drawer.getByTestId('form-reason').fill('身份证号码录入错误，更正');
    await page.getByTestId('form-save').click();
    await drawer.getByTestId('form-error').filter({ hasText: '还有 1 处错误' }).waitFor();
    // corrected: the message goes away and the change is saved
    await idBox.fill(spouseNewId);
    await drawer.getByTestId('field-help-idNumber').waitFor({ state: 'detached' });
    await drawer.getByTestId('member-employer').fill('铁岭市清河区服装厂');
    await page.getByTestId('form-save').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByText('已保存').first().waitFor();

    // ---- 4. the change in the history panel, with Chinese field names ---------------------------------
    await page.getByRole('tab', { name: '修改记录' }).click();
    const item = page.getByTestId('history-item').filter({ hasText: '成员 钱秀珍 · 修改' }).first();
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, /证件号码/);
    assert.match(text, /务工企业名称/);
    assert.match(text, /铁岭市清河区服装厂/);
    assert.match(text, /身份证号码录入错误，更正/);
    assert.doesNotMatch(text, /id_number|employer/);
    assert.match(text, new RegExp(`211204\\*{8}${spouseNewId.slice(-4)}`)); // masked in the history
    await shot(page, 'household-03-history');

    // ---- 5. a new household from the list page ------------------------------------------------------
    await page.goto('/households');
    await page.getByTestId('households-new').click();
    const form = page.getByTestId('household-form');
    await form.waitFor();
    await form.getByTestId('household-householdNo').fill(householdNo(2));
    await pickRegion(page, 'household-form-village', '大孟屯', VILLAGE);
    await choose(page, 'household-attribute', '一般贫困户');
    // empty required fields are not shown as errors until saving is tried; then every one is, and nothing is sent
    assert.equal(await form.getByTestId('field-help-identifiedYear').count(), 0);
    await page.getByTestId('form-save').click();
    await form.getByTestId('form-error').filter({ hasText: /还有 \d+ 处错误/ }).waitFor();
    await form.getByTestId('field-help-identifiedYear').filter({ hasText: '识别年度不能为空' }).waitFor();
    await form.getByTestId('field-help-head.name').filter({ hasText: '姓名不能为空' }).waitFor();
    await shot(page, 'household-04a-create-refused');
    await form.getByTestId('household-identifiedYear').locator('xpath=self::input | .//input').first().fill('2018');
    await choose(page, 'household-mainCause', '缺资金');
    await form.getByTestId('field-help-identifiedYear').waitFor({ state: 'detached' });
    await form.getByTestId('member-name').fill('李长林');
    await form.getByTestId('member-idNumber').fill(idNumber('1965-09-20', true, 3));
    await choose(page, 'member-education', '小学');
    await choose(page, 'member-schoolStatus', '非在校生');
    await choose(page, 'member-labour', '普通劳动力');
    await form.getByTestId('form-reason').fill('新识别农户');
    await shot(page, 'household-04-create');
    await page.getByTestId('form-save').click();
    await page.waitForURL((u) => /^\/households\/211204\/\d+$/.test(u.pathname));
    await page.getByTestId('household-head').filter({ hasText: '李长林' }).waitFor();
    assert.match(await page.getByTestId('household-no').innerText(), new RegExp(householdNo(2)));
    await shot(page, 'household-05-created');

    // ---- 6. XLSX export of the filtered list ---------------------------------------------------------
    await page.goto(`/households?q=${encodeURIComponent(householdNo(1))}`);
    await page.getByTestId('households-total').filter({ hasText: '共 1 户' }).waitFor();
    await page.getByTestId('households-export').click();
    await shot(page, 'household-06-export-menu');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('households-export-xlsx').click()]);
    assert.match(download.suggestedFilename(), /^农户列表-.+-\d{4}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.rowCount, 2);
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1, 4), ['户编号', '户主', '户主证件号码']);
    assert.equal(ws.getRow(2).getCell(1).value, householdNo(1));
    assert.equal(ws.getRow(2).getCell(2).value, '孙国强');
    assert.equal(ws.getRow(2).getCell(3).value, idNumber('1970-06-01', true, 1)); // the administrator may see full numbers

    // ---- 7. phone width ---------------------------------------------------------------------------
    await page.setViewportSize(PHONE_375);
    await page.goto('/households');
    await page.getByTestId('households-cards').waitFor();
    await shot(page, 'household-07-phone-list');
    await page.getByTestId('households-new').click();
    await page.getByTestId('household-form').waitFor();
    await viewShot(page, 'household-08-phone-create');
    await page.keyboard.press('Escape');
    await page.goto(`/households/211204/${String(created.id)}`);
    await page.getByTestId('member-card').filter({ hasText: '钱秀珍' }).getByTestId('member-edit').click();
    await page.getByTestId('member-form').waitFor();
    await page.getByTestId('member-idNumber').fill(breakCheck(spouseNewId));
    await page.getByTestId('field-help-idNumber').filter({ hasText: '校验位错误' }).waitFor();
    await viewShot(page, 'household-09-phone-member-form');
    const box = await page.getByTestId('member-form').locator('.ant-drawer-content').boundingBox().catch(() => null);
    if (box) assert.ok(box.width <= PHONE_375.width, `drawer fits the phone (${box.width}px)`);
    await page.keyboard.press('Escape');
    await page.getByTestId('member-card').filter({ hasText: '钱秀珍' }).getByTestId('member-move').click();
    await page.getByTestId('move-kind').waitFor();
    await viewShot(page, 'household-10-phone-move');

    assert.deepEqual(errors, [], `browser errors against ${BASE_URL}`);
  } catch (e) {
    await shot(page, 'household-zz-failure').catch(() => undefined);
    throw e;
  } finally {
    await ctx.close();
  }
});
