/**
 * Password strength in the browser (issue 10, item 20): the forced change of an initial password and the user form
 * refuse a common or guessable password with the domain's message (validatePassword) before anything is sent, and
 * a strong one goes through.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/password.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { validatePassword } from '@tuopin/domain/password';
import { ADMIN_PASSWORD, DESKTOP, login, newContext, openMenu, postJson, shot, watchErrors, withBrowser } from './helpers';

withBrowser();

const ZHANGXIANG = '211204101000'; // 张相镇
const INITIAL = 'Initial2025x';
const WEAK_MESSAGE = validatePassword('password1')!;

/** The error shown under a form field (antd's explain text of the item holding the test id). */
const fieldError = (page: Page, testId: string) =>
  page.locator(`.ant-form-item:has([data-testid="${testId}"]) .ant-form-item-explain-error`).first();

test('weak passwords are refused in the forms with the domain message; a strong one is accepted', { timeout: 180_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-5);
  const username = `pw_officer_${suffix}`;
  const adminCtx = await newContext();
  await postJson(adminCtx, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  await postJson(adminCtx, '/api/users', { username, displayName: '张相镇密码测试', role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason: '密码强度端到端测试' });

  for (const viewport of [DESKTOP, { width: 375, height: 760 }]) {
    const ctx = await newContext(viewport);
    const page = await ctx.newPage();
    const errors = watchErrors(page);
    try {
      await login(page, username, INITIAL);
      await page.waitForURL((u) => u.pathname.startsWith('/change-password'));
      await page.getByTestId('password-current').fill(INITIAL);
      await page.getByTestId('password-new').fill('password1');
      await page.getByTestId('password-confirm').fill('password1');
      await page.getByTestId('password-submit').click();
      const error = fieldError(page, 'password-new');
      await error.waitFor();
      assert.equal((await error.innerText()).trim(), WEAK_MESSAGE);
      await shot(page, `password-weak-${viewport.width}`);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  }

  // The user form of the administrator: the same rule and message, with the person's names as guessable words.
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await openMenu(page, 'users');
    await page.getByTestId('users-page').waitFor();
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-form-username').fill(`pw_new_${suffix}`);
    await page.getByTestId('user-form-displayName').fill('xiaofeng 王');
    await page.getByTestId('user-form-password').fill('Passw0rd');
    const weak = fieldError(page, 'user-form-password');
    await weak.waitFor();
    assert.equal((await weak.innerText()).trim(), validatePassword('Passw0rd')!);
    await page.getByTestId('user-form-password').fill('Xiaofeng#2026');
    await weak.filter({ hasText: '包含用户名、姓名或系统名称' }).waitFor();
    await shot(page, 'password-user-form-1366');
    await page.getByTestId('user-form-password').fill('Tl7#kq9Vx2-zx');
    await weak.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await adminCtx.close();
  }

  // And the forced change goes through with a strong password.
  const done = await newContext();
  try {
    const page = await done.newPage();
    await login(page, username, INITIAL);
    await page.waitForURL((u) => u.pathname.startsWith('/change-password'));
    await page.getByTestId('password-current').fill(INITIAL);
    await page.getByTestId('password-new').fill('Hq7p-Wz4n-Rb');
    await page.getByTestId('password-confirm').fill('Hq7p-Wz4n-Rb');
    await page.getByTestId('password-submit').click();
    await page.waitForURL((u) => u.pathname === '/');
  } finally {
    await done.close();
  }
});
