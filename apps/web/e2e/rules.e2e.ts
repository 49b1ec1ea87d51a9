/**
 * Warning rules, end to end in a real browser:
 * three households of 张相镇 (清河区) are imported through the API — one exited household far under the monitoring
 * line, one with a member without medical insurance, one with neither → admin opens 预警规则, inserts a field from
 * the help panel, types a rule with a misspelt field and sees the positioned Chinese error while typing (marked in
 * the box, caret line under it), fixes it, dry-runs it on 张相镇 (the real count and the household in the preview,
 * the TypeScript evaluation agreeing), saves it (version 1), changes it (a reason is required; version 2, shown in
 * the versions drawer) → 预警运行 on the township with the progress bar: every rule's matches equal its dry run,
 * the new rule raised exactly one clue, a second run raises none → the clue inbox, filtered to platform clues of
 * the township, lists the clues of both households → a township officer at 375 px: the rules read-only as cards,
 * a dry run of the saved rule in the own township, the runs as cards, no horizontal overflow.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/rules.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { RuleDryRun, RuleRecord } from '@tuopin/domain';
import pg from 'pg';
import { backdateProcedure } from '../../server/test/time-travel';
import { ADMIN_PASSWORD, SCREENSHOT_DIR, login, newContext, pickRegion, shot, watchErrors, importSheets, testIdNumber, type SheetRow, withBrowser, currentYearInChina, todayInChina, chinaDateOffset, animationsSettled } from './helpers';

const ZHANGXIANG = '211204101000'; // 张相镇, 清河区
const VILLAGES = ['211204101206', '211204101207'] as const; // 张相屯村, 十八道岗子村
const YEAR = currentYearInChina();
const STAMP = Date.now() % 100_000;
const PREFIX = `RE2E-${String(STAMP).padStart(5, '0')}-`;
const householdNo = (n: number) => `${PREFIX}${n}`;
const RULE_ID = `e2e_low_income_${STAMP}`;
const RULE_NAME = `端到端测试：本批次低收入户 ${STAMP}`;
const PHONE_375 = { width: 375, height: 812 };
const INITIAL = 'Initial2025x';
const CHANGED = 'Changed2025y';
const TOWN_USER = `rules_zx_${STAMP}`;

withBrowser();

// ---- the households ------------------------------------------------------------------------------------


type Row = SheetRow;

const households: Row[] = [1, 2, 3].map((n) => ({
  户编号: householdNo(n),
  所在村代码: n === 3 ? VILLAGES[1] : VILLAGES[0],
  户属性: '一般贫困户',
  识别年度: '2016',
  脱贫年度: '2019',
  主要致贫原因: '因病',
  年度: String(YEAR),
  户状态: '已脱贫户',
  是否监测对象: '否',
}));

/** Household net income of the year: 4,000 yuan for two persons is 2,000 per person, far under any monitoring line. */
const income: Row[] = [
  { 户编号: householdNo(1), 年度: String(YEAR), '其他工资性收入（元）': '4000' },
  { 户编号: householdNo(2), 年度: String(YEAR), '其他工资性收入（元）': '60000' },
  { 户编号: householdNo(3), 年度: String(YEAR), '其他工资性收入（元）': '60000' },
];

type Person = { hh: number; name: string; relation: string; age: number; male: boolean; insurance?: string };
const people: Person[] = [
  { hh: 1, name: '冯国强', relation: '户主', age: 58, male: true },
  { hh: 1, name: '王秀英', relation: '配偶', age: 56, male: false },
  { hh: 2, name: '郑海涛', relation: '户主', age: 41, male: true },
  { hh: 2, name: '刘春丽', relation: '配偶', age: 39, male: false, insurance: '未参保' },
  { hh: 3, name: '高明远', relation: '户主', age: 47, male: true },
  { hh: 3, name: '高翠兰', relation: '配偶', age: 45, male: false },
];
const HEAD_LOW = '冯国强';
const HEAD_UNINSURED = '郑海涛';
const members: Row[] = people.map((p, i) => {
  const birth = `${YEAR - p.age}-03-${String(11 + i).padStart(2, '0')}`;
  return {
    户编号: householdNo(p.hh),
    证件类型: '居民身份证',
    证件号码: testIdNumber(birth, p.male, i, STAMP * 11),
    姓名: p.name,
    与户主关系: p.relation,
    性别: p.male ? '男' : '女',
    出生日期: birth,
    民族: '汉族',
    文化程度: '初中',
    在校生状况: '非在校生',
    健康状况: '健康',
    劳动技能: '普通劳动力',
    基本医疗保险: p.insurance ?? '城乡居民基本医疗保险',
  };
});

async function csrf(ctx: BrowserContext): Promise<string> {
  return (await ctx.cookies()).find((c) => c.name === 'tuopin_csrf')?.value ?? '';
}

async function post<T = Record<string, unknown>>(ctx: BrowserContext, url: string, data: unknown, token?: string): Promise<T> {
  const r = await ctx.request.post(url, { data, headers: { 'x-csrf-token': token ?? (await csrf(ctx)) } });
  const body = (await r.json()) as T;
  assert.ok(r.ok(), `${url}: ${r.status()} ${JSON.stringify(body)}`);
  return body;
}

async function get<T>(ctx: BrowserContext, url: string): Promise<T> {
  const r = await ctx.request.get(url);
  assert.ok(r.ok(), `${url}: ${r.status()} ${await r.text()}`);
  return (await r.json()) as T;
}

/** Imports the households through the product's own import API (upload, dry run, commit), as the logged-in user. */
const seed = (ctx: BrowserContext) => importSheets(ctx.request, { households, members, income });


// ---- page helpers ----------------------------------------------------------------------------------------

const text = async (l: Locator) => (await l.innerText()).trim();

/** The screen as seen (a drawer is fixed to the viewport, so a full-page picture would cut it). */
async function drawerShot(page: Page, name: string): Promise<void> {
  await animationsSettled(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

async function viewShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-view.png`) });
}

/** Nothing on the page (or inside the open drawer) is wider than the screen. */
async function assertNoOverflow(page: Page, width: number): Promise<void> {
  const w = await page.evaluate(() => {
    const body = document.querySelector('.ant-drawer-open .ant-drawer-body');
    return Math.max(document.documentElement.scrollWidth, body ? body.scrollWidth + (window.innerWidth - body.clientWidth) : 0);
  });
  assert.ok(w <= width, `the page is ${w} px wide at ${width} px`);
}

async function openNav(page: Page, key: string): Promise<void> {
  const link = page.getByTestId(`nav-${key}`);
  // the app shell first (a new context loads the whole bundle; slow on a busy machine)
  await link.or(page.getByTestId('menu-toggle')).first().waitFor({ timeout: 60_000 });
  if (!(await link.isVisible())) await page.getByTestId('menu-toggle').click();
  await link.click();
}

test('warning rules: type-checked as you type, dry run, save with versions, run over a township, platform clues, read-only at 375 px', { timeout: 300_000 }, async () => {
  const adminCtx = await newContext();
  const page = await adminCtx.newPage();
  const errors = watchErrors(page);
  const contexts: BrowserContext[] = [adminCtx];
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await seed(adminCtx);
    await post(adminCtx, '/api/users', { username: TOWN_USER, displayName: '张相镇干部孙丽', role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason: '预警规则端到端测试' });
    const townHouseholds = (await get<{ total: number }>(adminCtx, `/api/households?regionCode=${ZHANGXIANG}&limit=1`)).total;
    assert.ok(townHouseholds >= 3, `张相镇 has the imported households (${townHouseholds})`);

    // ---- 1. 预警规则 from the 防返贫监测 menu: the built-in rules -------------------------------------------
    await openNav(page, 'monitoring/rules');
    await page.getByTestId('rules-page').waitFor({ timeout: 60_000 }).catch(async (e: unknown) => {
      await shot(page, 'rules-00-failed');
      throw new Error(`the rules page did not open: ${String(e)}; page errors: ${errors.join(' | ')}`);
    });
    assert.equal(await text(page.getByTestId('page-title')), '预警规则');
    const builtIn = page.locator('[data-testid="rule-row"][data-rule="income_below_monitoring_line"]');
    await builtIn.waitFor();
    assert.match(await text(builtIn), /人均纯收入低于防返贫监测标准/);
    assert.equal(await text(builtIn.getByTestId('rule-severity')), '高');
    assert.equal(await text(builtIn.getByTestId('rule-kind')), '内置');
    assert.equal(await text(builtIn.getByTestId('rule-active-tag')), '启用');
    assert.equal(await text(builtIn.getByTestId('rule-risk')), '其他');
    assert.ok((await page.getByTestId('rule-row').count()) >= 10, 'the ten built-in rules are listed');
    await shot(page, 'rules-01-list');

    // versions of a built-in rule
    await builtIn.getByTestId('rule-versions').click();
    const v1 = page.getByTestId('rule-version-item');
    await v1.first().waitFor();
    assert.equal(await text(page.getByTestId('rule-version-expression').first()), '!household.monitored && income.perCapitaNet < policy.monitoringLine');
    assert.equal(await text(page.getByTestId('rule-version-note').first()), '修改说明：内置规则');
    await page.keyboard.press('Escape');
    await page.getByTestId('rule-versions-drawer').waitFor({ state: 'detached' });

    // ---- 2. a new rule: insert a field from the help, type with a misspelt field, see the error as you type --
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-editor').waitFor();
    assert.equal(await text(page.getByTestId('rule-editor-title')), '新建预警规则');
    await page.getByTestId('rule-id').fill(RULE_ID);
    await page.getByTestId('rule-name').fill(RULE_NAME);
    await page.locator('[data-testid="rule-help-field"][data-path="household.householdNo"]').getByTestId('rule-help-insert').click();
    const box = page.getByTestId('rule-expression');
    assert.equal(await box.inputValue(), 'household.householdNo');
    // a field name alone is a string, not a rule
    assert.match(await text(page.getByTestId('rule-error-message')), /规则的结果必须是布尔值/);
    await box.press('End');
    await box.pressSequentially(`.startsWith('${PREFIX}')`);
    await page.getByTestId('rule-check-ok').waitFor();
    await box.press('Enter');
    await box.pressSequentially('  && income.perCapitaNet <');
    // half-way: the expression is incomplete, at the end of line 2
    const line2Start = `household.householdNo.startsWith('${PREFIX}')\n`.length;
    await page.getByTestId('rule-error-message').filter({ hasText: '语法错误：规则条件不完整' }).waitFor();
    await box.pressSequentially(' policy.monitoringLin');
    const expr = `household.householdNo.startsWith('${PREFIX}')\n  && income.perCapitaNet < policy.monitoringLin`;
    assert.equal(await box.inputValue(), expr);
    const err = page.getByTestId('rule-error');
    await err.filter({ hasText: 'monitoringLin' }).waitFor();
    assert.equal(await err.count(), 1);
    const column = expr.length - line2Start - 'monitoringLin'.length + 1;
    assert.equal(await text(err.getByTestId('rule-error-position')), `第 2 行第 ${column} 列`);
    assert.equal(await text(err.getByTestId('rule-error-message')), '政策参数（Policy）没有字段“monitoringLin”，是否应为“monitoringLine”？');
    // the caret line points at the misspelt field, and the box marks it
    const snippet = (await page.getByTestId('rule-error-snippet').innerText()).split('\n');
    assert.equal(snippet[0], '  && income.perCapitaNet < policy.monitoringLin');
    assert.equal(snippet[1], `${' '.repeat(column - 1)}${'^'.repeat('monitoringLin'.length)}`);
    assert.equal(await text(page.getByTestId('rule-error-mark')), 'monitoringLin');
    assert.ok(await page.getByTestId('dry-run').isDisabled(), 'no dry run of a wrong expression');
    await drawerShot(page, 'rules-02-error');

    // clicking the position selects the part in the box
    await err.getByTestId('rule-error-position').click();
    const selected = await box.evaluate((el) => {
      const ta = el as HTMLTextAreaElement;
      return ta.value.slice(ta.selectionStart, ta.selectionEnd);
    });
    assert.equal(selected, 'monitoringLin');

    // saving is refused while the expression is wrong
    await page.getByTestId('rule-save').click();
    await page.getByText('规则条件有错误，不能保存').waitFor();

    // fix it
    await box.press('ControlOrMeta+End');
    await box.pressSequentially('e');
    await page.getByTestId('rule-check-ok').waitFor();
    assert.equal(await page.getByTestId('rule-error').count(), 0);
    assert.equal(await page.getByTestId('rule-error-mark').count(), 0);

    // ---- 3. dry run on 张相镇: one household of the batch out of all of the township -------------------------
    await pickRegion(page, 'dry-region', '张相', ZHANGXIANG);
    await page.getByTestId('dry-run').click();
    await page.getByTestId('dry-count').filter({ hasText: `命中 1 户 / 共 ${townHouseholds} 户` }).waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('dry-agreement').getAttribute('data-agrees'), 'true');
    assert.equal(await text(page.getByTestId('dry-agreement')), '逐户核对与全区域统计的结果一致');
    const hit = page.getByTestId('dry-household');
    assert.equal(await hit.count(), 1);
    assert.equal(await hit.getAttribute('data-household-no'), householdNo(1));
    assert.equal(await text(hit.getByTestId('dry-household-head')), HEAD_LOW);
    assert.match(await text(hit), /2,000 元/);
    assert.match(await text(hit), /已脱贫户/);
    assert.match(await text(hit), /张相屯/);
    assert.match((await hit.getByTestId('dry-household-link').getAttribute('href')) ?? '', /^\/households\/211204\/\d+$/);

    // live: widening the expression counts again without another click (the second household is uninsured, not poor)
    await box.press('ControlOrMeta+End');
    await box.pressSequentially(" || household.householdNo == '" + householdNo(2) + "'");
    await page.getByTestId('dry-count').filter({ hasText: `命中 2 户 / 共 ${townHouseholds} 户` }).waitFor({ timeout: 30_000 });
    for (let i = 0; i < ` || household.householdNo == '${householdNo(2)}'`.length; i++) await box.press('Backspace');
    assert.equal(await box.inputValue(), `${expr}e`);
    await page.getByTestId('dry-count').filter({ hasText: `命中 1 户 / 共 ${townHouseholds} 户` }).waitFor({ timeout: 30_000 });
    await page.getByTestId('dry-preview').scrollIntoViewIfNeeded();
    await drawerShot(page, 'rules-03-dry-run');

    // ---- 4. save: version 1; change it: a reason is required, version 2 ----------------------------------
    assert.equal(await text(page.getByTestId('rule-save')), '保存为版本 1');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-saved').filter({ hasText: `已保存：${RULE_NAME}，版本 1` }).waitFor();
    assert.equal(await text(page.getByTestId('rule-editor-version')), 'v1');
    await page.waitForURL((u) => u.searchParams.get('rule') === RULE_ID);

    await box.press('ControlOrMeta+End');
    await box.pressSequentially('\n  && !household.monitored');
    await page.getByTestId('rule-check-ok').waitFor();
    assert.equal(await text(page.getByTestId('rule-save')), '保存为版本 2');
    await page.getByTestId('rule-save').click();
    assert.equal(await text(page.getByTestId('rule-field-error')), '修改已有规则时请填写修改说明');
    await page.getByTestId('rule-note').fill('只看未纳入监测的农户');
    await page.getByTestId('rule-save').click();
    await page.getByTestId('rule-saved').filter({ hasText: `已保存：${RULE_NAME}，版本 2` }).waitFor();
    assert.equal(await text(page.getByTestId('rule-editor-version')), 'v2');
    await page.getByTestId('dry-count').filter({ hasText: `命中 1 户 / 共 ${townHouseholds} 户` }).waitFor({ timeout: 30_000 });
    await page.getByTestId('rule-saved').scrollIntoViewIfNeeded();
    await drawerShot(page, 'rules-04-saved');
    await page.keyboard.press('Escape');
    await page.getByTestId('rule-editor').waitFor({ state: 'detached' });

    const mine = page.locator(`[data-testid="rule-row"][data-rule="${RULE_ID}"]`);
    assert.equal(await text(mine.getByTestId('rule-version')), 'v2');
    assert.equal(await text(mine.getByTestId('rule-kind')), '自定义');
    assert.equal(await text(mine.getByTestId('rule-severity')), '中');
    await mine.getByTestId('rule-versions').click();
    await page.getByTestId('rule-version-item').nth(1).waitFor();
    assert.deepEqual(await page.getByTestId('rule-version-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-version'))), ['2', '1']);
    assert.equal(await text(page.getByTestId('rule-version-note').first()), '修改说明：只看未纳入监测的农户');
    assert.match(await text(page.getByTestId('rule-version-expression').first()), /&& !household\.monitored$/);
    await drawerShot(page, 'rules-05-versions');
    await page.keyboard.press('Escape');

    // What each rule matches in the township now, by the dry run (the warning run must agree).
    const rules = await get<RuleRecord[]>(adminCtx, '/api/rules');
    const active = rules.filter((r) => r.active);
    const expected = new Map<string, number>();
    for (const r of active) {
      const d = await post<RuleDryRun>(adminCtx, '/api/rules/dry-run', { expression: r.expression, regionCode: ZHANGXIANG, year: YEAR });
      expected.set(r.id, d.matches);
    }
    assert.equal(expected.get(RULE_ID), 1);
    assert.ok(expected.get('income_below_monitoring_line')! >= 1);
    assert.ok(expected.get('member_uninsured')! >= 1);
    const uninsuredName = rules.find((r) => r.id === 'member_uninsured')!.name;

    // ---- 5. 预警运行 on 张相镇: the progress bar, then the results per rule -----------------------------------
    await openNav(page, 'monitoring/rule-runs');
    await page.getByTestId('runs-page').waitFor();
    assert.equal(await text(page.getByTestId('page-title')), '预警运行');
    await pickRegion(page, 'runs-region', '张相', ZHANGXIANG);
    await page.waitForURL((u) => u.searchParams.get('region') === ZHANGXIANG);
    await page.getByTestId('runs-start').click();
    await page.getByTestId('runs-progress').waitFor();
    await shot(page, 'rules-06-run-progress');
    const result = page.getByTestId('run-result');
    await result.waitFor({ timeout: 60_000 });
    await page.getByTestId('runs-progress').waitFor({ state: 'detached' });
    assert.match(await text(page.getByTestId('run-result-title')), new RegExp(`张相镇 · ${YEAR} 年 · \\d{4}-\\d{2} 期`));
    const row = (id: string) => result.locator(`[data-testid="run-result-row"][data-rule="${id}"]`);
    const num = async (id: string, k: 'matches' | 'new') => Number(await text(row(id).getByTestId(`run-result-${k}`)));
    assert.equal(await result.getByTestId('run-result-row').count(), active.length);
    for (const r of active) assert.equal(await num(r.id, 'matches'), expected.get(r.id), `matches of ${r.id}`);
    assert.equal(await num(RULE_ID, 'new'), 1);
    assert.equal(await text(row(RULE_ID).getByTestId('run-result-rule')), RULE_NAME);
    assert.ok((await num('member_uninsured', 'new')) >= 1);
    assert.ok((await num('income_below_monitoring_line', 'new')) >= 1);
    const totalMatches = [...expected.values()].reduce((a, b) => a + b, 0);
    assert.match(await text(page.getByTestId('run-result-summary')), new RegExp(`^${townHouseholds} 户，${totalMatches} 次命中，新增线索 \\d+ 条(，补充到已有线索 \\d+ 条)?$`));
    const firstRun = await result.getAttribute('data-run');
    assert.equal(await page.locator(`[data-testid="runs-item"][data-run="${firstRun}"]`).count(), 1);
    await shot(page, 'rules-07-run-results');

    // a second run in the same month raises no clue again
    await page.getByTestId('runs-start').click();
    await page.getByTestId('runs-progress').waitFor();
    await page.waitForFunction(
      (id) => {
        const e = document.querySelector('[data-testid="run-result"]');
        return !!e && e.getAttribute('data-run') !== id && !document.querySelector('[data-testid="runs-progress"]');
      },
      firstRun,
      { timeout: 60_000 },
    );
    await page.getByTestId('runs-progress').waitFor({ state: 'detached' });
    for (const r of active) {
      assert.equal(await num(r.id, 'matches'), expected.get(r.id), `matches of ${r.id} (second run)`);
      assert.equal(await num(r.id, 'new'), 0, `new clues of ${r.id} (second run)`);
    }
    assert.match(await text(page.getByTestId('run-result-summary')), /新增线索 0 条$/);
    assert.ok((await page.getByTestId('runs-item').filter({ hasText: '张相镇' }).count()) >= 2, 'both runs are listed');

    // ---- 6. the clue inbox, platform clues of the township: both households ------------------------------
    await page.getByTestId('run-to-clues').click();
    await page.waitForURL((u) => u.pathname === '/monitoring/clues' && u.searchParams.get('channel') === 'platform' && u.searchParams.get('region') === ZHANGXIANG);
    await page.getByTestId('clues-page').waitFor();
    const clueRow = (head: string, ruleName: string) => page.locator('[data-testid="clue-table"] tbody tr').filter({ hasText: head }).filter({ hasText: ruleName });
    await clueRow(HEAD_LOW, RULE_NAME).first().waitFor();
    assert.equal(await clueRow(HEAD_LOW, RULE_NAME).count(), 1, 'one clue of the new rule, not two after two runs');
    assert.match(await text(clueRow(HEAD_LOW, RULE_NAME)), /平台监测分析/);
    assert.match(await text(clueRow(HEAD_LOW, RULE_NAME)), /张相屯/);
    assert.equal(await clueRow(HEAD_UNINSURED, uninsuredName).count(), 1);
    assert.equal(await clueRow(HEAD_UNINSURED, RULE_NAME).count(), 0, 'the insured-but-uninsured household did not match the income rule');
    await shot(page, 'rules-08-clues');

    // ---- 7. a township officer at 375 px: read-only rules as cards, dry run in the own township ---------
    const townCtx = await newContext(PHONE_375);
    contexts.push(townCtx);
    const me = await post<{ csrfToken: string }>(townCtx, '/api/auth/login', { username: TOWN_USER, password: INITIAL }, '');
    await post(townCtx, '/api/auth/password', { currentPassword: INITIAL, newPassword: CHANGED }, me.csrfToken);
    const tp = await townCtx.newPage();
    errors.push(...watchErrors(tp));
    await tp.goto('/');
    await openNav(tp, 'monitoring/rules');
    await tp.getByTestId('rules-page').waitFor();
    await tp.getByTestId('rules-readonly').waitFor();
    assert.equal(await tp.getByTestId('rule-new').count(), 0);
    assert.equal(await tp.getByTestId('rules-table').count(), 0, 'cards, not a table, on a phone');
    const card = tp.locator(`[data-testid="rule-row"][data-rule="${RULE_ID}"]`);
    await card.waitFor();
    assert.equal(await text(card.getByTestId('rule-version')), 'v2');
    await assertNoOverflow(tp, PHONE_375.width);
    await viewShot(tp, 'rules-09-phone-list');

    await card.getByTestId('rule-open').click();
    await tp.getByTestId('rule-editor').waitFor();
    assert.match(await text(tp.getByTestId('rule-editor-title')), new RegExp(`^规则：${RULE_NAME}\\s*v2$`));
    await tp.getByTestId('rule-readonly').waitFor();
    assert.equal(await tp.getByTestId('rule-save').count(), 0);
    assert.equal(await tp.getByTestId('rule-note').count(), 0);
    assert.equal(await tp.getByTestId('rule-expression').getAttribute('readonly'), '');
    await tp.getByTestId('dry-run').click();
    await tp.getByTestId('dry-count').filter({ hasText: `命中 1 户 / 共 ${townHouseholds} 户` }).waitFor({ timeout: 30_000 });
    assert.equal(await tp.getByTestId('dry-household').getAttribute('data-household-no'), householdNo(1));
    await assertNoOverflow(tp, PHONE_375.width);
    await drawerShot(tp, 'rules-10-phone-editor');
    await tp.getByTestId('dry-count').scrollIntoViewIfNeeded();
    await drawerShot(tp, 'rules-11-phone-dry-run');
    await tp.keyboard.press('Escape');
    await tp.getByTestId('rule-editor').waitFor({ state: 'detached' });

    await openNav(tp, 'monitoring/rule-runs');
    await tp.getByTestId('runs-page').waitFor();
    const phoneResult = tp.getByTestId('run-result');
    await phoneResult.waitFor();
    assert.equal(await tp.locator(`[data-testid="run-result-row"][data-rule="${RULE_ID}"]`).getByTestId('run-result-matches').innerText(), '1');
    assert.ok((await tp.getByTestId('runs-item').count()) >= 2);
    await assertNoOverflow(tp, PHONE_375.width);
    await viewShot(tp, 'rules-12-phone-runs');

    // ---- 8. from the rule match to a monitored household: the platform clue starts the identification, and
    //         every step is signed by the user of its level (the step forms themselves: monitoring.e2e.ts) -----
    const chinaToday = todayInChina();
    const dayOffset = (n: number) => chinaDateOffset(n, chinaToday);
    const userCtx = async (username: string, displayName: string, role: string, regionCode: string) => {
      await post(adminCtx, '/api/users', { username, displayName, role, regionCode, password: INITIAL, reason: '预警规则端到端测试' });
      const ctx = await newContext();
      contexts.push(ctx);
      const m = await post<{ csrfToken: string }>(ctx, '/api/auth/login', { username, password: INITIAL }, '');
      await post(ctx, '/api/auth/password', { currentPassword: INITIAL, newPassword: CHANGED }, m.csrfToken);
      return ctx;
    };
    const villageCtx = await userCtx(`rules_v_${STAMP}`, '张相屯村干部吴军', 'village_officer', VILLAGES[0]);
    const countyCtx = await userCtx(`rules_c_${STAMP}`, '清河区审定人钱芳', 'county_admin', '211204000000');
    const inbox = await get<{ items: { countyCode: string; id: number; household: { id: number; householdNo: string } }[] }>(
      adminCtx, `/api/monitoring/clues?regionCode=${ZHANGXIANG}&channel=platform&ruleId=${RULE_ID}`);
    const ruleClue = inbox.items.find((c) => c.household.householdNo === householdNo(1));
    assert.ok(ruleClue, 'the platform clue of the rule is in the inbox');
    // the village officer opens the inbox filtered to the rule and starts the identification from the clue
    const vp = await villageCtx.newPage();
    errors.push(...watchErrors(vp));
    await vp.goto(`/monitoring/clues?channel=platform&rule=${RULE_ID}`);
    await vp.getByTestId('filter-rule-select').filter({ hasText: RULE_NAME }).waitFor();
    await vp.getByTestId(`start-${ruleClue.id}`).click();
    await vp.getByTestId('procedure-page').waitFor();
    const procPath = new URL(vp.url()).pathname;
    const signUrl = `/api${procPath}/sign`;
    // verifiers chosen from the officers of the village and township (the township officer entered on his behalf)
    const officer = async (ctx: BrowserContext) => (await get<{ id: number }>(ctx, '/api/auth/me')).id;
    const verifiers = [{ id: await officer(villageCtx) }, { id: await officer(townCtx), onBehalf: true }];
    await post(villageCtx, signUrl, { step: 'verification', data: { verifiers, findings: '家庭年收入仅 4,000 元，户主务工中断', authorisationSigned: true, visitedOn: chinaToday } });
    await post(townCtx, signUrl, { step: 'comparison', data: { checks: { vehicle: 'none', property: 'none', company: 'none', publicServant: 'none', pension: 'none', deposit: 'none' } } });
    await post(villageCtx, signUrl, { step: 'village_review', data: { result: 'agree', minutes: '村民代表一致同意纳入监测', participants: 9 } });
    // the publicity follows the review by days: the procedure's recorded days moved back (E2E_DATABASE_URL)
    const db = new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 1 });
    try {
      await backdateProcedure((t, v) => db.query(t, v), procPath.split('/').at(-2)!, Number(procPath.split('/').at(-1)), 10);
    } finally {
      await db.end();
    }
    await post(villageCtx, signUrl, { step: 'publicity', data: { startDate: dayOffset(-5), endDate: dayOffset(-1), objections: [] } });
    await post(townCtx, signUrl, { step: 'township_review', data: { result: 'approve' } });
    // the township officer cannot sign the county's step
    const wrong = await townCtx.request.post(signUrl, { data: { step: 'county_approval', data: { result: 'approve' } }, headers: { 'x-csrf-token': await csrf(townCtx) } });
    assert.equal(wrong.status(), 403, await wrong.text());
    await post(countyCtx, signUrl, { step: 'county_approval', data: { result: 'approve' } });
    await post(countyCtx, signUrl, { step: 'announcement', data: { announcedOn: chinaToday, monitoredType: 'unstable_exited', riskTypes: ['unstable_employment'] } });
    // the procedure page shows it finished with every signature; the household is a monitored household now
    await vp.reload();
    await vp.getByTestId('procedure-page').waitFor();
    assert.match(await text(vp.getByTestId('procedure-page')), /已办结/);
    await shot(vp, 'rules-13-rule-clue-identified');
    await vp.goto(`/households/${ruleClue.countyCode}/${ruleClue.household.id}`);
    await vp.getByTestId('household-monitored').waitFor();
    assert.match(await text(vp.getByTestId('household-monitored')), /脱贫不稳定户/);
    // the household page evaluates the active rules in TypeScript on the run's facts: now monitored, the rules
    // for households not yet monitored (the built-in income rule, the custom rule's version 2) no longer match;
    // the 低保 rule still does
    const panel = vp.getByTestId('household-rules');
    await panel.waitFor();
    const matchedRules = ((await panel.getAttribute('data-matched')) ?? '').split(',');
    assert.ok(matchedRules.includes('expected_income_below_dibao_line'), matchedRules.join());
    assert.ok(!matchedRules.includes(RULE_ID), matchedRules.join());
    assert.ok(!matchedRules.includes('income_below_monitoring_line'), matchedRules.join());
    await shot(vp, 'rules-14-household-rules');

    assert.deepEqual(errors, []);
  } finally {
    for (const c of contexts) await c.close();
  }
});
