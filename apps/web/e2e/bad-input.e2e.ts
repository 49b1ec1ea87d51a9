/**
 * A refusal the server makes on bad input reaches the user where they are working: a rule that type-checks but
 * overflows on the data (9223372036854775807 + 1) is shown under the dry run as a rule error, in words, with no
 * server error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ADMIN_PASSWORD, SCREENSHOT_DIR, animationsSettled, currentYearInChina, login, newContext, pickRegion, postJson, testIdNumber, watchErrors, withBrowser } from './helpers';

const ZHANGXIANG = '211204101000'; // 张相镇
const VILLAGE = '211204101206'; // 张相屯村
const STAMP = Date.now() % 100_000;
const HOUSEHOLD_NO = `BAD-${String(STAMP).padStart(5, '0')}`;

withBrowser();

const BIRTH = `${currentYearInChina() - 45}-05-06`;
/** One household of 张相镇 registered through the API, so that the dry run has a household to evaluate. */
const household = {
  household: { householdNo: HOUSEHOLD_NO, villageCode: VILLAGE, attribute: 'none' },
  head: {
    idNumber: testIdNumber(BIRTH, true, 1, STAMP), name: '边界测试', sex: 'male', birthDate: BIRTH, ethnicity: '01', education: 'junior',
    schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident',
  },
  reason: '端到端测试',
};

test('bad input: an overflowing rule is a rule error under the dry run, not a server error', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await postJson(ctx, '/api/households', household);

    await page.goto('/monitoring/rules');
    await page.getByTestId('rules-page').waitFor();
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-editor').waitFor();
    await page.getByTestId('rule-expression').fill('household.size + 9223372036854775807 > 0');
    await page.getByTestId('rule-check-ok').waitFor();
    await pickRegion(page, 'dry-region', '张相', ZHANGXIANG);
    await page.getByTestId('dry-run').click();
    const error = page.getByTestId('dry-error');
    await error.filter({ hasText: '整数溢出' }).waitFor({ timeout: 30_000 });
    assert.match((await error.innerText()).trim(), /规则在计算时出错：数值超出允许范围（整数溢出）/);
    assert.equal(await page.getByTestId('dry-count').count(), 0, 'no count for a rule that failed');
    await animationsSettled(page);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'bad-input-01-dry-run-overflow.png') });
    assert.deepEqual(errors, [], 'no server error and no page error');
  } finally {
    await ctx.close();
  }
});
