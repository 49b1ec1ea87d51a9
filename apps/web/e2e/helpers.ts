/**
 * Shared helpers of the browser end-to-end tests (node:test + playwright-core).
 *
 * Environment:
 *   E2E_BASE_URL        where the app is served (default http://localhost:3000)
 *   E2E_ADMIN_PASSWORD  the password of the bootstrap user `admin`
 *   E2E_CHROMIUM        the Chromium binary (default /usr/bin/chromium)
 *   E2E_HEADED=1        show the browser
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (apps/web/e2e → ../../..). */
export const REPO_ROOT = resolve(here, '../../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e');

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? '';

export const DESKTOP = { width: 1366, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: process.env.E2E_HEADED !== '1',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'].filter(
      (a) => a !== '--headless' || process.env.E2E_HEADED !== '1',
    ),
  });
}

export async function newContext(
  browser: Browser,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    baseURL: BASE_URL,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 1,
    isMobile: viewport.width < 500,
    hasTouch: viewport.width < 500,
  });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** Saves a full-page screenshot to test-results/e2e/<name>.png and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // let antd animations settle
  await page.waitForTimeout(350);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects uncaught page errors and failed API responses, to report them with a failure. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() >= 500) errors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return errors;
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

export async function logout(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('menu-logout').click();
  await page.waitForURL(/\/login$/);
}

/** Opens a page through the side menu (or the drawer on a phone). */
export async function openMenu(page: Page, key: 'dashboard' | 'regions' | 'users' | 'audit'): Promise<void> {
  const link = page.getByTestId(`nav-${key}`);
  if (!(await link.isVisible())) await page.getByTestId('menu-toggle').click();
  await link.click();
}

/**
 * Chooses a region in a RegionPicker by typing part of its name and clicking the search
 * result with the given code.
 */
export async function pickRegion(page: Page, pickerTestId: string, text: string, code: string): Promise<void> {
  const picker = page.getByTestId(pickerTestId);
  await picker.click();
  await picker.locator('input').fill(text);
  await page.getByTestId(`region-option-${code}`).click();
}

/** The visible texts of all elements matching a test id. */
export async function texts(page: Page, testId: string): Promise<string[]> {
  return (await page.getByTestId(testId).allInnerTexts()).map((s) => s.trim());
}
