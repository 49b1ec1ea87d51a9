/**
 * Income and status by year, end to end in a real browser: a household (head and spouse) is created through the API →
 * its page → 录入收入: a negative expense shows the Chinese message as typed and blocks saving → corrected, the
 * per-capita net income and its explanation are computed live by the domain → saved, shown on the income tab →
 * the list of that year shows the same figure, a household without income shows “—” → the status of a year is set
 * (已脱贫户 needs its exit year; the monitoring fields are read-only) → the audit log names the export in Chinese →
 * the forms at phone width (375 px).
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/household-income.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { formatYuan, perCapitaNetIncome } from '@tuopin/domain';
import { ADMIN_PASSWORD, BASE_URL, login, newContext, SCREENSHOT_DIR, shot, watchErrors, testIdNumber, withBrowser, postJson, currentYearInChina, selectDropdownSettled } from './helpers';

const VILLAGE = '211204101200'; // 大孟屯村, 张相镇, 清河区
const STAMP = (Date.now() + 7) % 100_000;
const householdNo = (n: number) => `IN-${String(STAMP).padStart(5, '0')}-${n}`;
const PHONE_375 = { width: 375, height: 812 };
const LAST_YEAR = currentYearInChina() - 1;

withBrowser();

const idNumber = (birth: string, male: boolean, k: number) => testIdNumber(birth, male, k, STAMP * 17);

const adult = (name: string, birth: string, male: boolean, k: number, extra: Record<string, unknown> = {}) => ({
  idNumber: idNumber(birth, male, k), name, sex: male ? 'male' : 'female', birthDate: birth, ethnicity: '01', education: 'junior',
  schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', ...extra,
});

async function viewShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-view.png`) });
}

/** The input inside an antd InputNumber. */
const numberBox = (page: Page, testId: string) => page.locator(`[data-testid="${testId}"]`).locator('xpath=self::input | .//input').first();

test('income and status by year: live validation and computation, save, list, status, audit, phone width', { timeout: 240_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    // ---- 1. two households through the API: one with head and spouse, one alone without income -------
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: householdNo(1), villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', exitYear: 2019 },
      head: adult('周永福', '1966-02-11', true, 1),
      reason: '端到端测试',
    });
    const id = String(created.id);
    await postJson(ctx, `/api/households/211204/${id}/members`, {
      member: adult('吴桂兰', '1968-08-08', false, 2, { relation: 'spouse' }), kind: 'marriage_in', date: '2015-05-01', reason: '结婚',
    });
    await postJson(ctx, '/api/households', {
      household: { householdNo: householdNo(2), villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2017, mainCause: 'disability' },
      head: adult('郑国庆', '1958-10-01', true, 3),
      reason: '端到端测试',
    });

    // ---- 2. the household page: a new household has its status of the current year ------------------
    await page.goto(`/households/211204/${id}`);
    await page.getByTestId('household-status').filter({ hasText: '一般农户' }).waitFor();
    await page.getByRole('tab', { name: '收入情况' }).click();
    await page.getByTestId('income-add').click();
    const drawer = page.getByTestId('income-form');
    await drawer.waitFor();
    assert.match(await drawer.getByTestId('income-year-select').innerText(), new RegExp(String(LAST_YEAR)));
    assert.match(await drawer.innerText(), /合规自付支出/);

    // ---- 3. a bad value: the Chinese message as typed, saving refused -----------------------------------
    await numberBox(page, 'income-otherWage').fill('26000');
    await numberBox(page, 'income-publicWelfareWage').fill('4800');
    await numberBox(page, 'income-operatingIncome').fill('3500.5');
    await numberBox(page, 'income-pension').fill('2160');
    await numberBox(page, 'income-compliantOutOfPocket').fill('12000');
    await numberBox(page, 'income-operatingExpense').fill('-800');
    await drawer.getByTestId('field-help-operatingExpense').filter({ hasText: '生产经营性支出不能为负数' }).waitFor();
    assert.match(await drawer.getByTestId('income-form-explanation').innerText(), /改正标红的项目后显示计算结果/);
    await shot(page, 'household-income-01-invalid');
    await page.getByTestId('form-reason').fill('2024年度收入入户核实');
    await page.getByTestId('form-save').click();
    await drawer.getByTestId('form-error').filter({ hasText: '还有 1 处错误' }).waitFor();

    // ---- 4. corrected: computed live with the domain's perCapitaNetIncome, explained ---------------------
    await numberBox(page, 'income-operatingExpense').fill('800');
    await drawer.getByTestId('field-help-operatingExpense').waitFor({ state: 'detached' });
    const items = { otherWage: 26000, publicWelfareWage: 4800, operatingIncome: 3500.5, pension: 2160, operatingExpense: 800, compliantOutOfPocket: 12000 };
    const expected = formatYuan(perCapitaNetIncome(items, 2)!);
    await drawer.getByTestId('income-form-per-capita').filter({ hasText: expected }).waitFor();
    const explanation = await drawer.getByTestId('income-form-explanation').innerText();
    assert.match(explanation, new RegExp(`人均纯收入 = 35,660.50 ÷ 2 = ${expected.replace(/[.,]/g, '\\$&')}`));
    assert.match(explanation, /合规自付支出 12,000.00（不计入纯收入）/);
    await viewShot(page, 'household-income-02-computed');
    await page.getByTestId('form-save').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByTestId('income-per-capita').filter({ hasText: expected }).waitFor();
    assert.match(await page.getByTestId('income-explanation').innerText(), /35,660.50 ÷ 2/);
    await shot(page, 'household-income-03-saved');

    // ---- 5. the list of that year: the same figure; no record shows “—” ----------------------------------
    await page.goto(`/households?year=${LAST_YEAR}&q=${encodeURIComponent(householdNo(1))}`);
    await page.getByTestId('households-total').filter({ hasText: '共 1 户' }).waitFor();
    assert.equal((await page.getByTestId('household-income').first().innerText()).trim(), expected);
    await page.goto(`/households?year=${LAST_YEAR}&q=${encodeURIComponent(householdNo(2))}`);
    await page.getByTestId('households-total').filter({ hasText: '共 1 户' }).waitFor();
    const row = page.locator('tr', { hasText: householdNo(2) });
    assert.equal(await row.getByTestId('household-income').count(), 0, 'no amount without an income record');
    assert.match(await page.getByTestId('households-totals').innerText(), /有收入记录 0 户/);
    await page.goto(`/households?year=${LAST_YEAR}&region=${VILLAGE}`);
    await page.getByTestId('households-totals').waitFor();
    await shot(page, 'household-income-04-list');

    // ---- 6. the status of last year: 已脱贫户 needs its exit year; monitoring read-only -----------------
    await page.goto(`/households/211204/${id}`);
    await page.getByRole('tab', { name: '状态历史' }).click();
    await page.getByTestId('status-add').click();
    const sd = page.getByTestId('status-form');
    await sd.waitFor();
    await sd.getByTestId('status-year-select').click();
    await selectDropdownSettled(page, true);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${LAST_YEAR} 年` }).first().click();
    await selectDropdownSettled(page, false); // an open or closing dropdown covered the next click on a loaded machine
    await sd.getByText('已脱贫户', { exact: true }).click();
    // the household's exit year is filled in; emptied, the domain's message shows
    assert.equal(await numberBox(page, 'status-exitYear').inputValue(), '2019');
    await numberBox(page, 'status-exitYear').fill('');
    await sd.getByTestId('field-help-exitYear').filter({ hasText: '脱贫年度不能为空' }).waitFor();
    await numberBox(page, 'status-exitYear').fill('2019');
    await sd.getByTestId('field-help-exitYear').waitFor({ state: 'detached' });
    assert.match(await sd.getByTestId('status-monitoring').innerText(), /由防返贫监测程序/);
    await sd.getByTestId('form-reason').fill('2019年脱贫，补录');
    await viewShot(page, 'household-income-05-status');
    await page.getByTestId('form-save').click();
    await sd.waitFor({ state: 'hidden' });
    await page.getByTestId('status-item').filter({ hasText: `${LAST_YEAR}` }).filter({ hasText: '已脱贫户' }).waitFor();

    // ---- 7. the audit log: the export entry in Chinese --------------------------------------------------
    const r = await ctx.request.get(`/api/households/export.csv?year=${LAST_YEAR}&q=${encodeURIComponent(householdNo(1))}`);
    assert.equal(r.status(), 200);
    await page.goto('/audit');
    const exportRow = page.locator('tr', { has: page.getByTestId('audit-action').filter({ hasText: /^导出$/ }) }).first();
    await exportRow.waitFor();
    await exportRow.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId('history-exported').first().filter({ hasText: '导出了CSV文件' }).waitFor();
    assert.doesNotMatch(await page.getByTestId('audit-table').innerText(), /\bexport\b/);
    await shot(page, 'household-income-06-audit');

    // ---- 8. phone width: the income form -----------------------------------------------------------------
    await page.setViewportSize(PHONE_375);
    await page.goto(`/households/211204/${id}`);
    const incomeCard = page.getByTestId('household-section-income');
    await incomeCard.getByTestId('income-edit').click();
    await page.getByTestId('income-form').waitFor();
    await numberBox(page, 'income-operatingExpense').fill('-1');
    await page.getByTestId('field-help-operatingExpense').waitFor();
    await viewShot(page, 'household-income-07-phone-form');
    const box = await page.getByTestId('income-form').locator('.ant-drawer-content').boundingBox().catch(() => null);
    if (box) assert.ok(box.width <= PHONE_375.width, `drawer fits the phone (${box.width}px)`);
    await page.keyboard.press('Escape');
    await incomeCard.scrollIntoViewIfNeeded();
    await viewShot(page, 'household-income-08-phone-page');

    assert.deepEqual(errors, [], `browser errors against ${BASE_URL}`);
  } catch (e) {
    await shot(page, 'household-income-zz-failure').catch(() => undefined);
    throw e;
  } finally {
    await ctx.close();
  }
});
