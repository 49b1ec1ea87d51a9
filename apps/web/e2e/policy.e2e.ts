/**
 * Policy settings (政策参数), end to end in a real browser:
 * the admin sets the monitoring line at 辽宁省 for this year with its basis (a value out of range is refused as
 * typed, a missing basis too) → a county administrator of 清河区 sees it inherited with its source named,
 * overrides it for 清河区 ("本级设定"), reads the history with both values, inherits again and sees the
 * province's value → a township officer of 张相镇 sees the values in force at phone width, with no edit controls,
 * and last year's built-in default.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/policy.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { join } from 'node:path';
import { ADMIN_PASSWORD, login, newContext, pickRegion, SCREENSHOT_DIR, shot, watchErrors, withBrowser, currentYearInChina } from './helpers';

const LIAONING = '210000000000';
const QINGHE = '211204000000'; // 清河区, 铁岭市
const ZHANGXIANG = '211204101000'; // 张相镇, 清河区
const YEAR = currentYearInChina();
const STAMP = Date.now() % 100_000;
const PHONE_375 = { width: 375, height: 812 };
const INITIAL = 'Initial2025x';
const CHANGED = 'Changed2025y';

withBrowser();

async function csrf(ctx: BrowserContext): Promise<string> {
  return (await ctx.cookies()).find((c) => c.name === 'tuopin_csrf')?.value ?? '';
}

/** JSON POST in the browser context (its session cookie and CSRF token). */
async function post(ctx: BrowserContext, url: string, data: unknown, token?: string): Promise<Record<string, unknown>> {
  const r = await ctx.request.post(url, { data, headers: { 'x-csrf-token': token ?? (await csrf(ctx)) } });
  const body = (await r.json()) as Record<string, unknown>;
  assert.ok(r.ok(), `${url}: ${r.status()} ${JSON.stringify(body)}`);
  return body;
}

/** A new user logged in through the API in a fresh context, with the initial password already changed. */
async function userContext(viewport?: { width: number; height: number }, username = ''): Promise<BrowserContext> {
  const ctx = await newContext(viewport);
  const me = await post(ctx, '/api/auth/login', { username, password: INITIAL }, '');
  await post(ctx, '/api/auth/password', { currentPassword: INITIAL, newPassword: CHANGED }, String(me.csrfToken));
  return ctx;
}

const row = (page: Page, key: string): Locator => page.locator(`[data-testid="policy-setting"][data-key="${key}"]`);
const text = async (l: Locator) => (await l.innerText()).trim();

/** Waits until the setting's row shows the value and source. */
async function expectRow(page: Page, key: string, value: string, source: string | RegExp): Promise<void> {
  const r = row(page, key);
  await r.getByTestId('policy-value').filter({ hasText: value }).waitFor();
  await r.getByTestId('policy-source').filter({ hasText: source }).waitFor();
  assert.equal(await text(r.getByTestId('policy-value')), value);
  const src = await text(r.getByTestId('policy-source'));
  if (typeof source === 'string') assert.equal(src, source);
  else assert.match(src, source);
}

/** A full-page screenshot and one of what the viewport shows (a dialog over a long page, the top on a phone). */
async function viewShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-view.png`) });
}

/** The page fits the screen: nothing wider than the viewport. */
async function assertNoOverflow(page: Page, width: number): Promise<void> {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `the page is ${w} px wide at ${width} px`);
}

test('policy settings: set at the province, inherited and overridden by a county, history, inherit again, read-only township', { timeout: 240_000 }, async () => {
  const adminCtx = await newContext();
  const page = await adminCtx.newPage();
  const errors = watchErrors(page);
  const contexts: BrowserContext[] = [adminCtx];
  const countyUser = `pol_qh_${STAMP}`;
  const townUser = `pol_zx_${STAMP}`;
  try {
    // ---- 0. users through the API --------------------------------------------------------------------
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await post(adminCtx, '/api/users', { username: countyUser, displayName: '清河区管理员', role: 'county_admin', regionCode: QINGHE, password: INITIAL, reason: '政策参数端到端测试' });
    await post(adminCtx, '/api/users', { username: townUser, displayName: '张相镇干部', role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason: '政策参数端到端测试' });

    // ---- 1. admin: 政策参数 from the menu, 辽宁省, this year -------------------------------------------
    await page.getByTestId('nav-policy').click();
    await page.getByTestId('policy-page').waitFor();
    assert.equal(await text(page.getByTestId('page-title')), '政策参数');
    await pickRegion(page, 'policy-region', '辽宁', LIAONING);
    await page.getByTestId('policy-scope').filter({ hasText: `辽宁省 · ${YEAR} 年` }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get('year'), null, 'this year by default');
    assert.match(await text(page.getByTestId('policy-year')), new RegExp(`${YEAR} 年`));
    // the four groups, the built-in defaults, shares as percentages with the raw share
    for (const g of ['收入标准', '支出与核查', '人员', '程序时限']) await page.locator('.ant-card-head-title', { hasText: g }).first().waitFor();
    await expectRow(page, 'monitoringLine', '7,260 元', '系统默认');
    await expectRow(page, 'incomeDropShare', '30%', '系统默认');
    assert.equal(await text(row(page, 'incomeDropShare').getByTestId('policy-share')), '0.3');
    await expectRow(page, 'publicityDays', '5 天', '系统默认');
    await expectRow(page, 'compulsoryAgeMax', '15 岁', '系统默认');
    await expectRow(page, 'eliminationStableMonths', '6 个月', '系统默认');
    assert.match(await text(row(page, 'monitoringLine').getByTestId('policy-basis')), /辽宁 2022 年 7,260 元/);
    assert.equal(await row(page, 'monitoringLine').getByTestId('policy-clear').count(), 0, 'nothing set here, nothing to clear');
    await shot(page, 'policy-01-admin-defaults');

    // change: out of range is refused as typed, the basis is required
    await row(page, 'monitoringLine').getByTestId('policy-edit').click();
    const modal = page.getByTestId('policy-edit-modal');
    await modal.waitFor();
    assert.match(await text(modal.getByTestId('policy-edit-where')), new RegExp(`^在辽宁省设定，${YEAR} 年起执行`));
    const input = modal.getByTestId('policy-input').locator('xpath=self::input | .//input').first();
    await input.fill('200000');
    await modal.getByTestId('policy-value-error').filter({ hasText: '防返贫监测标准应在 0 元 到 100,000 元 之间' }).waitFor();
    assert.ok(await page.getByTestId('policy-save').isDisabled(), 'saving is refused while the value is wrong');
    await input.fill('8000');
    await modal.getByTestId('policy-value-error').waitFor({ state: 'detached' });
    await page.getByTestId('policy-save').click();
    await modal.getByTestId('policy-note-error').filter({ hasText: '请填写依据' }).waitFor();
    await modal.getByTestId('policy-note-input').fill(`辽宁省 ${YEAR} 年防返贫监测标准通知`);
    await shot(page, 'policy-02-admin-edit');
    await page.getByTestId('policy-save').click();
    await modal.waitFor({ state: 'detached' });
    await expectRow(page, 'monitoringLine', '8,000 元', '本级设定');
    assert.match(await text(row(page, 'monitoringLine').getByTestId('policy-note')), new RegExp(`辽宁省 ${YEAR} 年防返贫监测标准通知`));
    assert.match(await text(row(page, 'monitoringLine').getByTestId('policy-default')), /系统默认 7,260 元/);
    await shot(page, 'policy-03-admin-set');

    // a share is typed as a percentage and saved as the share
    await row(page, 'incomeDropShare').getByTestId('policy-edit').click();
    await modal.waitFor();
    await modal.getByTestId('policy-input').locator('xpath=self::input | .//input').first().fill('25');
    await modal.getByTestId('policy-value-help').filter({ hasText: '保存为比例 0.25' }).waitFor();
    await modal.getByTestId('policy-note-input').fill('辽宁省收入骤减口径');
    await page.getByTestId('policy-save').click();
    await modal.waitFor({ state: 'detached' });
    await expectRow(page, 'incomeDropShare', '25%', '本级设定');
    assert.equal(await text(row(page, 'incomeDropShare').getByTestId('policy-share')), '0.25');

    // ---- 2. county administrator of 清河区: inherited, override, history, inherit again -----------------
    const countyCtx = await userContext(undefined, countyUser);
    contexts.push(countyCtx);
    const cp = await countyCtx.newPage();
    errors.push(...watchErrors(cp));
    await cp.goto('/policy');
    await cp.getByTestId('policy-scope').filter({ hasText: `清河区 · ${YEAR} 年` }).waitFor();
    await expectRow(cp, 'monitoringLine', '8,000 元', `辽宁省 ${YEAR} 年设定`);
    await expectRow(cp, 'incomeDropShare', '25%', `辽宁省 ${YEAR} 年设定`);
    await expectRow(cp, 'povertyLine', '4,400 元', '系统默认');
    assert.ok((await cp.getByTestId('policy-edit').count()) > 0, 'a county administrator may set values for the county');

    await row(cp, 'monitoringLine').getByTestId('policy-edit').click();
    const cm = cp.getByTestId('policy-edit-modal');
    await cm.waitFor();
    await cm.getByTestId('policy-input').locator('xpath=self::input | .//input').first().fill('8500');
    await cm.getByTestId('policy-note-input').fill(`清河区 ${YEAR} 年第 2 次领导小组会议`);
    await cp.getByTestId('policy-save').click();
    await cm.waitFor({ state: 'detached' });
    await expectRow(cp, 'monitoringLine', '8,500 元', '本级设定');
    assert.equal(await text(row(cp, 'monitoringLine').getByTestId('policy-inherited')), '不在本级设定时执行 8,000 元');
    assert.match(await text(row(cp, 'monitoringLine').getByTestId('policy-set-by')), new RegExp(`^${countyUser} 于 \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} 设定$`));
    await shot(cp, 'policy-04-county-override');

    // history: both values, newest first, with region, year, who and basis
    await row(cp, 'monitoringLine').getByTestId('policy-history').click();
    const drawer = cp.getByTestId('policy-history-drawer');
    await drawer.getByTestId('policy-history-item').nth(1).waitFor();
    const items = drawer.getByTestId('policy-history-item');
    assert.equal(await items.count(), 2);
    const first = await text(items.nth(0));
    const second = await text(items.nth(1));
    assert.match(first, /8,500 元/);
    assert.match(first, /当前执行/);
    assert.match(first, new RegExp(`清河区 · ${YEAR} 年`));
    assert.match(first, new RegExp(`${countyUser} 于`));
    assert.match(first, new RegExp(`依据：清河区 ${YEAR} 年第 2 次领导小组会议`));
    assert.match(second, /8,000 元/);
    assert.match(second, new RegExp(`辽宁省 · ${YEAR} 年`));
    assert.match(second, /admin 于/);
    assert.match(second, new RegExp(`依据：辽宁省 ${YEAR} 年防返贫监测标准通知`));
    assert.doesNotMatch(second, /当前执行/);
    await shot(cp, 'policy-05-county-history');
    await cp.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'detached' });

    // inherit again: the confirmation names the value that will apply
    await row(cp, 'monitoringLine').getByTestId('policy-clear').click();
    const clear = cp.getByTestId('policy-clear-modal');
    await clear.waitFor();
    assert.equal(await text(clear.getByTestId('policy-clear-inherited')), '8,000 元');
    assert.match(await text(clear), new RegExp(`撤销 .*清河区 ${YEAR} 年设定的 8,500 元`));
    await clear.getByTestId('policy-clear-note').fill('执行省定标准');
    await shot(cp, 'policy-06-county-clear');
    await cp.getByTestId('policy-clear-confirm').click();
    await clear.waitFor({ state: 'detached' });
    await expectRow(cp, 'monitoringLine', '8,000 元', `辽宁省 ${YEAR} 年设定`);
    assert.equal(await row(cp, 'monitoringLine').getByTestId('policy-clear').count(), 0);
    // the removed value stays in the history, with who removed it and why
    await row(cp, 'monitoringLine').getByTestId('policy-history').click();
    await drawer.getByTestId('policy-history-replaced').first().waitFor();
    const removed = await text(drawer.getByTestId('policy-history-item').nth(0));
    assert.match(removed, /8,500 元/);
    assert.match(removed, /已撤销/);
    assert.match(removed, new RegExp(`由 ${countyUser} 撤销或替换 · 原因：执行省定标准`));
    assert.match(await text(drawer.getByTestId('policy-history-item').nth(1)), /8,000 元[\s\S]*当前执行/);
    await cp.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'detached' });

    // the same page at phone width, with its edit controls
    await cp.setViewportSize(PHONE_375);
    await cp.reload();
    await expectRow(cp, 'monitoringLine', '8,000 元', `辽宁省 ${YEAR} 年设定`);
    await assertNoOverflow(cp, PHONE_375.width);
    await viewShot(cp, 'policy-07-county-phone');
    await row(cp, 'monitoringLine').getByTestId('policy-edit').click();
    await cm.waitFor();
    await assertNoOverflow(cp, PHONE_375.width);
    await viewShot(cp, 'policy-08-county-phone-edit');

    // ---- 3. township officer of 张相镇 at phone width: the values in force, read-only -------------------
    const townCtx = await userContext(PHONE_375, townUser);
    contexts.push(townCtx);
    const tp = await townCtx.newPage();
    errors.push(...watchErrors(tp));
    await tp.goto('/');
    const nav = tp.getByTestId('nav-policy');
    if (!(await nav.isVisible())) await tp.getByTestId('menu-toggle').click();
    await nav.click();
    await tp.getByTestId('policy-scope').filter({ hasText: `张相镇 · ${YEAR} 年` }).waitFor();
    await expectRow(tp, 'monitoringLine', '8,000 元', `辽宁省 ${YEAR} 年设定`);
    await expectRow(tp, 'incomeDropShare', '25%', `辽宁省 ${YEAR} 年设定`);
    await expectRow(tp, 'identificationDays', '15 天', '系统默认');
    assert.match(await text(tp.getByTestId('policy-mode')), /乡镇和村沿用所在县的设置/);
    assert.equal(await tp.getByTestId('policy-edit').count(), 0, 'no edit buttons for a township officer');
    assert.equal(await tp.getByTestId('policy-clear').count(), 0);
    await assertNoOverflow(tp, PHONE_375.width);
    await viewShot(tp, 'policy-09-township-phone');
    // last year: the province's value of this year does not apply yet
    await tp.getByTestId('policy-year').click();
    await tp.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `${YEAR - 1} 年` }).first().click();
    await tp.waitForURL((u) => u.searchParams.get('year') === String(YEAR - 1));
    await tp.getByTestId('policy-scope').filter({ hasText: `张相镇 · ${YEAR - 1} 年` }).waitFor();
    await expectRow(tp, 'monitoringLine', '7,260 元', '系统默认');
    // the history is readable
    await row(tp, 'monitoringLine').getByTestId('policy-history').click();
    await tp.getByTestId('policy-history-drawer').getByTestId('policy-history-item').nth(1).waitFor();
    assert.equal(await tp.getByTestId('policy-history-drawer').getByTestId('policy-history-item').count(), 2);
    await viewShot(tp, 'policy-10-township-history');

    assert.deepEqual(errors, []);
  } catch (e) {
    if (errors.length) console.error(errors.join('\n'));
    throw e;
  } finally {
    for (const c of contexts) await c.close();
  }
});
