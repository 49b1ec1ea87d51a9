/**
 * The lines of each year, end to end in a real browser: a household with income in 2020 and this year — its page
 * measures 2020 against the exit standard (4,400, there was no monitoring line yet) and this year against the
 * monitoring line (7,260); the exit panel headlines the monitoring line; the settings page of 2020 shows the
 * monitoring line as not in force and offers no way to set it. At 1366 px and 375 px.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/policy-years.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ADMIN_PASSWORD, currentYearInChina, login, newContext, postJson, SCREENSHOT_DIR, shot, testIdNumber, watchErrors, withBrowser } from './helpers';
import type { BrowserContext } from 'playwright-core';

const VILLAGE = '211204101200'; // 大孟屯村, 张相镇, 清河区
const STAMP = Date.now() % 100_000;
const HOUSEHOLD_NO = `PY-${String(STAMP).padStart(5, '0')}`;
const YEAR = currentYearInChina();

withBrowser();

async function putJson(ctx: BrowserContext, url: string, data: unknown): Promise<void> {
  const csrf = (await ctx.cookies()).find((c) => c.name === 'tuopin_csrf')?.value ?? '';
  const r = await ctx.request.put(url, { data, headers: { 'x-csrf-token': csrf } });
  if (!r.ok()) throw new Error(`${url}: ${r.status()} ${await r.text()}`);
}

test('lines of the year: exit standard for 2020, monitoring line from 2021 (household page, exit panel, settings page)', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: HOUSEHOLD_NO, villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2015, mainCause: 'illness' },
      head: {
        idNumber: testIdNumber('1962-07-07', true, 1, STAMP * 11 + 5), name: '邵长顺', sex: 'male', birthDate: '1962-07-07', ethnicity: '01', education: 'primary',
        schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident',
      },
      reason: '端到端测试',
    });
    // 5,000 yuan for one person: above the 2020 exit standard (4,400), below this year's monitoring line (7,260)
    for (const y of [2020, YEAR]) {
      await putJson(ctx, `/api/households/211204/${String(created.id)}/income/${y}`, { items: { otherWage: 5000 }, reason: '端到端测试' });
    }

    await page.goto(`/households/211204/${String(created.id)}?tab=income`);
    const line = page.getByTestId('income-line');
    await line.waitFor();
    // the newest year first: measured against the monitoring line, and below it
    assert.equal(await line.getAttribute('data-key'), 'monitoringLine');
    assert.equal(await page.getByTestId('income-line-value').innerText(), '7,260.00');
    assert.match(await line.innerText(), new RegExp(`${YEAR} 年防返贫监测标准`));
    assert.equal(await page.getByTestId('income-per-capita').getAttribute('data-below'), 'true');
    await page.getByTestId('exit-panel-monitoring-line').filter({ hasText: '防返贫监测标准：7,260' }).waitFor();
    await shot(page, 'policy-years-01-household-current');

    await page.getByTestId('income-year').getByText(`${2020} 年`, { exact: false }).click();
    await page.locator('[data-testid="income-line"][data-key="povertyLine"]').waitFor();
    assert.equal(await page.getByTestId('income-line-value').innerText(), '4,400.00');
    assert.match(await page.getByTestId('income-line-note').innerText(), /2020 年尚无防返贫监测标准/);
    assert.equal(await page.getByTestId('income-per-capita').getAttribute('data-below'), null, '5,000 is above the 2020 exit standard');
    await shot(page, 'policy-years-02-household-2020');

    await page.goto('/policy?year=2020');
    const row = page.locator('[data-testid="policy-setting"][data-key="monitoringLine"]');
    await row.getByTestId('policy-value').filter({ hasText: '该年度未设立（2021 年起）' }).waitFor();
    assert.equal(await row.getByTestId('policy-edit').count(), 0, 'not settable for a year before it existed');
    assert.match(await page.locator('[data-testid="policy-setting"][data-key="povertyLine"]').getByTestId('policy-value').innerText(), /4,400/);
    await shot(page, 'policy-years-03-settings-2020');

    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`/households/211204/${String(created.id)}?tab=income`);
    await page.getByTestId('income-line').first().waitFor();
    await shot(page, 'policy-years-04-household-phone');
    await page.getByTestId('income').first().screenshot({ path: join(SCREENSHOT_DIR, 'policy-years-05-income-phone.png') });
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
