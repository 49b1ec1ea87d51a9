/**
 * Data quality, end to end in a real browser:
 * three households of 杨木林子镇 are imported through the API (one clean, one with a member without medical
 * insurance and a healthy 35-year-old with no labour, one with a 10-year-old out of school) → admin opens
 * 数据质量, chooses the township, runs the checks (progress, then totals), filters the list by a check,
 * opens a household from the list and sees its live findings there; the same page at phone width.
 *
 * The counts are exact: the test expects the runner's fresh e2e database, where nothing else is in 杨木林子镇.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/quality.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { ADMIN_PASSWORD, SCREENSHOT_DIR, login, newContext, pickRegion, shot, texts, watchErrors, importSheets, testIdNumber, type SheetRow, withBrowser, currentYearInChina } from './helpers';

const TOWNSHIP = '211204102000'; // 杨木林子镇, 清河区
const VILLAGES = ['211204102200', '211204102201'] as const; // 前杨木林子村, 后杨木林子村
const YEAR = currentYearInChina();
const STAMP = Date.now() % 100_000;
const householdNo = (n: number) => `QE2E-${String(STAMP).padStart(5, '0')}-${n}`;
const born = (age: number) => `${YEAR - age}-01-01`;

withBrowser();


type Row = SheetRow;

const households: Row[] = [1, 2, 3].map((n) => ({
  户编号: householdNo(n),
  所在村代码: n === 3 ? VILLAGES[1] : VILLAGES[0],
  户属性: '一般贫困户',
  识别年度: '2016',
  脱贫年度: '2019',
  主要致贫原因: '因病',
  年度: String(YEAR),
  户状态: '已脱贫户',
  是否监测对象: '否',
}));

type Person = { hh: number; name: string; relation: string; age: number; male: boolean; labour?: string; insurance?: string; school?: string };
const people: Person[] = [
  { hh: 1, name: '蒋振华', relation: '户主', age: 50, male: true },
  { hh: 1, name: '沈玉兰', relation: '配偶', age: 48, male: false },
  { hh: 2, name: '韩立军', relation: '户主', age: 35, male: true, labour: '无劳动力' },
  { hh: 2, name: '杨春燕', relation: '配偶', age: 34, male: false, insurance: '未参保' },
  { hh: 3, name: '朱德明', relation: '户主', age: 42, male: true },
  { hh: 3, name: '朱小宝', relation: '之子', age: 10, male: true, labour: '无劳动力' },
];
const members: Row[] = people.map((p, i) => ({
  户编号: householdNo(p.hh),
  证件类型: '居民身份证',
  证件号码: testIdNumber(born(p.age), p.male, i, STAMP * 3),
  姓名: p.name,
  与户主关系: p.relation,
  性别: p.male ? '男' : '女',
  出生日期: born(p.age),
  民族: '汉族',
  ...(p.age >= 16 ? { 文化程度: '初中' } : {}),
  在校生状况: p.school ?? '非在校生',
  健康状况: '健康',
  劳动技能: p.labour ?? '普通劳动力',
  基本医疗保险: p.insurance ?? '城乡居民基本医疗保险',
}));

/** Imports the households through the product's own import API (upload, dry run, commit), as the logged-in user. */
const seed = (page: Page) => importSheets(page.request, { households, members });

test('data quality: run the checks on a township, read the counts, filter, open a household', { timeout: 240_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await seed(page);

    // ---- 1. 数据质量 from the 建档立卡 menu group; choose the township --------------------------
    await page.getByTestId('nav-quality').click();
    await page.getByTestId('quality-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), '数据质量');
    await pickRegion(page, 'quality-region', '杨木林子', TOWNSHIP);
    await page.waitForURL((u) => u.searchParams.get('region') === TOWNSHIP);
    await page.getByTestId('quality-no-run').waitFor();
    await shot(page, 'quality-01-no-run');

    // ---- 2. run: progress while it runs, then the totals ------------------------------------
    await page.getByTestId('quality-run').click();
    await page.getByTestId('quality-cards').waitFor({ timeout: 60_000 });
    const total = async (k: string) => (await page.getByTestId(`quality-total-${k}`).innerText()).trim();
    assert.equal(await total('households'), '3');
    assert.equal(await total('withErrors'), '2');
    assert.equal(await total('withWarnings'), '1');
    assert.equal(await total('findings'), '2 / 1');
    assert.match(await page.getByTestId('quality-last-run').innerText(), /最近一次检查：.*admin.*杨木林子镇/);

    // counts per check: the three rules that fired, with their Chinese names
    const checkRow = (id: string) => page.locator(`[data-testid="quality-check-row"][data-check="${id}"]`);
    assert.equal((await checkRow('medical_insurance_not_one').getByTestId('quality-check-households').innerText()).trim(), '1');
    assert.equal((await checkRow('compulsory_school_dropout').getByTestId('quality-check-households').innerText()).trim(), '1');
    assert.equal((await checkRow('age_labour_mismatch').getByTestId('quality-check-households').innerText()).trim(), '1');
    assert.equal((await checkRow('minor_with_labour').getByTestId('quality-check-households').innerText()).trim(), '0');
    assert.match(await checkRow('compulsory_school_dropout').innerText(), /义务教育阶段适龄儿童未在校且未填写原因/);
    // counts per village
    const regionRows = page.getByTestId('quality-region-row');
    assert.equal(await regionRows.count(), 2);
    assert.deepEqual(await texts(page, 'quality-region-name'), ['前杨木林子村民委员会', '后杨木林子村民委员会']);
    assert.deepEqual(await texts(page, 'quality-region-errors'), ['1', '1']);
    // the households with findings: the clean one is not listed
    await page.getByTestId('quality-list-total').filter({ hasText: '共 2 户' }).waitFor();
    const listed = await page.getByTestId('quality-household').evaluateAll((els) => els.map((e) => e.getAttribute('data-household-no')));
    assert.deepEqual(listed, [householdNo(2), householdNo(3)]);
    await shot(page, 'quality-02-results');

    // ---- 3. a click on a check filters the list ------------------------------------------------
    await checkRow('compulsory_school_dropout').click();
    await page.getByTestId('quality-check-filter').waitFor();
    await page.getByTestId('quality-list-total').filter({ hasText: '共 1 户' }).waitFor();
    const only = page.getByTestId('quality-household');
    assert.equal(await only.count(), 1);
    assert.equal(await only.getAttribute('data-household-no'), householdNo(3));
    assert.match(await only.getByTestId('quality-finding-message').innerText(), /^朱小宝：10岁处于义务教育阶段但未在校/);
    assert.equal((await only.getByTestId('quality-finding-field').innerText()).trim(), '义务教育阶段未上学原因');
    await shot(page, 'quality-03-filtered');
    await page.getByTestId('quality-check-filter').locator('.ant-tag-close-icon').click();
    await page.getByTestId('quality-list-total').filter({ hasText: '共 2 户' }).waitFor();

    // ---- 4. the CSV download ---------------------------------------------------------------------
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('quality-csv').click()]);
    assert.match(download.suggestedFilename(), /^数据质量-杨木林子镇-\d{4}年\.csv$/);

    // ---- 5. open a household from the list: its live findings are on its page -------------------
    await page.locator(`[data-testid="quality-household"][data-household-no="${householdNo(2)}"]`).getByTestId('quality-household-link').click();
    await page.waitForURL((u) => /^\/households\/211204\/\d+$/.test(u.pathname));
    await page.getByTestId('household-page').waitFor();
    const alert = page.getByTestId('household-quality');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-count'), '2');
    assert.match(await alert.innerText(), /1 个错误，1 个警告/);
    assert.match(await alert.innerText(), /杨春燕：未参加基本医疗保险/);
    await shot(page, 'quality-04-household');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }

  // ---- 6. phone width (375 px): the same results, nothing wider than the screen ----------------
  const phone = await newContext({ width: 375, height: 812 });
  const mobile = await phone.newPage();
  const mobileErrors = watchErrors(mobile);
  try {
    await login(mobile, 'admin', ADMIN_PASSWORD);
    await mobile.waitForURL((u) => u.pathname === '/');
    await mobile.goto(`/quality?region=${TOWNSHIP}`);
    await mobile.getByTestId('quality-cards').waitFor();
    assert.equal((await mobile.getByTestId('quality-total-withErrors').innerText()).trim(), '2');
    await mobile.getByTestId('quality-household').first().waitFor();
    // only the rules that found something, until all are asked for
    assert.equal(await mobile.getByTestId('quality-check-row').count(), 3);
    await shot(mobile, 'quality-05-phone');
    await mobile.getByTestId('quality-all-rules').click();
    assert.equal(await mobile.getByTestId('quality-check-row').count(), 15);
    const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
    await mobile.locator('[data-testid="quality-household"]').first().scrollIntoViewIfNeeded();
    await mobile.screenshot({ path: join(SCREENSHOT_DIR, 'quality-06-phone-list.png') });
    assert.deepEqual(mobileErrors, []);
  } finally {
    await phone.close();
  }
});
