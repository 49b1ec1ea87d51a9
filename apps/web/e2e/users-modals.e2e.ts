/**
 * The users page's modals (pages/UsersPage/StatusModals.tsx on the one form hook, utils/useFormSubmit): an
 * administrator disables a user with a reason (the user can no longer log in), enables them again, and resets their
 * password — a weak one refused with the domain's message before anything is sent, a strong one accepted — after
 * which the user logs in with the new password (and must change it). At 1366 px and on a 375 px phone.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/users-modals.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { validatePassword } from '@tuopin/domain/password';
import { ADMIN_PASSWORD, DESKTOP, animationsSettled, login, newContext, openMenu, postJson, shot, watchErrors, withBrowser } from './helpers';

withBrowser();

const ZHANGXIANG = '211204101000'; // 张相镇
const INITIAL = 'Initial2025x';
const PHONE_375 = { width: 375, height: 760 };

/** The error shown under a form field of the open modal (antd's explain text of the item holding the test id). */
const fieldError = (page: Page, testId: string) =>
  page.locator(`.ant-modal-wrap:visible .ant-form-item:has([data-testid="${testId}"]) .ant-form-item-explain-error`).first();

/** The toast of antd's message with this text. */
const toast = (page: Page, text: string) => page.locator('.ant-message-notice').filter({ hasText: text }).first();

/** The user's record as the API gives it to the administrator. */
async function userOf(ctx: BrowserContext, username: string): Promise<{ status: string; displayName: string }> {
  const r = await ctx.request.get(`/api/users?q=${encodeURIComponent(username)}&page=1&pageSize=20`);
  assert.equal(r.status(), 200);
  const body = (await r.json()) as { items: { username: string; status: string; displayName: string }[] };
  const u = body.items.find((x) => x.username === username);
  assert.ok(u, `user ${username} listed`);
  return u;
}

/** Chooses an action of a user's "more" menu (停用 / 启用 / 重置密码) and waits for its modal. */
async function openAction(page: Page, username: string, action: string): Promise<void> {
  await page.getByTestId(`user-more-${username}`).click();
  await page.locator('.ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-title-content').filter({ hasText: new RegExp(`^${action}$`) }).click();
  await page.locator('.ant-modal-wrap:visible .ant-modal-title').filter({ hasText: action === '重置密码' ? '重置密码' : `${action}用户` }).waitFor();
  await animationsSettled(page);
}

for (const viewport of [DESKTOP, PHONE_375]) {
  test(`users page ${viewport.width}px: disable and enable a user with a reason, reset the password, log in with it`, { timeout: 240_000 }, async () => {
    const suffix = `${viewport.width}${Date.now().toString(36).slice(-4)}`;
    const username = `modal_user_${suffix}`;
    const displayName = `弹窗测试${viewport.width}`;
    const strong = 'Kv7#pq2Lm-9x';
    const admin = await newContext(viewport);
    await postJson(admin, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    await postJson(admin, '/api/users', { username, displayName, role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason: '用户弹窗端到端测试' });

    const page = await admin.newPage();
    const errors = watchErrors(page);
    const row = page.getByTestId('users-row').filter({ has: page.getByTestId(`user-link-${username}`) });
    const status = row.getByTestId('user-status');
    try {
      await page.goto('/');
      // the layout is there (the side menu, or on a phone its toggle) before the menu is used
      await page.locator('[data-testid="nav-users"], [data-testid="menu-toggle"]').first().waitFor();
      await openMenu(page, 'users');
      await page.getByTestId('users-page').waitFor();
      await page.getByTestId('users-filter-q').locator('input').fill(username);
      await page.getByTestId('users-filter-q').locator('input').press('Enter');
      await row.waitFor();
      assert.equal(await page.getByTestId('users-row').count(), 1);
      assert.equal(await status.getAttribute('data-status'), 'active');
      assert.equal((await status.innerText()).trim(), '启用');

      // 停用: the reason is required; with it the user is disabled.
      await openAction(page, username, '停用');
      assert.equal((await page.locator('.ant-modal-wrap:visible .ant-modal-title').innerText()).trim(), `停用用户：${displayName}`);
      await page.getByTestId('status-submit').click();
      const reasonError = fieldError(page, 'status-reason');
      await reasonError.waitFor();
      assert.equal((await reasonError.innerText()).trim(), '请填写变更原因');
      await page.getByTestId('status-reason').fill('调离张相镇，停用账号');
      await shot(page, `users-modal-disable-${viewport.width}`);
      await page.getByTestId('status-submit').click();
      await toast(page, '已停用').waitFor();
      await page.locator('.ant-modal-wrap:visible').waitFor({ state: 'detached' }).catch(() => undefined);
      await row.locator('[data-testid="user-status"][data-status="disabled"]').waitFor();
      assert.equal((await status.innerText()).trim(), '停用');
      assert.equal((await userOf(admin, username)).status, 'disabled');
      await status.scrollIntoViewIfNeeded();
      await shot(page, `users-modal-disabled-${viewport.width}`);

      // A disabled user cannot log in.
      const refused = await newContext(viewport);
      try {
        const p = await refused.newPage();
        await login(p, username, INITIAL);
        const e = p.getByTestId('login-error');
        await e.waitFor();
        assert.match(await e.innerText(), /账号已停用，请联系管理员/);
      } finally {
        await refused.close();
      }

      // 启用 again (the modal opens empty: the reason of the last change is not kept).
      await openAction(page, username, '启用');
      assert.equal(await page.getByTestId('status-reason').inputValue(), '');
      await page.getByTestId('status-reason').fill('返回张相镇工作，重新启用');
      await page.getByTestId('status-submit').click();
      await toast(page, '已启用').waitFor();
      await row.locator('[data-testid="user-status"][data-status="active"]').waitFor();
      assert.equal((await status.innerText()).trim(), '启用');
      assert.equal((await userOf(admin, username)).status, 'active');

      // 重置密码: a weak password is refused with the domain's message, nothing is sent; a strong one is accepted.
      await openAction(page, username, '重置密码');
      assert.equal((await page.locator('.ant-modal-wrap:visible .ant-modal-title').innerText()).trim(), `重置密码：${displayName}`);
      const sent: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes(`/api/users/`) && r.url().endsWith('/reset-password')) sent.push(r.method());
      });
      await page.getByTestId('reset-password').fill('password1');
      await page.getByTestId('reset-reason').fill('用户忘记密码');
      await page.getByTestId('reset-submit').click();
      const weak = fieldError(page, 'reset-password');
      await weak.waitFor();
      assert.equal((await weak.innerText()).trim(), validatePassword('password1', { username, displayName }));
      assert.match((await weak.innerText()).trim(), /^密码太容易被猜到/);
      await shot(page, `users-modal-reset-weak-${viewport.width}`);
      assert.deepEqual(sent, []);
      await page.getByTestId('reset-password').fill(strong);
      await weak.waitFor({ state: 'detached' });
      await page.getByTestId('reset-submit').click();
      await toast(page, `已重置 ${displayName} 的密码`).waitFor();
      assert.deepEqual(sent, ['POST']);
      await shot(page, `users-modal-reset-done-${viewport.width}`);
      assert.deepEqual(errors, []);
    } finally {
      await admin.close();
    }

    // The user logs in with the new password (the old one no longer works) and must change it first.
    const user = await newContext(viewport);
    try {
      const p = await user.newPage();
      await login(p, username, INITIAL);
      await p.getByTestId('login-error').waitFor();
      await login(p, username, strong);
      await p.waitForURL((u) => u.pathname.startsWith('/change-password'));
      await p.getByTestId('password-current').fill(strong);
      await p.getByTestId('password-new').fill('Rw4!nz8Qt-3k');
      await p.getByTestId('password-confirm').fill('Rw4!nz8Qt-3k');
      await p.getByTestId('password-submit').click();
      await p.waitForURL((u) => u.pathname === '/');
      const me = (await (await user.request.get('/api/auth/me')).json()) as { username: string; mustChangePassword: boolean };
      assert.equal(me.username, username);
      assert.equal(me.mustChangePassword, false);
    } finally {
      await user.close();
    }
  });
}
