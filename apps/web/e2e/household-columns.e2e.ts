/**
 * At 1366 px every column of the household list and of a household's member table is inside the visible part of the
 * table (no column cut off at the right, none hidden behind a fixed column): the bounding boxes of the headers of
 * 住房等级 / 人均纯收入 / 未参保 and of 医疗保险 / 务工情况 lie within the table's visible area and the viewport.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/household-columns.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD, login, newContext, postJson, shot, testIdNumber, watchErrors, withBrowser } from './helpers';

const VILLAGE = '211204101200'; // 大孟屯村民委员会, 张相镇
const STAMP = (Date.now() + 37) % 100_000;

/** The header cell's box lies inside the table's visible (scrolling) area and the viewport, not under a fixed column. */
async function assertVisible(page: Page, table: Locator, header: string): Promise<void> {
  const th = table.locator('thead th', { hasText: header }).first();
  await th.waitFor();
  // into view vertically (elementFromPoint sees only the viewport); the table itself must not have to scroll sideways
  // (the household page's panels load on their own and move the table down: wait until it stays put)
  let last = '';
  for (let i = 0; i < 40; i++) {
    await th.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'nearest' }));
    await page.waitForTimeout(150);
    const now = JSON.stringify(await th.boundingBox());
    if (now === last) break;
    last = now;
  }
  const scrolled = await table.locator('.ant-table-content, .ant-table-body').first().evaluate((el) => el.scrollLeft);
  assert.equal(scrolled, 0, `${header}: the table had to scroll sideways`);
  const cell = await th.boundingBox();
  const area = await table.locator('.ant-table-content, .ant-table-body').first().boundingBox();
  assert.ok(cell && area, header);
  const width = page.viewportSize()!.width;
  assert.ok(cell.x >= area.x - 1 && cell.x + cell.width <= area.x + area.width + 1, `${header} inside the table: ${JSON.stringify({ cell, area })}`);
  assert.ok(cell.x + cell.width <= width, `${header} inside the viewport: ${JSON.stringify(cell)}`);
  // nothing (a fixed column) is drawn over its middle
  const hit = await page.evaluate(({ x, y }) => {
    const el = document.elementFromPoint(x, y);
    return el?.closest('th')?.textContent ?? `${el?.tagName ?? 'nothing'}.${el?.className ?? ''}`;
  }, { x: cell.x + cell.width / 2, y: cell.y + cell.height / 2 });
  assert.ok(hit?.includes(header), `${header} not covered (found ${hit}) at ${JSON.stringify(cell)} in ${JSON.stringify(page.viewportSize())}`);
}

withBrowser();

test('household list and member table: every column visible at 1366 px', { timeout: 120_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: `CW-${String(STAMP).padStart(5, '0')}`, villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness' },
      head: {
        idNumber: testIdNumber('1966-08-08', true, 5, STAMP * 19), name: '列宽测试', sex: 'male', birthDate: '1966-08-08', ethnicity: '01', education: 'junior',
        schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', workMonths: 8, workPlace: 'county',
      },
      reason: '端到端测试',
    });

    await page.goto('/households');
    const list = page.getByTestId('households-table');
    await list.locator('tbody tr.tp-hh-row').first().waitFor();
    for (const h of ['住房等级', '人均纯收入', '未参保']) await assertVisible(page, list, h);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'household-columns-01-list-1366');

    await page.goto(`/households/211204/${String(created.id)}`);
    const members = page.getByTestId('members');
    await members.getByTestId('member-row').first().waitFor();
    for (const h of ['医疗保险', '务工情况']) await assertVisible(page, members, h);
    await page.evaluate(() => window.scrollTo(0, 0)); // a full-page screenshot from the top
    await shot(page, 'household-columns-02-members-1366');
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
