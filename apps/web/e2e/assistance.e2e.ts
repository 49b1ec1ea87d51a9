/**
 * Assistance measures (帮扶措施) on the household page, in a real browser: a household created through the API → its
 * 帮扶措施 tab says no development measure → 登记措施 with nothing filled is refused by the form → an end date before
 * the start is refused by the server with the field named, nothing written → an industry measure is recorded and the
 * tab says the household has a development measure → a health measure is not one → the industry measure is ended
 * with a reason and the change log shows it → the section at phone width (375 px).
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/assistance.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, chooseOption, login, newContext, shot, testIdNumber, watchErrors, withBrowser, postJson, fillDate, inputOf, chinaDateOffset } from './helpers';

const VILLAGE = '211204203200'; // a village of 聂家满族乡, 清河区 (no other browser test counts its households)
const STAMP = (Date.now() + 11) % 100_000;
const PHONE_375 = { width: 375, height: 812 };
// Dates relative to today in China, so the test reads the same in any year: the industry measure started 90 days
// ago with a planned end 200 days ahead (in force), a health measure 80 days ago, the early end yesterday (no longer
// in force today; an end date may not lie in the future).
const STARTED = chinaDateOffset(-90);
const BEFORE_START = chinaDateOffset(-91);
const PLANNED_END = chinaDateOffset(200);
const HEALTH_STARTED = chinaDateOffset(-80);
const ENDED_EARLY = chinaDateOffset(-1);

withBrowser();

const pickDate = (page: Page, testId: string, date: string) => fillDate(page, page.getByTestId(testId), date);

const items = (page: Page) => page.getByTestId('measure-item');

test('assistance measures: record with validation, development flag, end with a reason, change log, phone width', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: `AS-${String(STAMP).padStart(5, '0')}`, villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', exitYear: 2019 },
      head: {
        idNumber: testIdNumber('1972-03-15', true, 1, STAMP * 13), name: '孙长林', sex: 'male', birthDate: '1972-03-15', ethnicity: '01', education: 'junior',
        schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident',
      },
      reason: '端到端测试',
    });
    const url = `/households/211204/${String(created.id)}`;

    // ---- 1. the tab: no measure, no development measure ---------------------------------------------------
    await page.goto(url);
    await page.getByTestId('household-page').getByText('孙长林').first().waitFor();
    // The panels above the tabs (quality, monitoring, rules, exit) load on their own and move the tabs down: a
    // click can land where the tab was a moment before, so click until the tab is open.
    for (let attempt = 0; attempt < 5 && new URL(page.url()).searchParams.get('tab') !== 'measures'; attempt++) {
      await page.getByRole('tab', { name: '帮扶措施' }).click();
      await page.waitForURL((u) => u.searchParams.get('tab') === 'measures', { timeout: 2000 }).catch(() => undefined);
    }
    // the open tab is kept in the address (?tab=measures)
    await page.getByRole('tab', { name: '帮扶措施', selected: true }).waitFor();
    const section = page.getByTestId('measures-section');
    await section.getByTestId('measures-dev').filter({ hasText: '未落实产业或就业帮扶措施' }).waitFor();
    await section.getByText('还没有登记帮扶措施').waitFor();

    // ---- 2. nothing filled: the form refuses, naming the fields --------------------------------------------
    await page.getByTestId('measure-add').click();
    const modal = page.getByRole('dialog', { name: '登记帮扶措施' });
    await modal.waitFor();
    await page.getByTestId('measure-save').click();
    await modal.getByText('措施类别不能为空').waitFor();
    await modal.getByText('措施内容不能为空').waitFor();
    await shot(page, 'assistance-01-required');

    // ---- 3. an end date before the start: the server's message under the field, nothing written -----------
    await chooseOption(page, 'measure-family', '产业帮扶（开发式帮扶）');
    await page.getByTestId('measure-title').fill('入股村肉牛养殖合作社');
    await pickDate(page, 'measure-started', STARTED);
    await pickDate(page, 'measure-ended', BEFORE_START);
    await inputOf(page.getByTestId('measure-amount')).fill('20000');
    await page.getByTestId('measure-save').click();
    await modal.getByText('结束日期不能早于开始日期').first().waitFor();
    await modal.getByTestId('measure-error').waitFor();
    await shot(page, 'assistance-02-server-refusal');
    const listed = await ctx.request.get(`/api${url}/measures`);
    assert.equal(((await listed.json()) as { items: unknown[] }).items.length, 0, 'nothing written');

    // ---- 4. corrected (a planned end date): recorded, the household now has a development measure ----------
    await pickDate(page, 'measure-ended', PLANNED_END);
    await page.getByTestId('measure-save').click();
    await modal.waitFor({ state: 'hidden' });
    await section.getByTestId('measures-dev').filter({ hasText: '已落实产业或就业帮扶措施' }).waitFor();
    const cattle = items(page).filter({ hasText: '入股村肉牛养殖合作社' });
    await cattle.waitFor();
    const text = await cattle.innerText();
    assert.match(text, /产业帮扶/);
    assert.match(text, /实施中/);
    assert.ok(text.includes(`${STARTED} 至 ${PLANNED_END}`), text);
    assert.match(text, /20,000 元/);
    assert.match(text, /系统管理员 登记|admin 登记/);

    // ---- 5. a health measure is listed but is not a development measure ----------------------------------
    await page.getByTestId('measure-add').click();
    await modal.waitFor();
    await chooseOption(page, 'measure-family', '健康帮扶');
    await page.getByTestId('measure-title').fill('家庭医生签约服务');
    await pickDate(page, 'measure-started', HEALTH_STARTED);
    await page.getByTestId('measure-save').click();
    await modal.waitFor({ state: 'hidden' });
    await items(page).filter({ hasText: '家庭医生签约服务' }).waitFor();
    assert.doesNotMatch(await items(page).filter({ hasText: '家庭医生签约服务' }).innerText(), /元/, 'no amount entered: none shown');
    assert.equal(await items(page).count(), 2);
    await shot(page, 'assistance-03-recorded');

    // ---- 6. the industry measure ends early: no development measure any more; the change log has the reason --------
    await cattle.getByTestId('measure-end').click();
    const endModal = page.getByRole('dialog', { name: /^结束措施/ });
    await endModal.waitFor();
    await pickDate(page, 'measure-end-date', ENDED_EARLY);
    await page.getByTestId('measure-end-reason').fill('合作社解散，改为务工');
    await page.getByTestId('measure-end-save').click();
    await endModal.waitFor({ state: 'hidden' });
    await section.getByTestId('measures-dev').filter({ hasText: '未落实产业或就业帮扶措施' }).waitFor();
    const ended = await items(page).filter({ hasText: '入股村肉牛养殖合作社' }).innerText();
    assert.ok(ended.includes(`${STARTED} 至 ${ENDED_EARLY}`), ended);
    assert.match(ended, /已结束/);
    assert.equal(await items(page).filter({ hasText: '入股村肉牛养殖合作社' }).getByTestId('measure-end').count(), 0);
    await page.getByRole('tab', { name: '修改记录' }).click();
    await page.getByText('合作社解散，改为务工').first().waitFor();
    await shot(page, 'assistance-04-history');

    // ---- 7. phone width: the section as a card -----------------------------------------------------------
    const phone = await newContext(PHONE_375);
    const pp = await phone.newPage();
    await login(pp, 'admin', ADMIN_PASSWORD);
    await pp.waitForURL((u) => u.pathname === '/');
    await pp.goto(url);
    const card = pp.getByTestId('household-section-measures');
    await card.getByTestId('measure-item').first().waitFor();
    await card.scrollIntoViewIfNeeded();
    assert.equal(await card.getByTestId('measure-item').count(), 2);
    const box = await card.boundingBox();
    assert.ok(box && box.width <= 375, `section fits the phone: ${box?.width}`);
    await pp.screenshot({ path: (await shot(pp, 'assistance-05-phone')).replace('.png', '-view.png') });
    await phone.close();
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
