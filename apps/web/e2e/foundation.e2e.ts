/**
 * Foundation scenario, end to end in a real browser:
 * admin logs in → finds 清河区 in the region tree → creates a township officer of 张相镇 →
 * the officer logs in, must change the password, and then sees only 张相镇: the region tree,
 * the users list and the audit log are all limited to it.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/*.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ADMIN_PASSWORD, BASE_URL, PHONE, login, logout, newContext, openMenu, pickRegion, shot, texts, watchErrors, withBrowser } from './helpers';

const QINGHE = '211204000000';
const ZHANGXIANG = '211204101000';
const ZHANGXIANG_PREFIX = '211204101';

withBrowser();

/** The admin may be asked to change the bootstrap password; the scenario does not depend on it. */
async function passForcedChange(page: Page, current: string): Promise<void> {
  if (!new URL(page.url()).pathname.startsWith('/change-password')) return;
  const next = `${current}x9`;
  await page.getByTestId('password-current').fill(current);
  await page.getByTestId('password-new').fill(next);
  await page.getByTestId('password-confirm').fill(next);
  await page.getByTestId('password-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
}

test('foundation: regions, a township officer and the officer’s limited view', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  // A fresh server has no zx_officer; a suffix keeps the test repeatable against a used one.
  const suffix = process.env.E2E_FRESH === '1' ? '' : `_${Date.now().toString(36).slice(-5)}`;
  const username = `zx_officer${suffix}`;
  const displayName = '张相镇测试专员';
  const tempPassword = 'Temp2026abc';
  const newPassword = 'Qinghe2026ok';

  try {
    // ---- 1. admin logs in --------------------------------------------------------------
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/' || u.pathname === '/change-password');
    await passForcedChange(page, ADMIN_PASSWORD);
    await page.getByTestId('dashboard').waitFor();
    assert.equal((await page.getByTestId('header-role').innerText()).trim(), '系统管理员');
    await page.getByTestId('stat-users').waitFor();
    await shot(page, '01-admin-dashboard');

    // ---- 2. regions: search 清河区 and open it ------------------------------------------
    await openMenu(page, 'regions');
    await page.getByTestId('regions-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), '行政区划');
    await page.getByTestId('region-search').fill('清河区');
    const hit = page.getByTestId(`region-search-result-${QINGHE}`);
    await hit.waitFor();
    assert.match(await hit.innerText(), /辽宁省 铁岭市 清河区/);
    await shot(page, '02-regions-search');
    await hit.click();
    await page.getByTestId('region-detail-code').filter({ hasText: QINGHE }).waitFor();
    assert.equal((await page.getByTestId('region-detail-code').innerText()).trim(), QINGHE);
    assert.equal((await page.getByTestId('region-detail-name').innerText()).trim(), '清河区');
    assert.equal((await page.getByTestId('region-detail-level').innerText()).trim(), '县');
    assert.equal((await page.getByTestId('region-detail-fullname').innerText()).trim(), '辽宁省 铁岭市 清河区');
    // the children list is replaced when the selection's children arrive: wait for them, not for the previous list
    await page.locator('[data-testid^="region-child-"]', { hasText: '张相镇' }).first().waitFor();
    const townships = await page.locator('[data-testid^="region-child-"]').allInnerTexts();
    assert.ok(townships.includes('张相镇'), `townships of 清河区: ${townships.join(', ')}`);
    assert.ok(townships.length >= 5, `清河区 has ${townships.length} townships`);
    // the tree was expanded down to the selected district
    await page.getByTestId(`region-node-${QINGHE}`).waitFor();
    assert.equal(await page.locator('.ant-tree-treenode-selected').getByTestId(`region-node-${QINGHE}`).count(), 1);
    await shot(page, '03-regions-qinghe');

    // ---- 3. users: create a township officer of 张相镇 ----------------------------------
    await openMenu(page, 'users');
    await page.getByTestId('users-page').waitFor();
    await page.getByTestId('users-total').waitFor();
    await page.getByTestId('user-create').click();
    const modal = page.getByTestId('user-form-modal');
    await page.getByTestId('user-form-username').fill(username);
    await page.getByTestId('user-form-displayName').fill(displayName);
    await page.getByTestId('user-form-role').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '乡镇工作人员' }).click();
    await pickRegion(page, 'user-form-region', '张相镇', ZHANGXIANG);
    assert.match(await page.getByTestId('user-form-region').innerText(), /辽宁省 铁岭市 清河区 张相镇/);
    await page.getByTestId('user-form-phone').fill('13800138000');
    await page.getByTestId('user-form-password').fill(tempPassword);
    await shot(page, '04-users-create-form');
    await page.getByTestId('user-form-submit').click();
    await modal.waitFor({ state: 'hidden' });
    const link = page.getByTestId(`user-link-${username}`);
    await link.waitFor();
    const row = page.locator('tr', { has: link });
    assert.match(await row.innerText(), /乡镇工作人员/);
    assert.match(await row.innerText(), /辽宁省 铁岭市 清河区 张相镇/);
    await shot(page, '05-users-created');

    // the user's history shows its creation by admin
    await link.click();
    const firstEntry = page.getByTestId('history-item').first();
    await firstEntry.waitFor();
    const entryText = await firstEntry.innerText();
    assert.match(entryText, /新建用户/);
    assert.match(entryText, /admin/);
    assert.match(entryText, /张相镇/);
    await shot(page, '06-user-history');
    await page.keyboard.press('Escape');
    await page.getByTestId('user-drawer').waitFor({ state: 'hidden' });

    // ---- 4. the officer logs in and must change the password ----------------------------
    await logout(page);
    await shot(page, '07-logged-out');
    await login(page, username, tempPassword);
    await page.waitForURL((u) => u.pathname === '/change-password');
    await page.getByTestId('password-forced').waitFor();
    await page.getByTestId('password-current').fill(tempPassword);
    await page.getByTestId('password-new').fill('short1');
    await page.getByTestId('password-confirm').click();
    // the rule of the domain package is applied while typing
    await page.getByText('密码长度不能少于 8 位').waitFor();
    await page.getByTestId('password-new').fill(newPassword);
    await page.getByTestId('password-confirm').fill(newPassword);
    await shot(page, '08-officer-forced-password');
    await page.getByTestId('password-submit').click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByTestId('dashboard').waitFor();
    assert.equal((await page.getByTestId('header-user-name').innerText()).trim(), displayName);
    assert.equal((await page.getByTestId('header-role').innerText()).trim(), '乡镇工作人员');
    assert.match(await page.getByTestId('header-region').innerText(), /张相镇/);
    await page.getByTestId('dashboard-region-name').filter({ hasText: '张相镇' }).waitFor();
    await shot(page, '09-officer-dashboard');

    // ---- 5. the region tree has 张相镇 as its only root, with its villages below --------
    await openMenu(page, 'regions');
    await page.getByTestId('region-detail-code').filter({ hasText: ZHANGXIANG }).waitFor();
    const roots = page.locator('[data-testid^="region-node-"][data-depth="0"]');
    assert.equal(await roots.count(), 1);
    assert.equal(await roots.getAttribute('data-testid'), `region-node-${ZHANGXIANG}`);
    assert.match(await roots.innerText(), /^张相镇/);
    const childRows = page.locator('[data-testid^="region-child-"]');
    await childRows.first().waitFor();
    const villageCodes = (await childRows.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))).map((s) =>
      s.replace('region-child-', ''),
    );
    const treeChildren = page.locator('[data-testid^="region-node-"][data-depth="1"]');
    await treeChildren.first().waitFor();
    const treeCodes = (await treeChildren.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))).map((s) =>
      s.replace('region-node-', ''),
    );
    assert.ok(villageCodes.length > 0, '张相镇 has villages');
    assert.deepEqual([...treeCodes].sort(), [...villageCodes].sort());
    for (const c of treeCodes) {
      assert.ok(c.startsWith(ZHANGXIANG_PREFIX) && c !== ZHANGXIANG, `village ${c} lies in 张相镇`);
    }
    assert.equal(await page.locator('[data-testid^="region-node-"][data-depth="2"]').count(), 0);
    await shot(page, '10-officer-regions');

    // ---- 6. users: only people of 张相镇 --------------------------------------------------
    await openMenu(page, 'users');
    await page.getByTestId('users-total').waitFor();
    await page.getByTestId(`user-link-${username}`).waitFor();
    const regions = await texts(page, 'user-region');
    assert.ok(regions.length >= 1);
    for (const r of regions) assert.match(r, /^辽宁省 铁岭市 清河区 张相镇/, `user region ${r}`);
    assert.equal(await page.getByTestId('user-link-admin').count(), 0);
    assert.equal(await page.getByTestId('user-create').count(), 0, 'a township officer cannot create users');
    await shot(page, '11-officer-users');

    // ---- 7. audit: only entries of 张相镇 -------------------------------------------------
    await openMenu(page, 'audit');
    await page.getByTestId('audit-page').waitFor();
    await page.getByTestId('audit-region').first().waitFor();
    const codes = await page.getByTestId('audit-region').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
    assert.ok(codes.length >= 3, `expected the creation, login and password change, got ${codes.length}`);
    for (const c of codes) assert.ok(c.startsWith(ZHANGXIANG_PREFIX), `audit entry of region ${c || '(none)'}`);
    const shown = (await page.getByTestId('audit-count').innerText()).trim();
    assert.equal(shown, `已显示 ${codes.length} 条`);
    // a row expands to the changed fields
    await page.locator('.ant-table-row-expand-icon-collapsed').first().click();
    await page.getByTestId('audit-changes').first().waitFor();
    await shot(page, '12-officer-audit');

    // ---- 8. the same on a phone-width screen -------------------------------------------
    await page.setViewportSize(PHONE);
    await page.reload();
    await page.getByTestId('audit-region').first().waitFor();
    await shot(page, '13-phone-audit');
    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-users').waitFor();
    await shot(page, '14-phone-menu');
    await page.getByTestId('nav-users').click();
    await page.getByTestId(`user-link-${username}`).waitFor();
    await shot(page, '15-phone-users');

    assert.deepEqual(errors, [], `browser errors against ${BASE_URL}`);
  } catch (e) {
    await shot(page, 'zz-failure').catch(() => undefined);
    throw e;
  } finally {
    await ctx.close();
  }
});
