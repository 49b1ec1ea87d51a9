/**
 * Shared helpers of the browser end-to-end tests (node:test + playwright-core).
 *
 * Environment:
 *   E2E_BASE_URL        where the app is served (default http://localhost:3000)
 *   E2E_ADMIN_PASSWORD  the password of the bootstrap user `admin`
 *   E2E_CHROMIUM        the Chromium binary (default /usr/bin/chromium)
 *   E2E_HEADED=1        show the browser
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before } from 'node:test';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { idCheckCharacter, SHEETS, type SheetName } from '@tuopin/domain';
import { todayInChina } from '../../server/src/clock';

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (apps/web/e2e → ../../..). */
export const REPO_ROOT = resolve(here, '../../..');
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e');

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://localhost:3000').replace(/\/$/, '');
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD ?? '';

export const DESKTOP = { width: 1366, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Today in China ('YYYY-MM-DD'): the product's calendar, whatever the runner's time zone. */
export { todayInChina, currentYearInChina } from '../../server/src/clock';
/** The date `days` days after (negative: before) `from` (default: today in China), 'YYYY-MM-DD'. */
export function chinaDateOffset(days: number, from: string = todayInChina()): string {
  return new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.E2E_CHROMIUM ?? '/usr/bin/chromium',
    headless: process.env.E2E_HEADED !== '1',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'].filter(
      (a) => a !== '--headless' || process.env.E2E_HEADED !== '1',
    ),
  });
}

let shared: Browser | null = null;

/** One Chromium for the tests of a file: launched before them (E2E_ADMIN_PASSWORD must be set), closed after. */
export function withBrowser(): void {
  before(async () => {
    assert.ok(ADMIN_PASSWORD, 'E2E_ADMIN_PASSWORD must be set');
    shared = await launch();
  });
  after(async () => {
    await shared?.close();
    shared = null;
  });
}

/** A browser context of the file's Chromium (withBrowser) at the given viewport. */
export async function newContext(viewport: { width: number; height: number } = DESKTOP): Promise<BrowserContext> {
  if (!shared) throw new Error('call withBrowser() in the test file first');
  const ctx = await shared.newContext({
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

/** Waits until no finite CSS animation or transition is running (antd's drawers, modals, dropdowns, tabs). */
export async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
}

/** Saves a full-page screenshot to test-results/e2e/<name>.png and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await animationsSettled(page);
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

// ---- seeding the registry through the product's own import API --------------------------------------------

/** A row of an import sheet: Chinese header → cell text. */
export type SheetRow = Record<string, string>;

/** A valid resident ID number of 清河区 for a birth date and sex; `salt` and `k` spread the sequence numbers. */
export function testIdNumber(birth: string, male: boolean, k: number, salt: number): string {
  const seq = ((salt + k * 41) % 450) * 2 + (male ? 1 : 0) + 100;
  const first17 = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0').slice(-3)}`;
  return first17 + idCheckCharacter(first17);
}

/** A sheet of the import template as CSV (every key must be a header of the sheet). */
export function sheetCsv(sheet: SheetName, rows: SheetRow[]): string {
  const cols = SHEETS[sheet].columns;
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.some((c) => c.header === k)) throw new Error(`${k} is not a column of ${sheet}`);
  const lines = [cols.map((c) => c.header).join(','), ...rows.map((r) => cols.map((c) => r[c.header] ?? '').join(','))];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

async function waitImport(request: APIRequestContext, id: number, statuses: string[]): Promise<{ status: string; body: string }> {
  const end = Date.now() + 60_000;
  for (;;) {
    const res = await request.get(`/api/imports/${id}`);
    const body = await res.text();
    const status = (JSON.parse(body) as { import: { status: string } }).import.status;
    if (statuses.includes(status)) return { status, body };
    if (Date.now() > end) throw new Error(`import ${id} still ${status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Imports sheets through the import API as the logged-in user: upload, dry run, commit; fails unless committed. */
export async function importSheets(request: APIRequestContext, sheets: Partial<Record<SheetName, SheetRow[]>>): Promise<void> {
  const me = (await (await request.get('/api/auth/me')).json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': me.csrfToken };
  const fd = new FormData();
  for (const [sheet, rows] of Object.entries(sheets) as [SheetName, SheetRow[]][]) {
    fd.append('files', new Blob([sheetCsv(sheet, rows)], { type: 'text/csv' }), `${SHEETS[sheet].title}.csv`);
  }
  const up = await request.fetch('/api/imports', { method: 'POST', headers, multipart: fd });
  if (up.status() !== 201) throw new Error(`upload: ${up.status()} ${await up.text()}`);
  const id = ((await up.json()) as { id: number }).id;
  const validated = await waitImport(request, id, ['validated', 'invalid', 'failed']);
  if (validated.status !== 'validated') throw new Error(`import ${id} was ${validated.status}: ${validated.body.slice(0, 3000)}`);
  const commit = await request.post(`/api/imports/${id}/commit`, { headers });
  if (commit.status() !== 200) throw new Error(`commit: ${commit.status()} ${await commit.text()}`);
  const committed = await waitImport(request, id, ['committed', 'failed']);
  if (committed.status !== 'committed') throw new Error(`import ${id} was ${committed.status}`);
}

/**
 * Chooses the option of an antd Select whose label is exactly `text` (“监测对象” is not “脱贫户和监测对象”); a click
 * during the dropdown's opening animation can land on a neighbour, so check the selection and retry.
 */
/**
 * Waits until antd's select dropdown has finished moving and is open (`open`) or closed: while it slides in, an
 * option is not where it will be (a click chose the neighbouring option on a loaded machine), and while it slides
 * out it still covers what lies below it (a click on the next field landed on it).
 */
export async function selectDropdownSettled(page: Page, open: boolean): Promise<void> {
  await page.waitForFunction((wantOpen) => {
    const all = [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown')];
    if (all.some((d) => /-(enter|appear|leave)\b/.test(d.className))) return false;
    const shown = all.some((d) => !d.classList.contains('ant-select-dropdown-hidden') && getComputedStyle(d).display !== 'none' && d.getClientRects().length > 0);
    return shown === wantOpen;
  }, open);
}

export async function chooseOption(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).first();
    await option.waitFor();
    await selectDropdownSettled(page, true);
    await option.click();
    await selectDropdownSettled(page, false);
    // the test id is on the Select itself or (in forms) on its input
    const root = page.locator(`.ant-select[data-testid="${testId}"], .ant-select:has([data-testid="${testId}"])`).first();
    if ((await root.innerText()).trim() === text) return;
  }
  throw new Error(`could not choose “${text}” in ${testId}`);
}

/** POST JSON as the context's logged-in user (with its CSRF token); fails the test unless the answer is 2xx. */
export async function postJson(ctx: BrowserContext, url: string, data: unknown): Promise<Record<string, unknown>> {
  const csrf = (await ctx.cookies()).find((c) => c.name === 'tuopin_csrf')?.value ?? '';
  const r = await ctx.request.post(url, { data, headers: { 'x-csrf-token': csrf } });
  const body = (await r.json()) as Record<string, unknown>;
  if (!r.ok()) throw new Error(`${url}: ${r.status()} ${JSON.stringify(body)}`);
  return body;
}

/** The <input> of an antd control carrying a test id (on the input itself or on a wrapper). */
export const inputOf = (l: Locator) => l.locator('xpath=self::input | self::textarea | .//input').first();

/** Types a date into an antd DatePicker and confirms it. */
export async function fillDate(page: Page, picker: Locator, date: string): Promise<void> {
  const input = inputOf(picker);
  await input.click();
  await input.press('Control+A');
  await input.pressSequentially(date);
  await input.press('Enter');
  assert.equal(await input.inputValue(), date);
  await page.keyboard.press('Escape');
}
