/**
 * The audit log in words, in a real browser at 1366 px: a household registered with a reason → its entries name
 * the household (户 head（village）) with a link to its page, the member entry names the household too, the actor
 * shows as display name and user name, the reason is in its own column; ID numbers and phones are masked until the
 * reveal switch is on (the reveal itself appears in the log); the link opens the household page.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/audit.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, login, newContext, postJson, shot, testIdNumber, watchErrors, withBrowser } from './helpers';

const VILLAGE = '211204101200'; // 大孟屯村民委员会, 张相镇, 清河区
const STAMP = (Date.now() + 31) % 100_000;
const HEAD = `审计${'甲乙丙丁戊己庚辛壬癸'[STAMP % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(STAMP / 10) % 10]}`;
const PHONE = `139${String(10_000_000 + STAMP).slice(-8)}`;

withBrowser();

test('audit log: entries in words with links, people by name, reasons, private values masked until revealed', { timeout: 180_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const idNumber = testIdNumber('1968-04-12', true, 3, STAMP * 17);
    const created = await postJson(ctx, '/api/households', {
      household: { householdNo: `AU-${String(STAMP).padStart(5, '0')}`, villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', phone: PHONE },
      head: {
        idNumber, name: HEAD, sex: 'male', birthDate: '1968-04-12', ethnicity: '01', education: 'junior',
        schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', phone: PHONE,
      },
      reason: '新识别农户（审计测试）',
    });
    const householdUrl = `/households/211204/${String(created.id)}`;

    await page.goto('/audit');
    const table = page.getByTestId('audit-table');
    const householdRow = table.locator('tr', { has: page.locator('[data-testid="audit-subject"][data-entity="households"]', { hasText: HEAD }) }).first();
    await householdRow.waitFor();
    const subject = householdRow.getByTestId('audit-subject');
    assert.equal((await subject.locator('a').first().innerText()).trim(), `户 ${HEAD}（大孟屯村民委员会）`);
    assert.equal(await subject.locator('a').first().getAttribute('href'), householdUrl);
    assert.match(await householdRow.getByTestId('audit-actor').innerText(), /系统管理员\s*admin/);
    assert.equal((await householdRow.getByTestId('audit-reason').innerText()).trim(), '新识别农户（审计测试）');
    assert.equal((await householdRow.getByTestId('audit-action').innerText()).trim(), '新建农户');

    const memberRow = table.locator('tr', { has: page.locator('[data-testid="audit-subject"][data-entity="members"]', { hasText: HEAD }) }).first();
    const memberSubject = (await memberRow.getByTestId('audit-subject').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(memberSubject, `成员 ${HEAD} 户 ${HEAD}（大孟屯村民委员会）`);
    assert.doesNotMatch(await table.innerText(), /\b(households|members) #\d+/, 'no raw table names');

    // the columns people read are inside the viewport at 1366 px
    for (const testId of ['audit-subject', 'audit-actor', 'audit-reason']) {
      const box = await householdRow.getByTestId(testId).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + (testId === 'audit-reason' ? 60 : box.width) <= 1366, `${testId} visible: ${JSON.stringify(box)}`);
    }

    // private values: masked in the expanded entry, full after the (logged) reveal
    await memberRow.locator('.ant-table-row-expand-icon').click();
    const expanded = page.locator('.tp-audit-expanded').first();
    await expanded.waitFor();
    let text = await expanded.innerText();
    assert.equal(text.includes(idNumber), false, 'ID number masked');
    assert.ok(text.includes(`${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`), text);
    assert.equal(text.includes(PHONE), false, 'phone masked');
    await shot(page, 'audit-01-words-1366');

    await page.getByTestId('audit-reveal').click();
    const revealedRow = table.locator('tr', { has: page.locator('[data-testid="audit-subject"][data-entity="members"]', { hasText: HEAD }) }).first();
    await revealedRow.waitFor();
    // the table reloads with the entry still expanded (same row key); open it if it was not kept open
    const full = page.locator('.tp-audit-expanded', { hasText: idNumber }).first();
    if (!(await full.waitFor({ timeout: 5000 }).then(() => true, () => false))) await revealedRow.locator('.ant-table-row-expand-icon').click();
    await full.waitFor();
    text = await page.locator('.tp-audit-expanded', { hasText: idNumber }).first().innerText();
    assert.ok(text.includes(PHONE), 'phone in full');
    // the reveal is itself an entry
    await page.getByTestId('audit-reveal').click();
    await table.locator('tr', { has: page.locator('[data-testid="audit-subject"][data-entity="audit_log"]') }).first().waitFor();
    await shot(page, 'audit-02-revealed-logged');

    // the subject's link opens the household page
    await table.locator('tr', { has: page.locator('[data-testid="audit-subject"][data-entity="households"]', { hasText: HEAD }) }).first()
      .getByTestId('audit-subject').locator('a').first().click();
    await page.waitForURL((u) => u.pathname === householdUrl);
    await page.getByTestId('household-page').getByText(HEAD).first().waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
