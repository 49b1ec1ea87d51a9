/**
 * Message codes (issue 11 item 5): in English the web shows the server's errors and the domain validators' problems
 * from the domain's message catalogue by code and params, not the server's Chinese text — a login refusal (the
 * page's alert), a refusal of one field by the server (a detail with its own code), and the password rule run in
 * the browser.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/messages.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { msg, renderMessage } from '@tuopin/domain';
import { passwordProblem } from '@tuopin/domain/password';
import { ADMIN_PASSWORD, login, newContext, postJson, shot, watchErrors, withBrowser } from './helpers';

withBrowser();

const ZHANGXIANG = '211204101000'; // 张相镇
const INITIAL = 'Initial2025x';

const fieldError = (page: Page, testId: string) =>
  page.locator(`.ant-form-item:has([data-testid="${testId}"]) .ant-form-item-explain-error`).first();

async function inEnglish(page: Page): Promise<void> {
  await page.goto('/login');
  await page.evaluate(() => localStorage.setItem('tuopin.lang', 'en'));
  await page.reload();
}

test('server errors and validator problems are shown in English from the catalogue', { timeout: 120_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-5);
  const username = `msg_officer_${suffix}`;
  const adminCtx = await newContext();
  await postJson(adminCtx, '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  await postJson(adminCtx, '/api/users', { username, displayName: '消息代码测试', role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason: '消息代码端到端测试' });
  await adminCtx.close();

  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await inEnglish(page);
    // A refused login: the alert shows the catalogue's English text of auth.wrongCredentials.
    await login(page, `msg_nobody_${suffix}`, 'Wrong2025pass');
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    assert.equal((await alert.innerText()).trim(), renderMessage(msg('auth.wrongCredentials'), 'en'));

    // The forced password change: a wrong current password is refused by the server on that field (a detail with
    // the code auth.currentPasswordWrong), shown in English.
    await login(page, username, INITIAL);
    await page.waitForURL((u) => u.pathname.startsWith('/change-password'));
    await page.getByTestId('password-current').fill('Nottheone2025');
    await page.getByTestId('password-new').fill('Kestrel-Lantern-93');
    await page.getByTestId('password-confirm').fill('Kestrel-Lantern-93');
    await page.getByTestId('password-submit').click();
    const current = fieldError(page, 'password-current');
    await current.waitFor();
    assert.equal((await current.innerText()).trim(), renderMessage(msg('auth.currentPasswordWrong'), 'en'));

    // The password rule in the browser: its problem (code + params, a nested reason) in English.
    await page.getByTestId('password-current').fill(INITIAL);
    await page.getByTestId('password-new').fill('password1');
    await page.getByTestId('password-confirm').fill('password1');
    await page.getByTestId('password-submit').click();
    const weak = fieldError(page, 'password-new');
    await weak.waitFor();
    const expected = renderMessage(passwordProblem('password1', { username, displayName: '消息代码测试' })!, 'en')!;
    assert.match(expected, /^The password is too easy to guess \(.+\); use a longer, less regular one$/);
    assert.equal((await weak.innerText()).trim(), expected);
    await shot(page, 'messages-english');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
