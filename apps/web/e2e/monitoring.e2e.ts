/**
 * Monitoring (防返贫监测), end to end in a real browser, each step signed by the user of its level:
 * two households of 东华村 (张相镇, 清河区) are registered through the API (an exited household whose income fell this
 * year, with an uninsured spouse; and a second one) → the village officer records a 农户自主申报 in the clue inbox with
 * its application date (the acceptance clock shows it overdue) → the township officer assigns it to the village officer
 * → the village officer starts the identification and signs the home verification → the township officer signs the
 * data comparison → the village officer signs the democratic review with the proposed type and risks and sees the
 * case on the printable publicity list (the second household, reviewed without a proposal, shows “待定”) → the
 * publicity cannot end before its end date, is signed with past dates and an answered objection → township review →
 * county approval and announcement by the county administrator → the household page shows the monitored household
 * and its type → risk elimination is refused with every reason named → this year's income is entered above the
 * monitoring line through the household page's income form and the spouse insured through the API → the elimination
 * goes through all its steps, flagged as quick → the household is no longer monitored and keeps its record.
 * The 程序办理 list shows the procedures with who must act and the overdue case; the procedure page in English shows
 * no raw keys. Screenshots at 1366 px and 375 px.
 * The verifiers of the home visit are chosen from the officers of the village and township; the township officer
 * confirms his part in the product before the data comparison. The procedure's dates must follow each other (a
 * publicity after the village review, over before its result is signed): the test moves the procedure's recorded
 * days back through the database (E2E_DATABASE_URL, apps/server/test/time-travel.ts) instead of waiting for them.
 * A second test imports a household monitored before the platform and shows its migrated record on the household page.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… E2E_DATABASE_URL=postgres://… node --import tsx --test apps/web/e2e/monitoring.e2e.ts
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { addDays, ELIMINATION_BLOCKERS, formatYuan, msg, renderMessage, type ProcedureDetail } from '@tuopin/domain';
import pg from 'pg';
import { ADMIN_PASSWORD, BASE_URL, DESKTOP, login, newContext, SCREENSHOT_DIR, shot, watchErrors, testIdNumber, withBrowser, fillDate, inputOf, currentYearInChina, todayInChina, animationsSettled, importSheets } from './helpers';
import { backdateIdentification, backdateProcedure } from '../../server/test/time-travel';

const CC = '211204';
const QINGHE = '211204000000'; // 清河区, 铁岭市
const ZHANGXIANG = '211204101000'; // 张相镇, 清河区
const VILLAGE = '211204101204'; // 东华村, 张相镇
const YEAR = currentYearInChina();
const STAMP = (Date.now() + 13) % 100_000;
const PHONE_375 = { width: 375, height: 812 };
const INITIAL = 'Initial2025x';
const PASSWORD = 'Monitor2025z';
const householdNo = (n: number) => `MON-${String(STAMP).padStart(5, '0')}-${n}`;

withBrowser();

/** The server's database, for moving a procedure's recorded days back (the rules need days between steps). */
let pool: pg.Pool | null = null;
const query = (text: string, params: unknown[]) => {
  if (!process.env.E2E_DATABASE_URL) throw new Error('E2E_DATABASE_URL is not set: the monitoring test moves recorded days back in the database (npm test sets it)');
  pool ??= new pg.Pool({ connectionString: process.env.E2E_DATABASE_URL, max: 2 });
  return pool.query(text, params);
};
after(() => pool?.end());

/** Today as the browser (Asia/Shanghai) and the server see it. */
const today = todayInChina;

const idNumber = (birth: string, male: boolean, k: number) => testIdNumber(birth, male, k, STAMP * 13);

const person = (name: string, birth: string, male: boolean, k: number, extra: Record<string, unknown> = {}) => ({
  idNumber: idNumber(birth, male, k), name, sex: male ? 'male' : 'female', birthDate: birth, ethnicity: '01', education: 'junior',
  schoolStatus: 'not_in_school', health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', ...extra,
});

async function csrf(ctx: BrowserContext): Promise<string> {
  return (await ctx.cookies()).find((c) => c.name === 'tuopin_csrf')?.value ?? '';
}

/** A JSON request in the browser context (its session cookie and CSRF token); asserts success. */
async function send(ctx: BrowserContext, method: 'POST' | 'PUT' | 'PATCH', url: string, data: unknown, token?: string): Promise<Record<string, unknown>> {
  const r = await ctx.request.fetch(url, { method, data, headers: { 'x-csrf-token': token ?? (await csrf(ctx)) } });
  const body = (await r.json()) as Record<string, unknown>;
  assert.ok(r.ok(), `${method} ${url}: ${r.status()} ${JSON.stringify(body)}`);
  return body;
}
const post = (ctx: BrowserContext, url: string, data: unknown, token?: string) => send(ctx, 'POST', url, data, token);

async function getJson<T>(ctx: BrowserContext, url: string): Promise<T> {
  const r = await ctx.request.get(url);
  assert.equal(r.status(), 200, `${url}: ${await r.text()}`);
  return (await r.json()) as T;
}

/** Sets the first password of a user created by the administrator (through the API, in a throwaway context). */
async function setPassword(username: string): Promise<void> {
  const ctx = await newContext();
  try {
    const me = await post(ctx, '/api/auth/login', { username, password: INITIAL }, '');
    await post(ctx, '/api/auth/password', { currentPassword: INITIAL, newPassword: PASSWORD }, String(me.csrfToken));
  } finally {
    await ctx.close();
  }
}

interface Session { ctx: BrowserContext; page: Page; errors: string[] }

/** Logs a user in through the login page, in a fresh browser context. */
async function loginAs(username: string, viewport = DESKTOP): Promise<Session> {
  const ctx = await newContext(viewport);
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  await login(page, username, PASSWORD);
  await page.waitForURL((u) => u.pathname === '/');
  return { ctx, page, errors };
}

/** A full-page screenshot taken from the top (the header stays in place, not half-way down the picture). */
async function pageShot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

/** What the screen shows where it is scrolled to, then the whole page. */
async function viewShot(page: Page, name: string): Promise<void> {
  await animationsSettled(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-view.png`) });
  await pageShot(page, name);
}

/** The page fits the screen once the phone layout has rendered: nothing wider than the viewport. */
async function assertNoOverflow(page: Page, width: number): Promise<void> {
  await page.waitForFunction((wd) => document.documentElement.scrollWidth <= wd, width, { timeout: 5_000 }).catch(() => undefined);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= width, `the page is ${w} px wide at ${width} px`);
}

/** Opens an antd Select and clicks the visible option with the text. */
async function choose(page: Page, select: Locator, option: string, search?: string): Promise<void> {
  await select.click();
  if (search) await inputOf(select).fill(search);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
}

/** Opens a multiple antd Select once and clicks each option in order (the order is kept), then closes it. */
async function chooseMany(page: Page, select: Locator, options: string[]): Promise<void> {
  await select.click();
  for (const o of options) await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: o }).first().click();
  await page.keyboard.press('Escape');
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
}

const stepForm = (page: Page) => page.getByTestId('step-form');

/** Waits until the page's current step is the given one (signable by this user, or waiting for another level). */
async function atStep(page: Page, stepZh: string): Promise<void> {
  await page.getByTestId('steps').locator('.ant-steps-item-process, .ant-steps-item-active').filter({ hasText: stepZh }).first().waitFor();
}

async function sign(page: Page, nextStepZh: string | null): Promise<void> {
  await stepForm(page).getByTestId('sign').click();
  await page.locator('.ant-message-notice', { hasText: '已签字提交' }).first().waitFor();
  if (nextStepZh) await atStep(page, nextStepZh);
}

const text = async (l: Locator) => (await l.innerText()).trim();

test('monitoring: a clue through every signed step to a monitored household, an elimination refused and one approved', { timeout: 420_000 }, async () => {
  const TODAY = today();
  const adminCtx = await newContext();
  const admin = await adminCtx.newPage();
  const sessions: Session[] = [];
  const adminErrors = watchErrors(admin);
  const vUser = `mon_v_${STAMP}`;
  const tUser = `mon_t_${STAMP}`;
  const cUser = `mon_c_${STAMP}`;
  try {
    // ---- 0. users and households through the API ------------------------------------------------------------
    await login(admin, 'admin', ADMIN_PASSWORD);
    await admin.waitForURL((u) => u.pathname === '/');
    const reason = '防返贫监测端到端测试';
    const vUserId = Number((await post(adminCtx, '/api/users', { username: vUser, displayName: '东华村干部李春', role: 'village_officer', regionCode: VILLAGE, password: INITIAL, reason })).id);
    const tUserId = Number((await post(adminCtx, '/api/users', { username: tUser, displayName: '张相镇干部王岩', role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason })).id);
    await post(adminCtx, '/api/users', { username: cUser, displayName: '清河区审定人赵敏', role: 'county_admin', regionCode: QINGHE, password: INITIAL, reason });
    for (const u of [vUser, tUser, cUser]) await setPassword(u);

    // household 1: exited in 2019, three members, the spouse without medical insurance; income fell this year
    const h1 = await post(adminCtx, '/api/households', {
      household: { householdNo: householdNo(1), villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness', exitYear: 2019, housingRating: 'A', safeWater: true },
      head: person('刘长顺', '1974-03-15', true, 1),
      status: { status: 'exited', exitYear: 2019 },
      reason,
    });
    const h1Id = Number(h1.id);
    await post(adminCtx, `/api/households/${CC}/${h1Id}/members`, { member: person('孙秀芝', '1976-09-02', false, 2, { relation: 'spouse', medicalInsurance: 'none' }), kind: 'marriage_in', date: '1998-10-01', reason });
    await post(adminCtx, `/api/households/${CC}/${h1Id}/members`, { member: person('刘强', '2002-05-20', true, 3, { relation: 'son' }), kind: 'birth', date: '2002-05-20', reason });
    await send(adminCtx, 'PUT', `/api/households/${CC}/${h1Id}/income/${YEAR - 1}`, { items: { otherWage: 30000 }, reason: '上年收入' });
    await send(adminCtx, 'PUT', `/api/households/${CC}/${h1Id}/income/${YEAR}`, { items: { otherWage: 12000 }, reason: '本年收入：户主住院，务工中断' });
    // household 2: reviewed without a proposal, its application 20 days old (overdue)
    const h2 = await post(adminCtx, '/api/households', {
      household: { householdNo: householdNo(2), villageCode: VILLAGE, attribute: 'general_poor', identifiedYear: 2017, mainCause: 'disability', exitYear: 2020, housingRating: 'B', safeWater: true },
      head: person('陈玉林', '1961-11-11', true, 4),
      reason,
    });
    const h2Id = Number(h2.id);

    // ---- 1. village officer: a 农户自主申报 in the clue inbox ------------------------------------------------
    const village = await loginAs(vUser);
    sessions.push(village);
    const vp = village.page;
    await vp.getByTestId('nav-monitoring/clues').click();
    await vp.getByTestId('clues-page').waitFor();
    assert.equal(await text(vp.getByTestId('page-title')), '线索收件箱');
    await vp.getByTestId('new-clue').click();
    const modal = vp.locator('.ant-modal:visible');
    await modal.waitFor();
    await choose(vp, modal.getByTestId('clue-household'), '刘长顺', '刘长顺');
    assert.match(await text(modal.locator('.ant-form-item', { hasText: '渠道' }).locator('.ant-select')), /农户自主申报/);
    const applied = addDays(TODAY, -3);
    await fillDate(vp, modal.locator('.ant-picker'), applied);
    await modal.getByTestId('clue-summary').fill('户主住院，务工中断，家庭收入下降，申请纳入监测');
    await modal.locator('.ant-form-item', { hasText: '来源说明' }).locator('input').fill('12317 热线电话');
    await vp.locator('#clue-save').click();
    await vp.locator('.ant-message-notice', { hasText: '线索已登记' }).waitFor();
    const clueRow = vp.getByTestId('clue-table').locator('tr', { hasText: '刘长顺' });
    await clueRow.waitFor();
    const rowText = await text(clueRow);
    for (const s of ['东华村', '农户自主申报', applied, `已超时（应于 ${addDays(applied, 2)} 前受理）`, '待受理']) assert.ok(rowText.includes(s), `${s} in “${rowText}”`);
    await pageShot(vp, 'monitoring-01-inbox-desktop');
    await vp.setViewportSize(PHONE_375);
    const card = vp.getByTestId('clue-card').filter({ hasText: '刘长顺' });
    await card.waitFor();
    assert.match(await text(card), /农户自主申报/);
    await assertNoOverflow(vp, PHONE_375.width);
    await viewShot(vp, 'monitoring-02-inbox-phone');
    await vp.setViewportSize(DESKTOP);

    // ---- 2. township officer: assigns the clue to the village officer ----------------------------------------
    const town = await loginAs(tUser);
    sessions.push(town);
    const tp = town.page;
    await tp.goto('/monitoring/clues');
    const tRow = tp.getByTestId('clue-table').locator('tr', { hasText: '刘长顺' });
    await tRow.locator('.ant-checkbox-input').check();
    await tp.getByTestId('assign').click();
    await choose(tp, tp.locator('.ant-modal:visible').getByTestId('assignee'), '东华村干部李春');
    await tp.locator('#assign-ok').click();
    await tp.locator('.ant-message-notice', { hasText: '已分派 1 条线索' }).waitFor();
    await tRow.filter({ hasText: '已分派' }).filter({ hasText: '东华村干部李春' }).waitFor();

    // ---- 3. village officer: starts the identification, signs the home verification -------------------------
    await vp.reload();
    const vRow = vp.getByTestId('clue-table').locator('tr', { hasText: '刘长顺' });
    await vRow.filter({ hasText: '已分派' }).waitFor();
    await vRow.getByRole('button', { name: '发起识别' }).click();
    await vp.getByTestId('procedure-page').waitFor();
    const procUrl = new URL(vp.url()).pathname;
    const procId = Number(procUrl.split('/').at(-1));
    assert.match(procUrl, new RegExp(`^/monitoring/procedures/${CC}/\\d+$`));
    assert.equal(await text(vp.getByTestId('page-title')), '监测对象识别：刘长顺');
    await atStep(vp, '入户核实');
    // the clock runs from the application date: 15 days
    assert.match(await text(vp.getByTestId('clock')), new RegExp(`办结时限 ${addDays(applied, 15)}（剩余 12 天）`));
    // the verifiers: the signer is chosen already; a second from the officers of 东华村 and 张相镇 (not typed), who
    // confirms in the product (his 代录 box left unticked)
    assert.match(await text(vp.getByTestId('f-verifiers')), /东华村干部李春/);
    await stepForm(vp).getByTestId('sign').click();
    await vp.getByTestId('step-problems').filter({ hasText: '入户核实应至少由 2 名工作人员进行，请选择至少 2 名核实人' }).waitFor();
    await chooseMany(vp, vp.getByTestId('f-verifiers'), ['张相镇干部王岩']);
    await vp.getByTestId('f-onBehalf').filter({ hasText: '张相镇干部王岩：由我代录' }).waitFor();
    await inputOf(vp.getByTestId('f-findings')).fill('户主 3 月住院，自付医疗费 2.6 万元，务工中断；家中无车辆、无城镇住房');
    await stepForm(vp).getByText('农户已签署家庭经济状况核对授权书').click();
    await inputOf(vp.getByTestId('f-comment')).fill('情况属实');
    await vp.getByTestId('step-problems').waitFor({ state: 'detached' });
    await pageShot(vp, 'monitoring-03-proc-verification');
    await vp.setViewportSize(PHONE_375);
    await stepForm(vp).scrollIntoViewIfNeeded();
    await assertNoOverflow(vp, PHONE_375.width);
    await viewShot(vp, 'monitoring-03b-proc-verification-phone');
    await vp.setViewportSize(DESKTOP);
    assert.match(await text(vp.getByTestId('facts').getByTestId('facts-income').first()), /^4,000(\.00)? 元$/);
    await sign(vp, '信息比对');
    // the next step is the township's: the village officer sees who must act
    await vp.getByTestId('waiting').filter({ hasText: '“信息比对”只能由乡镇工作人员办理' }).waitFor();
    const tl = vp.getByTestId('timeline');
    assert.match(await text(tl), /入户核实[\s\S]*东华村干部李春 · \d{4}-\d{2}-\d{2}[\s\S]*情况属实/);
    const ev = tl.getByTestId('event-data').first();
    assert.equal(await text(ev.locator('[data-field="verifiers"] .v')), '东华村干部李春（签字人）、张相镇干部王岩（待本人确认）');
    await vp.getByTestId('pending-confirmations').filter({ hasText: '等待核实人在系统中确认入户核实：张相镇干部王岩' }).waitFor();
    assert.equal(await vp.getByTestId('confirm-verification').count(), 0); // not the village officer's to confirm
    assert.equal(await text(ev.locator('[data-field="authorisationSigned"] .v')), '是');
    assert.equal(await text(ev.locator('[data-field="visitedOn"] .k')), '入户日期：');
    assert.equal(await text(ev.locator('[data-field="visitedOn"] .v')), TODAY);
    await pageShot(vp, 'monitoring-04-proc-waiting-township');

    // ---- 4. township officer: data comparison ---------------------------------------------------------------
    await tp.goto(procUrl);
    await atStep(tp, '信息比对');
    // first his own confirmation of the home visit he was named in
    await tp.getByTestId('pending-confirmations').waitFor();
    await pageShot(tp, 'monitoring-04b-proc-confirm-verification');
    await tp.getByTestId('confirm-verification').click();
    await tp.locator('.ant-message-notice', { hasText: '已确认入户核实' }).first().waitFor();
    await tp.getByTestId('pending-confirmations').waitFor({ state: 'detached' });
    assert.equal(await text(tp.getByTestId('timeline').getByTestId('event-data').first().locator('[data-field="verifiers"] .v')),
      `东华村干部李春（签字人）、张相镇干部王岩（${TODAY} 已在系统中确认）`);
    const none = stepForm(tp).getByText('未发现', { exact: true });
    assert.equal(await none.count(), 6);
    for (let i = 0; i < 6; i++) await none.nth(i).click();
    await sign(tp, '村民主评议');
    assert.match(await text(tp.getByTestId('timeline')), /比对结果：车辆：未发现；城镇房产：未发现；工商注册：未发现；财政供养人员：未发现；养老金领取：未发现；大额存款：未发现/);

    // ---- 5. village officer: democratic review with the proposed type and risks --------------------------------
    await vp.reload();
    await atStep(vp, '村民主评议');
    await stepForm(vp).getByText('同意', { exact: true }).click();
    await inputOf(vp.getByTestId('f-participants')).fill('11');
    await inputOf(vp.getByTestId('f-minutes')).fill('村民代表 11 人参加，一致同意纳入监测');
    await choose(vp, vp.getByTestId('f-proposedType'), '脱贫不稳定户');
    await chooseMany(vp, vp.getByTestId('f-proposedRisks'), ['因病', '因务工就业不稳']);
    await pageShot(vp, 'monitoring-05-proc-village-review');
    await sign(vp, '村级公示');

    // household 2 through the API up to the publicity, reviewed without a proposal; its application is 20 days old
    const clue2 = await post(village.ctx, '/api/monitoring/clues', { countyCode: CC, householdId: h2Id, channel: 'application', foundOn: addDays(TODAY, -20), summary: '户主因残丧失劳动能力，申请纳入监测' });
    const p2 = (await post(village.ctx, `/api/monitoring/clues/${CC}/${String(clue2.id)}/identification`, {})) as unknown as ProcedureDetail;
    const p2Url = `/api/monitoring/procedures/${CC}/${p2.id}/sign`;
    await post(village.ctx, p2Url, { step: 'verification', data: { verifiers: [{ id: vUserId }, { id: tUserId, onBehalf: true }], findings: '户主右腿截肢', authorisationSigned: true, visitedOn: TODAY } });
    await post(town.ctx, p2Url, { step: 'comparison', data: { checks: { vehicle: 'none', property: 'none', company: 'none', publicServant: 'none', pension: 'none', deposit: 'none' } } });
    await post(village.ctx, p2Url, { step: 'village_review', data: { result: 'agree', minutes: '同意纳入', participants: 9 } });

    // ---- 6. the printable publicity list of 东华村 -----------------------------------------------------------
    const publicityDays = (await getJson<ProcedureDetail>(village.ctx, `/api/monitoring/procedures/${CC}/${procId}`)).policyNow.values.publicityDays!;
    await vp.goto(`/monitoring/publicity?village=${VILLAGE}`);
    const sheet = vp.getByTestId('publicity-sheet');
    await sheet.waitFor();
    assert.match(await text(sheet.locator('h1')), /东华村.*防返贫监测公示名单/);
    const pub1 = sheet.getByTestId('publicity-row').filter({ hasText: '刘长顺' });
    const pub2 = sheet.getByTestId('publicity-row').filter({ hasText: '陈玉林' });
    assert.equal(await sheet.getByTestId('publicity-row').count(), 2);
    assert.equal(await text(pub1.getByTestId('publicity-type')), '脱贫不稳定户');
    assert.equal(await text(pub1.getByTestId('publicity-risks')), '因病、因务工就业不稳');
    assert.match(await text(pub1), new RegExp(`拟纳入监测对象[\\s\\S]*${TODAY} – ${addDays(TODAY, publicityDays - 1)}`));
    assert.equal(await text(pub1.getByTestId('publicity-size')), '3');
    assert.equal(await text(pub2.getByTestId('publicity-type')), '待定');
    assert.equal(await text(pub2.getByTestId('publicity-risks')), '待定');
    const sheetText = await text(sheet);
    for (const idn of [idNumber('1974-03-15', true, 1), idNumber('1976-09-02', false, 2)]) assert.ok(!sheetText.includes(idn.slice(-4)), 'no ID number on the list');
    await pageShot(vp, 'monitoring-06-publicity-desktop');
    await vp.setViewportSize(PHONE_375);
    await sheet.waitFor();
    // on a phone each entry is a block of labelled lines
    assert.equal(await sheet.locator('thead').isVisible(), false);
    assert.equal(await pub1.getByTestId('publicity-type').evaluate((td) => getComputedStyle(td, '::before').content), '"类型"');
    await assertNoOverflow(vp, PHONE_375.width);
    await viewShot(vp, 'monitoring-07-publicity-phone');
    await vp.setViewportSize(DESKTOP);

    // ---- 7. village officer: the publicity cannot end before its end date; past dates with an answered objection
    await vp.goto(procUrl);
    await atStep(vp, '村级公示');
    await stepForm(vp).getByTestId('sign').click();
    await vp.getByTestId('step-problems')
      .filter({ hasText: `公示到 ${addDays(TODAY, publicityDays - 1)} 结束，${addDays(TODAY, publicityDays)} 起才能登记公示结果并办理下一步` }).waitFor();
    await pageShot(vp, 'monitoring-08-proc-publicity-refused');
    // entered as already over before the village review was signed (today): refused as one types
    await fillDate(vp, vp.getByTestId('f-startDate'), addDays(TODAY, -7));
    await fillDate(vp, vp.getByTestId('f-endDate'), addDays(TODAY, -1));
    await vp.getByTestId('step-problems').filter({ hasText: `公示开始日期 ${addDays(TODAY, -7)} 早于“村民主评议”签字日期（${TODAY}），每一步的日期不能早于上一步` }).waitFor();
    await pageShot(vp, 'monitoring-08b-proc-publicity-before-review');
    // ten days later (the procedure's recorded days moved back): the same publicity follows the review
    await backdateProcedure(query, CC, procId, 10);
    await vp.reload();
    await atStep(vp, '村级公示');
    await fillDate(vp, vp.getByTestId('f-startDate'), addDays(TODAY, -7));
    await fillDate(vp, vp.getByTestId('f-endDate'), addDays(TODAY, -1));
    await stepForm(vp).getByRole('button', { name: '添加异议' }).click();
    await stepForm(vp).locator('.ant-form-item', { hasText: '异议内容' }).locator('input').fill('其子在外务工，收入不低');
    await stepForm(vp).getByTestId('sign').click();
    await vp.getByTestId('step-problems').filter({ hasText: '第 1 条异议还没有答复，答复后才能结束公示' }).waitFor();
    await stepForm(vp).locator('.ant-form-item', { hasText: '答复' }).locator('input').fill('已核实：其子月收入 1,800 元，已计入家庭收入');
    await vp.getByTestId('step-problems').waitFor({ state: 'detached' });
    await sign(vp, '乡镇审核');

    // ---- 8. township review; county approval and announcement --------------------------------------------------
    await tp.goto(procUrl);
    await atStep(tp, '乡镇审核');
    await stepForm(tp).getByText('通过', { exact: true }).click();
    await sign(tp, '县级审定');
    await tp.getByTestId('waiting').filter({ hasText: '“县级审定”只能由县级管理员办理' }).waitFor();

    const county = await loginAs(cUser);
    sessions.push(county);
    const cp = county.page;
    await cp.goto(procUrl);
    await atStep(cp, '县级审定');
    await stepForm(cp).getByText('通过', { exact: true }).click();
    await sign(cp, '公告');
    // the announcement carries the village review's proposal
    assert.match(await text(cp.getByTestId('f-monitoredType')), /脱贫不稳定户/);
    assert.match(await text(cp.getByTestId('f-riskTypes')), /因病[\s\S]*因务工就业不稳/);
    assert.equal(await inputOf(cp.getByTestId('f-announcedOn')).inputValue(), TODAY);
    await stepForm(cp).getByTestId('sign').click();
    const done = cp.locator('.ant-alert', { hasText: '程序已结束：已办结' });
    await done.waitFor();
    assert.match(await text(done), /脱贫不稳定户 · 因病、因务工就业不稳/);
    // the signed record and the settings in words, no raw keys
    const record = await text(cp.getByTestId('timeline'));
    for (const s of ['入户核实', '信息比对', '村民主评议', '村级公示', '乡镇审核', '县级审定', '公告', '评议结果：同意', '拟认定监测类型：脱贫不稳定户',
      '拟认定风险类型：因病、因务工就业不稳', '异议及答复：1. 其子在外务工，收入不低（答复：已核实：其子月收入 1,800 元，已计入家庭收入）', '审核结果：通过', '审定结果：通过',
      '监测对象类型：脱贫不稳定户', '风险类型：因病、因务工就业不稳', '清河区审定人赵敏', '张相镇干部王岩']) {
      assert.ok(record.includes(s), `“${s}” in the record`);
    }
    assert.doesNotMatch(record, /\b(verifiers|findings|authorisationSigned|visitedOn|checks|result|participants|minutes|proposed\w+|startDate|endDate|objections|announcedOn|monitoredType|riskTypes|unstable_exited|illness)\b/);
    const detail = await getJson<ProcedureDetail>(county.ctx, `/api/monitoring/procedures/${CC}/${procId}`);
    const line = detail.policy.values.monitoringLine!;
    const policyCard = cp.getByTestId('policy-used');
    assert.match(await text(policyCard), new RegExp(`防返贫监测标准\\s*${line.toLocaleString('zh-CN')} 元`));
    assert.match(await text(policyCard), new RegExp(`公示天数（不少于）\\s*${publicityDays} 天（系统默认值）`));
    assert.doesNotMatch(await text(policyCard), /monitoringLine|publicityDays|identificationDays/);
    await pageShot(cp, 'monitoring-09-proc-identified-desktop');
    await cp.setViewportSize(PHONE_375);
    await assertNoOverflow(cp, PHONE_375.width);
    await viewShot(cp, 'monitoring-10-proc-identified-phone');
    await cp.setViewportSize(DESKTOP);

    // ---- 9. the household page: a monitored household of its type --------------------------------------------
    await vp.goto(`/households/${CC}/${h1Id}`);
    await vp.getByTestId('household-monitored').filter({ hasText: '监测户 · 脱贫不稳定户' }).waitFor();
    const panel = vp.getByTestId('monitoring-panel');
    await panel.getByText('监测对象', { exact: true }).waitFor();
    assert.match(await text(panel.getByTestId('monitoring-records')), new RegExp(`${TODAY} 纳入监测[\\s\\S]*查看识别程序[\\s\\S]*脱贫不稳定户[\\s\\S]*因病、因务工就业不稳`));
    // a month later (identification and elimination do not finish on one day): the record as identified 30 days ago
    const IDENTIFIED = addDays(TODAY, -30);
    await backdateIdentification(query, CC, h1Id, 30);
    await vp.reload();
    await panel.getByText(`${IDENTIFIED} 纳入监测`).waitFor();

    // ---- 10. risk elimination refused, every reason named ------------------------------------------------------
    await panel.getByTestId('start-elimination').click();
    const blockers = panel.getByTestId('elimination-blockers');
    await blockers.waitFor();
    const reasons = await blockers.locator('li').allInnerTexts();
    assert.deepEqual(reasons.map((r) => r.trim()), [
      `收入未稳定超过监测标准：人均纯收入 4,000 元，未超过监测标准 ${line.toLocaleString('zh-CN')} 元`,
      '基本医疗无保障：孙秀芝 未参加基本医疗保险',
    ]);
    assert.equal(new URL(vp.url()).pathname, `/households/${CC}/${h1Id}`, 'no procedure was started');
    await panel.scrollIntoViewIfNeeded();
    await viewShot(vp, 'monitoring-11-elimination-refused-desktop');
    await vp.setViewportSize(PHONE_375);
    await blockers.scrollIntoViewIfNeeded();
    await assertNoOverflow(vp, PHONE_375.width);
    await vp.screenshot({ path: join(SCREENSHOT_DIR, 'monitoring-12-elimination-refused-phone-view.png') });
    await vp.setViewportSize(DESKTOP);

    // ---- 11. fix the data: this year's income through the income form, the spouse insured through the API ------
    await vp.getByRole('tab', { name: '收入情况' }).click();
    await vp.getByTestId('income-year').filter({ hasText: String(YEAR) }).first().waitFor();
    await vp.getByTestId('income-edit').click();
    const drawer = vp.getByTestId('income-form');
    await drawer.waitFor();
    await inputOf(vp.getByTestId('income-otherWage')).fill('36000');
    await drawer.getByTestId('income-form-per-capita').filter({ hasText: formatYuan(12000) }).waitFor();
    await vp.getByTestId('form-reason').fill('户主出院后复工，本年务工收入核实');
    await vp.getByTestId('form-save').click();
    await drawer.waitFor({ state: 'hidden' });
    await vp.getByTestId('income-per-capita').filter({ hasText: formatYuan(12000) }).waitFor();
    const hh = await getJson<{ members: { id: number; name: string }[] }>(village.ctx, `/api/households/${CC}/${h1Id}`);
    const spouse = hh.members.find((m) => m.name === '孙秀芝')!;
    await send(village.ctx, 'PATCH', `/api/households/${CC}/${h1Id}/members/${spouse.id}`, { changes: { medicalInsurance: 'resident' }, reason: '已参加城乡居民医保' });
    await vp.reload();
    await panel.waitFor();
    await panel.getByTestId('elimination-blockers').waitFor({ state: 'detached' });
    await panel.getByText('认定后不足两个月，消除后将被标记为短期消除').waitFor();

    // ---- 12. the elimination through all its steps ------------------------------------------------------------
    await panel.getByTestId('start-elimination').click();
    await vp.getByTestId('procedure-page').waitFor();
    const elimUrl = new URL(vp.url()).pathname;
    assert.equal(await text(vp.getByTestId('page-title')), '风险消除：刘长顺');
    await vp.getByTestId('quick-flag').filter({ hasText: '认定后两个月内消除，需重点核查' }).waitFor();
    await atStep(vp, '风险消除评估');
    await stepForm(vp).getByText('帮扶消除', { exact: true }).click();
    await inputOf(vp.getByTestId('f-findings')).fill('户主复工，人均纯收入 12,000 元，配偶已参保');
    await sign(vp, '村民主评议');
    await stepForm(vp).getByText('同意', { exact: true }).click();
    await inputOf(vp.getByTestId('f-participants')).fill('10');
    await inputOf(vp.getByTestId('f-minutes')).fill('同意消除风险');
    await sign(vp, '村级公示');
    await backdateProcedure(query, CC, Number(elimUrl.split('/').at(-1)), 10); // the review ten days ago
    // the publicity list: the elimination with its type and the monitored type and risks of the record
    await vp.goto(`/monitoring/publicity?village=${VILLAGE}`);
    const elimRow = vp.getByTestId('publicity-row').filter({ hasText: '刘长顺' });
    await elimRow.waitFor();
    assert.match(await text(elimRow), /拟消除风险/);
    assert.equal(await text(elimRow.getByTestId('publicity-type')), '帮扶消除（脱贫不稳定户）');
    assert.equal(await text(elimRow.getByTestId('publicity-risks')), '因病、因务工就业不稳');
    await pageShot(vp, 'monitoring-13-publicity-elimination');
    await vp.goto(elimUrl);
    await atStep(vp, '村级公示');
    await fillDate(vp, vp.getByTestId('f-startDate'), addDays(TODAY, -6));
    await fillDate(vp, vp.getByTestId('f-endDate'), addDays(TODAY, -2));
    await sign(vp, '乡镇审核');
    await tp.goto(elimUrl);
    await atStep(tp, '乡镇审核');
    await stepForm(tp).getByText('通过', { exact: true }).click();
    await sign(tp, '县级审定');
    await cp.goto(elimUrl);
    await atStep(cp, '县级审定');
    await stepForm(cp).getByText('通过', { exact: true }).click();
    await sign(cp, '公告');
    await stepForm(cp).getByTestId('sign').click();
    const elimDone = cp.locator('.ant-alert', { hasText: '程序已结束：已办结' });
    await elimDone.waitFor();
    assert.match(await text(elimDone), /帮扶消除/);
    assert.match(await text(cp.getByTestId('timeline')), /消除类型：帮扶消除/);
    await pageShot(cp, 'monitoring-14-proc-eliminated');

    // ---- 13. the household: no longer monitored, the record kept with the elimination and the quick flag -------
    await vp.goto(`/households/${CC}/${h1Id}`);
    await panel.getByText('非监测对象', { exact: true }).waitFor();
    assert.equal(await vp.getByTestId('household-monitored').count(), 0);
    const rec = await text(panel.getByTestId('monitoring-records'));
    assert.match(rec, new RegExp(`${IDENTIFIED} 纳入监测[\\s\\S]*脱贫不稳定户[\\s\\S]*${TODAY} 帮扶消除[\\s\\S]*认定后两个月内消除，需重点核查`));
    await panel.scrollIntoViewIfNeeded();
    await viewShot(vp, 'monitoring-15-household-eliminated');

    // ---- 14. 程序办理: the county's procedures, who must act, the overdue case ------------------------------------
    await cp.getByTestId('nav-monitoring/procedures').click();
    await cp.getByTestId('procedures-page').waitFor();
    assert.equal(await text(cp.getByTestId('page-title')), '程序办理');
    const rows = cp.getByTestId('proc-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    const open2 = rows.filter({ hasText: '陈玉林' });
    for (const s of ['东华村', '监测对象识别', '办理中', '村级公示', '村级工作人员', addDays(addDays(TODAY, -20), 15), '已超期']) assert.ok((await text(open2)).includes(s), `${s} in the row of 陈玉林`);
    assert.equal(await rows.filter({ hasText: '刘长顺' }).filter({ hasText: '已办结' }).count(), 2);
    await pageShot(cp, 'monitoring-16-procedures-desktop');
    await cp.getByTestId('procs-overdue').click();
    await cp.waitForURL(/overdue=1/);
    await rows.filter({ hasText: '刘长顺' }).first().waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    assert.match(await text(rows.first()), /陈玉林/);
    await cp.getByTestId('procs-overdue').click();
    await choose(cp, cp.getByTestId('procs-kind'), '风险消除');
    await cp.waitForURL(/kind=elimination/);
    await rows.filter({ hasText: '陈玉林' }).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    assert.match(await text(rows.first()), /刘长顺[\s\S]*风险消除[\s\S]*已办结/);
    await rows.first().getByTestId('proc-open').click();
    await cp.waitForURL((u) => u.pathname === elimUrl);
    // the township officer's list on a phone: cards
    await tp.setViewportSize(PHONE_375);
    await tp.goto('/monitoring/procedures?status=active');
    const procCard = tp.getByTestId('proc-card').filter({ hasText: '陈玉林' });
    await procCard.waitFor();
    assert.match(await text(procCard), /村级公示 · 村级工作人员/);
    assert.match(await text(procCard), /已超期/);
    assert.equal(await tp.getByTestId('proc-card').count(), 1);
    await assertNoOverflow(tp, PHONE_375.width);
    await viewShot(tp, 'monitoring-17-procedures-phone');

    // ---- 15. the procedure page in English: labels, not keys ----------------------------------------------------
    await cp.evaluate(() => localStorage.setItem('tuopin.lang', 'en'));
    await cp.goto(procUrl);
    await cp.getByTestId('timeline').waitFor();
    const en = await text(cp.getByTestId('timeline'));
    for (const s of ['Verifiers', 'Authorisation signed', 'Proposed monitored type: Unstable exited household', 'Result: Approved', 'Comparison: Vehicles: none']) {
      assert.ok(en.includes(s), `“${s}” in the English record`);
    }
    assert.match(await text(cp.getByTestId('policy-used')), /Monitoring line:?\s*[\d,]+ yuan \(built-in default\)/);
    assert.match(await text(cp.locator('.ant-alert', { hasText: 'Procedure ended: Completed' })), /Unstable exited household · Illness, Unstable employment/);
    await pageShot(cp, 'monitoring-18-proc-english');
    await cp.evaluate(() => localStorage.setItem('tuopin.lang', 'zh'));

    const errors = [...adminErrors, ...sessions.flatMap((s) => s.errors)];
    assert.deepEqual(errors, [], `browser errors against ${BASE_URL}`);
  } catch (e) {
    await shot(admin, 'monitoring-zz-failure-admin').catch(() => undefined);
    for (const [i, s] of sessions.entries()) await shot(s.page, `monitoring-zz-failure-${i}`).catch(() => undefined);
    throw e;
  } finally {
    for (const s of sessions) await s.ctx.close().catch(() => undefined);
    await adminCtx.close();
  }
});

test('monitoring: a household monitored before the platform, imported, shows its migrated record and can start an elimination', { timeout: 180_000 }, async () => {
  const TODAY = today();
  const no = householdNo(9);
  const identified = addDays(TODAY, -200);
  const birth = `${YEAR - 61}-03-01`;
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const vUser = `mon_mv_${STAMP}`;
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    // the county's existing monitored household: its only worker is 61 and works 8 months, 19,342 yuan per person
    await importSheets(ctx.request, {
      households: [{
        户编号: no, 所在村代码: VILLAGE, 户属性: '一般贫困户', 识别年度: '2016', 脱贫年度: '2019', 主要致贫原因: '因病', 住房安全等级: 'B', 是否饮水安全: '是',
        年度: String(YEAR), 户状态: '已脱贫户', 是否监测对象: '是', 监测对象类别: '脱贫不稳定户', 风险类型: '因病、因务工就业不稳', 纳入监测日期: identified,
      }],
      members: [
        { 户编号: no, 证件号码: idNumber(birth, true, 21), 姓名: '马长河', 与户主关系: '户主', 性别: '男', 出生日期: birth, 民族: '汉族', 文化程度: '小学', 在校生状况: '非在校生',
          健康状况: '健康', 劳动技能: '普通劳动力', '务工时间（月）': '8', 基本医疗保险: '城乡居民基本医疗保险' },
        { 户编号: no, 证件号码: idNumber(`${YEAR - 63}-05-01`, false, 22), 姓名: '马妻', 与户主关系: '配偶', 性别: '女', 出生日期: `${YEAR - 63}-05-01`, 民族: '汉族',
          文化程度: '小学', 在校生状况: '非在校生', 健康状况: '长期慢性病', 劳动技能: '丧失劳动力', 基本医疗保险: '城乡居民基本医疗保险' },
      ],
      income: [
        { 户编号: no, 年度: String(YEAR), '其他工资性收入（元）': '38684' },
        { 户编号: no, 年度: String(YEAR - 1), '其他工资性收入（元）': '36000' },
      ],
    });
    const id = Number((await query('select id from households where household_no = $1', [no])).rows[0]!.id);
    await post(ctx, '/api/users', { username: vUser, displayName: '东华村干部马丽', role: 'village_officer', regionCode: VILLAGE, password: INITIAL, reason: '防返贫监测端到端测试' });
    await setPassword(vUser);

    const village = await loginAs(vUser);
    try {
      const vp = village.page;
      await vp.goto(`/households/${CC}/${id}`);
      await vp.getByTestId('household-monitored').filter({ hasText: '监测户 · 脱贫不稳定户' }).waitFor();
      const panel = vp.getByTestId('monitoring-panel');
      await panel.getByText('监测对象', { exact: true }).waitFor();
      const records = panel.getByTestId('monitoring-records');
      assert.match(await text(records), new RegExp(`${identified} 纳入监测[\\s\\S]*迁移[\\s\\S]*脱贫不稳定户[\\s\\S]*因病、因务工就业不稳`));
      // nothing blocks the elimination: the 61-year-old worker is labour (recorded capacity, not age)
      await panel.getByTestId('start-elimination').waitFor();
      assert.equal(await panel.getByTestId('elimination-blockers').count(), 0);
      await records.getByTestId('record-migrated').hover();
      await vp.locator('.ant-tooltip:visible', { hasText: '平台启用前已是监测对象' }).waitFor();
      await panel.scrollIntoViewIfNeeded();
      await viewShot(vp, 'monitoring-20-migrated-household-desktop');
      await vp.setViewportSize(PHONE_375);
      await panel.scrollIntoViewIfNeeded();
      await assertNoOverflow(vp, PHONE_375.width);
      await vp.screenshot({ path: join(SCREENSHOT_DIR, 'monitoring-21-migrated-household-phone-view.png') });
      await vp.setViewportSize(DESKTOP);
      await panel.getByTestId('start-elimination').click();
      await vp.getByTestId('procedure-page').waitFor();
      assert.equal(await text(vp.getByTestId('page-title')), '风险消除：马长河');
      await atStep(vp, '风险消除评估');
      assert.equal(await vp.getByTestId('quick-flag').count(), 0);
      assert.deepEqual(village.errors, []);
    } finally {
      await village.ctx.close();
    }
    assert.deepEqual(errors, [], `browser errors against ${BASE_URL}`);
  } catch (e) {
    await shot(page, 'monitoring-zz-failure-migrated').catch(() => undefined);
    throw e;
  } finally {
    await ctx.close();
  }
});

test('monitoring in English: a refused risk elimination and the exit items are shown from the catalogue by code', { timeout: 180_000 }, async () => {
  const TODAY = today();
  const no = householdNo(10);
  const village = '211204101212'; // 闫家堡子村, 张相镇: no other browser test writes here
  const birth = `${YEAR - 50}-03-01`;
  const ctx = await newContext();
  const page = await ctx.newPage();
  const tUser = `mon_en_${STAMP}`;
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    // monitored before the platform, 4,000 yuan per person, an uninsured spouse, a C-rated house
    await importSheets(ctx.request, {
      households: [{
        户编号: no, 所在村代码: village, 户属性: '一般贫困户', 识别年度: '2016', 脱贫年度: '2019', 主要致贫原因: '因病', 住房安全等级: 'C', 是否饮水安全: '是',
        年度: String(YEAR), 户状态: '已脱贫户', 是否监测对象: '是', 监测对象类别: '脱贫不稳定户', 风险类型: '因病', 纳入监测日期: addDays(TODAY, -200),
      }],
      members: [
        { 户编号: no, 证件号码: idNumber(birth, true, 31), 姓名: '韩立军', 与户主关系: '户主', 性别: '男', 出生日期: birth, 民族: '汉族', 文化程度: '初中', 在校生状况: '非在校生',
          健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险' },
        { 户编号: no, 证件号码: idNumber(`${YEAR - 48}-05-01`, false, 32), 姓名: '韩妻', 与户主关系: '配偶', 性别: '女', 出生日期: `${YEAR - 48}-05-01`, 民族: '汉族',
          文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康', 劳动技能: '普通劳动力', 基本医疗保险: '未参保' },
      ],
      income: [{ 户编号: no, 年度: String(YEAR), '其他工资性收入（元）': '8000' }],
    });
    await post(ctx, '/api/users', { username: tUser, displayName: '张相镇干部韩英', role: 'township_officer', regionCode: ZHANGXIANG, password: INITIAL, reason: '防返贫监测端到端测试（英文）' });
    await setPassword(tUser);
  } finally {
    await ctx.close();
  }

  const township = await loginAs(tUser);
  try {
    const vp = township.page;
    await vp.evaluate(() => localStorage.setItem('tuopin.lang', 'en'));
    const id = Number((await query('select id from households where household_no = $1', [no])).rows[0]!.id);
    await vp.goto(`/households/${CC}/${id}`);
    const panel = vp.getByTestId('monitoring-panel');
    await panel.getByTestId('start-elimination').waitFor();
    // what the server decided on, by code: the English text the page must show is the catalogue's
    const hm = await getJson<{ elimination: { blockers: { code: string; detailCode: string; detailParams: Record<string, never> }[] } }>(
      township.ctx, `/api/monitoring/households/${CC}/${id}`);
    assert.deepEqual(hm.elimination.blockers.map((b) => b.code), ['income_below_line', 'medical', 'housing']);
    const english = hm.elimination.blockers.map((b) => renderMessage(msg('monitoring.blockerItem', {
      name: ELIMINATION_BLOCKERS.find((x) => x.code === b.code)!, detail: { code: b.detailCode, params: b.detailParams },
    }), 'en')!);
    assert.match(english[0]!, /^Income not stably above the monitoring line: Per-capita net income 4,000 yuan, not above the monitoring line of [\d,]+ yuan$/);
    assert.equal(english[1], 'Basic medical care not secured: 韩妻: no basic medical insurance');
    assert.equal(english[2], 'Housing not safe: The house is rated C, and the household is not a relocated one that has received its keys');
    const blockers = panel.getByTestId('elimination-blockers');
    await blockers.waitFor();
    assert.deepEqual((await blockers.locator('li').allInnerTexts()).map((r) => r.trim()), english);

    // the refusal of the server (409 monitoring.eliminationBlocked, one detail per blocker) in English
    const refused = vp.waitForResponse((r) => r.url().endsWith(`/api/monitoring/households/${CC}/${id}/elimination`) && r.request().method() === 'POST');
    await panel.getByTestId('start-elimination').click();
    const body = (await (await refused).json()) as { code: string; details: { code: string }[] };
    assert.equal(body.code, 'monitoring.eliminationBlocked');
    assert.deepEqual(body.details.map((d) => d.code), ['monitoring.blockerItem', 'monitoring.blockerItem', 'monitoring.blockerItem']);
    await blockers.waitFor();
    assert.deepEqual((await blockers.locator('li').allInnerTexts()).map((r) => r.trim()), english);
    assert.equal(new URL(vp.url()).pathname, `/households/${CC}/${id}`, 'no procedure was started');
    await panel.scrollIntoViewIfNeeded();
    await viewShot(vp, 'monitoring-30-elimination-refused-english');

    // the exit items of the household page in English
    const exit = vp.getByTestId('exit-panel');
    await exit.waitFor();
    const unmet = await exit.getByTestId('exit-panel-unmet').innerText();
    assert.match(unmet, /韩妻: no basic medical insurance/);
    assert.match(unmet, /The house is rated C, and the household is not a relocated one that has received its keys/);
    assert.equal(/[\u4e00-\u9fff]/.test(unmet.replace(/韩妻/g, '')), false, `no Chinese in the exit items: ${unmet}`);
    await exit.scrollIntoViewIfNeeded();
    await viewShot(vp, 'monitoring-31-exit-items-english');
    assert.deepEqual(township.errors, []);
  } finally {
    await township.ctx.close();
  }
});
