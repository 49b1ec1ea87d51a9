/**
 * Exit assessment (脱贫标准评估), end to end in a real browser:
 * four households in two villages of 张相镇 that no other browser test uses are imported through the API (one
 * meeting the standard, one under the poverty line with an uninsured member, one with a 10-year-old out of school,
 * one in a C-rated house without safe water) → admin opens 脱贫标准评估 from the 防返贫监测 menu, chooses the
 * township, reads the counts of the two villages, drills into one, filters the list by an item, opens a household
 * and sees its unmet items on its page; the same page at phone width (375 px).
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/exit.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { SHEETS } from '@tuopin/domain';
import { join } from 'node:path';
import { ADMIN_PASSWORD, SCREENSHOT_DIR, chooseOption, login, newContext, pickRegion, shot, texts, watchErrors, importSheets, testIdNumber, type SheetRow, withBrowser, currentYearInChina } from './helpers';

const TOWNSHIP = '211204101000'; // 张相镇
const VILLAGES = ['211204101209', '211204101210'] as const; // 前马家沟村, 尹家堡子村: no other browser test writes here
const YEAR = currentYearInChina();
const STAMP = Date.now() % 100_000;
const householdNo = (n: number) => `XE2E-${String(STAMP).padStart(5, '0')}-${n}`;
const born = (age: number) => `${YEAR - age}-01-01`;

withBrowser();


type Row = SheetRow;

const houses: { n: number; village: string; housing: string; water: string; income: number }[] = [
  { n: 1, village: VILLAGES[0], housing: 'A级', water: '是', income: 20000 }, // meets every item
  { n: 2, village: VILLAGES[0], housing: 'B级', water: '是', income: 6000 }, // 3,000 per person; an uninsured member
  { n: 3, village: VILLAGES[1], housing: 'B级', water: '是', income: 20000 }, // a 10-year-old out of school
  { n: 4, village: VILLAGES[1], housing: 'C级', water: '否', income: 20000 }, // unsafe house and water
];
const households: Row[] = houses.map((h) => ({
  户编号: householdNo(h.n),
  所在村代码: h.village,
  户属性: '一般贫困户',
  识别年度: '2016',
  脱贫年度: '2019',
  主要致贫原因: '因病',
  住房安全等级: h.housing,
  是否饮水安全: h.water,
  ...(h.water === '否' ? { 饮水安全问题: '水质不达标' } : {}),
  年度: String(YEAR),
  户状态: '已脱贫户',
  是否监测对象: '否',
}));
const incomeHeader = SHEETS.income.columns.find((c) => c.key === 'otherWage')!.header;
const incomes: Row[] = houses.map((h) => ({ 户编号: householdNo(h.n), 年度: String(YEAR), [incomeHeader]: String(h.income) }));

type Person = { hh: number; name: string; relation: string; age: number; male: boolean; insurance?: string; dropout?: string };
const people: Person[] = [
  { hh: 1, name: '孙建国', relation: '户主', age: 52, male: true },
  { hh: 1, name: '李桂芝', relation: '配偶', age: 50, male: false },
  { hh: 2, name: '周德福', relation: '户主', age: 46, male: true },
  { hh: 2, name: '吴秀梅', relation: '配偶', age: 44, male: false, insurance: '未参保' },
  { hh: 3, name: '郑成林', relation: '户主', age: 41, male: true },
  { hh: 3, name: '郑小雨', relation: '之女', age: 10, male: false, dropout: '厌学' },
  { hh: 4, name: '王海涛', relation: '户主', age: 60, male: true },
  { hh: 4, name: '赵淑琴', relation: '配偶', age: 58, male: false },
];
const members: Row[] = people.map((p, i) => ({
  户编号: householdNo(p.hh),
  证件类型: '居民身份证',
  证件号码: testIdNumber(born(p.age), p.male, i, STAMP * 7),
  姓名: p.name,
  与户主关系: p.relation,
  性别: p.male ? '男' : '女',
  出生日期: born(p.age),
  民族: '汉族',
  ...(p.age >= 16 ? { 文化程度: '初中' } : {}),
  在校生状况: '非在校生',
  ...(p.dropout ? { 义务教育阶段未上学原因: p.dropout } : {}),
  健康状况: '健康',
  劳动技能: p.age >= 16 ? '普通劳动力' : '无劳动力',
  基本医疗保险: p.insurance ?? '城乡居民基本医疗保险',
}));

/** Imports the households through the product's own import API (upload, dry run, commit), as the logged-in user. */
const seed = (page: Page) => importSheets(page.request, { households, members, income: incomes });


const childRow = (page: Page, code: string) => page.locator(`[data-testid="exit-child-row"][data-code="${code}"]`);
const itemRow = (page: Page, item: string) => page.locator(`[data-testid="exit-item-row"][data-item="${item}"]`);
const itemCount = async (page: Page, item: string) => (await itemRow(page, item).getByTestId('exit-item-count').innerText()).trim();
const total = async (page: Page, k: string) => (await page.getByTestId(`exit-total-${k}`).innerText()).trim();
const listed = (page: Page) => page.getByTestId('exit-household').evaluateAll((els) => els.map((e) => e.getAttribute('data-household-no')));

test('exit assessment: counts per village and item, filter by an item, a household\'s unmet items', { timeout: 240_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await seed(page);

    // ---- 1. 脱贫标准评估 from the 防返贫监测 menu group; choose the township -----------------------
    const nav = page.getByTestId('nav-monitoring/exit-assessment');
    if (!(await nav.isVisible())) await page.getByTestId('nav-group-monitoring').click();
    await nav.click();
    await page.getByTestId('exit-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), '脱贫标准评估');
    await pickRegion(page, 'exit-region', '张相', TOWNSHIP);
    await page.waitForURL((u) => u.searchParams.get('region') === TOWNSHIP);
    await page.getByTestId('exit-region-name').filter({ hasText: '张相镇' }).waitFor();

    // the two villages, exact (other tests may add households elsewhere in the township)
    await childRow(page, VILLAGES[0]).waitFor();
    assert.equal((await childRow(page, VILLAGES[0]).getByTestId('exit-child-assessed').innerText()).trim(), '2');
    assert.equal((await childRow(page, VILLAGES[0]).getByTestId('exit-child-not-meeting').innerText()).trim(), '1');
    assert.equal((await childRow(page, VILLAGES[1]).getByTestId('exit-child-assessed').innerText()).trim(), '2');
    assert.equal((await childRow(page, VILLAGES[1]).getByTestId('exit-child-not-meeting').innerText()).trim(), '2');
    await shot(page, 'exit-01-township');

    // the households assessed: monitored households only (none here), then the exited ones, then all again
    await chooseOption(page, 'exit-group', '监测对象');
    await page.waitForURL((u) => u.searchParams.get('group') === 'monitored');
    await childRow(page, VILLAGES[0]).getByTestId('exit-child-assessed').filter({ hasText: /^0$/ }).waitFor();
    assert.equal((await childRow(page, VILLAGES[1]).getByTestId('exit-child-assessed').innerText()).trim(), '0');
    await chooseOption(page, 'exit-group', '已脱贫户');
    await page.waitForURL((u) => u.searchParams.get('group') === 'exited');
    await childRow(page, VILLAGES[0]).getByTestId('exit-child-assessed').filter({ hasText: /^2$/ }).waitFor();
    assert.equal((await childRow(page, VILLAGES[1]).getByTestId('exit-child-not-meeting').innerText()).trim(), '2');
    await shot(page, 'exit-01b-exited');
    await chooseOption(page, 'exit-group', '全部农户');
    await page.waitForURL((u) => !u.searchParams.has('group'));

    // ---- 2. drill into 前马家沟村: exact cards and items ------------------------------------------
    await childRow(page, VILLAGES[0]).getByTestId('exit-child-name').click();
    await page.waitForURL((u) => u.searchParams.get('region') === VILLAGES[0]);
    await page.getByTestId('exit-region-name').filter({ hasText: '前马家沟' }).waitFor();
    assert.equal(await total(page, 'assessed'), '2');
    assert.equal(await total(page, 'meeting'), '1');
    assert.equal(await total(page, 'notMeeting'), '1');
    assert.deepEqual(
      await Promise.all(['income', 'education', 'medical', 'housing', 'water'].map((i) => itemCount(page, i))),
      ['1', '0', '1', '0', '0'],
    );
    await page.getByTestId('exit-list-total').filter({ hasText: '共 1 户' }).waitFor();
    assert.deepEqual(await listed(page), [householdNo(2)]);
    assert.deepEqual(await texts(page, 'exit-item-tag'), ['收入未达标', '基本医疗无保障']);

    // ---- 3. up to the township, into 尹家堡子村, filter by 饮水安全 ----------------------------------
    await page.getByTestId('exit-up').click();
    await page.waitForURL((u) => u.searchParams.get('region') === TOWNSHIP);
    await childRow(page, VILLAGES[1]).getByTestId('exit-child-name').click();
    await page.waitForURL((u) => u.searchParams.get('region') === VILLAGES[1]);
    await page.getByTestId('exit-region-name').filter({ hasText: '尹家堡子' }).waitFor();
    assert.equal(await total(page, 'assessed'), '2');
    assert.equal(await total(page, 'meeting'), '0');
    assert.deepEqual(
      await Promise.all(['income', 'education', 'medical', 'housing', 'water'].map((i) => itemCount(page, i))),
      ['0', '1', '0', '1', '1'],
    );
    await page.getByTestId('exit-list-total').filter({ hasText: '共 2 户' }).waitFor();
    assert.deepEqual(await listed(page), [householdNo(3), householdNo(4)]);
    await itemRow(page, 'water').click();
    await page.waitForURL((u) => u.searchParams.get('item') === 'water');
    await page.getByTestId('exit-item-filter').filter({ hasText: '饮水安全无保障' }).waitFor();
    await page.getByTestId('exit-list-total').filter({ hasText: '共 1 户' }).waitFor();
    assert.deepEqual(await listed(page), [householdNo(4)]);
    await shot(page, 'exit-02-village-filtered');

    // ---- 4. open the household: its unmet items with details on its page ---------------------------
    await page.locator(`[data-testid="exit-household"][data-household-no="${householdNo(4)}"]`).getByTestId('exit-household-link').click();
    await page.waitForURL((u) => /^\/households\/211204\/\d+$/.test(u.pathname));
    const panel = page.getByTestId('exit-panel');
    await panel.waitFor();
    assert.equal(await panel.getAttribute('data-meets'), 'false');
    assert.equal((await panel.getByTestId('exit-panel-status').innerText()).trim(), '2 项未达标');
    const unmet = await panel.getByTestId('exit-panel-unmet').innerText();
    assert.match(unmet, /住房安全无保障\s*住房鉴定为 C 级，且不是已交钥匙的搬迁户/);
    assert.match(unmet, /饮水安全无保障\s*饮水不安全/);
    assert.match(await panel.innerText(), /人均纯收入：10,000 元/);
    assert.match(await panel.getByTestId('exit-panel-line').innerText(), /脱贫标准：4,400 元/);
    await panel.scrollIntoViewIfNeeded();
    await shot(page, 'exit-03-household');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }

  // ---- 5. phone width (375 px): the same counts, nothing wider than the screen ------------------------
  const phone = await newContext({ width: 375, height: 812 });
  const mobile = await phone.newPage();
  const mobileErrors = watchErrors(mobile);
  try {
    await login(mobile, 'admin', ADMIN_PASSWORD);
    await mobile.waitForURL((u) => u.pathname === '/');
    await mobile.goto(`/monitoring/exit-assessment?region=${TOWNSHIP}`);
    await childRow(mobile, VILLAGES[1]).waitFor();
    assert.equal((await childRow(mobile, VILLAGES[1]).getByTestId('exit-child-not-meeting').innerText()).trim(), '2');
    await shot(mobile, 'exit-04-phone');
    let overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone screen`);
    await mobile.goto(`/monitoring/exit-assessment?region=${VILLAGES[0]}`);
    await mobile.getByTestId('exit-list-total').filter({ hasText: '共 1 户' }).waitFor();
    await mobile.getByTestId('exit-household-link').click();
    const panel = mobile.getByTestId('exit-panel');
    await panel.waitFor();
    assert.match(await panel.getByTestId('exit-panel-unmet').innerText(), /吴秀梅 未参加基本医疗保险/);
    await panel.scrollIntoViewIfNeeded();
    await mobile.screenshot({ path: join(SCREENSHOT_DIR, 'exit-05-phone-household.png') });
    overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `household page is ${overflow}px wider than the phone screen`);
    assert.deepEqual(mobileErrors, []);
  } finally {
    await phone.close();
  }
});
