/**
 * Registry import, end to end in a real browser:
 * admin opens 数据导入 → downloads the XLSX template → uploads two CSV files (户信息, 成员信息) with
 * one wrong ID number → sees the error (成员信息, row, 证件号码) and that nothing was written →
 * uploads the corrected files → 新增 2 户 → 确认导入 → committed → finds the household in 农户信息
 * and sees its members.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/import.e2e.ts
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { idCheckCharacter, SHEETS, type SheetName } from '@tuopin/domain';
import { ADMIN_PASSWORD, BASE_URL, PHONE, login, newContext, shot, watchErrors, withBrowser, currentYearInChina } from './helpers';

const VILLAGES = ['211204101200', '211204101202'] as const; // two villages of 张相镇, 清河区
const YEAR = currentYearInChina();

let dir: string;

withBrowser();
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tuopin-import-e2e-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------------------
// Test data

/** A run-specific stamp keeps household numbers and ID numbers unique against a used server. */
const STAMP = Date.now() % 100_000;
const householdNo = (n: number) => `E2E-${String(STAMP).padStart(5, '0')}-${n}`;

/** A valid 18-character ID of 清河区 (211204) for the birth date; odd sequence = male. */
function idNumber(birth: string, male: boolean, k: number): string {
  const seq = ((STAMP * 7 + k * 37) % 450) * 2 + (male ? 1 : 0) + 100;
  const first17 = `211204${birth.replace(/-/g, '')}${String(seq).padStart(3, '0').slice(-3)}`;
  return first17 + idCheckCharacter(first17);
}

type Row = Record<string, string>;

function csv(sheet: SheetName, rows: Row[]): string {
  const cols = SHEETS[sheet].columns;
  for (const r of rows) for (const k of Object.keys(r)) assert.ok(cols.some((c) => c.header === k), `${k} is a column of ${sheet}`);
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [cols.map((c) => cell(c.header)).join(','), ...rows.map((r) => cols.map((c) => cell(r[c.header] ?? '')).join(','))];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

const households: Row[] = [
  {
    户编号: householdNo(1),
    所在村代码: VILLAGES[0],
    详细地址: '张相镇一号',
    户属性: '一般贫困户',
    识别年度: '2016',
    脱贫年度: '2019',
    主要致贫原因: '缺资金',
    年度: String(YEAR),
    户状态: '已脱贫户',
    是否监测对象: '否',
  },
  {
    户编号: householdNo(2),
    所在村代码: VILLAGES[1],
    详细地址: '张相镇二号',
    户属性: '一般贫困户',
    识别年度: '2015',
    脱贫年度: '2018',
    主要致贫原因: '缺技术',
    年度: String(YEAR),
    户状态: '已脱贫户',
    是否监测对象: '否',
  },
];

type Person = { hh: number; name: string; relation: string; birth: string; male: boolean };
const people: Person[] = [
  { hh: 1, name: '赵春生', relation: '户主', birth: '1968-03-15', male: true },
  { hh: 1, name: '钱秀兰', relation: '配偶', birth: '1970-07-02', male: false },
  { hh: 2, name: '孙玉梅', relation: '户主', birth: '1962-11-20', male: false },
];

function memberRows(): Row[] {
  return people.map((p, i) => ({
    户编号: householdNo(p.hh),
    证件类型: '居民身份证',
    证件号码: idNumber(p.birth, p.male, i),
    姓名: p.name,
    与户主关系: p.relation,
    性别: p.male ? '男' : '女',
    出生日期: p.birth,
    民族: '汉族',
    文化程度: '初中',
    在校生状况: '非在校生',
    健康状况: '健康',
    劳动技能: '普通劳动力',
    基本医疗保险: '城乡居民基本医疗保险',
  }));
}

/** The same ID number with another check character. */
function breakCheck(id: string): string {
  const last = id.slice(-1);
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

// ------------------------------------------------------------------------------------------

async function uploadFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('import-upload').waitFor();
  await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(paths);
  for (const p of paths) await page.getByTestId('import-upload').getByText(p.split('/').pop()!).waitFor();
  await page.getByTestId('import-start').click();
}

async function waitStatus(page: Page, status: string): Promise<void> {
  await page.locator(`[data-testid="import-result"][data-status="${status}"], [data-testid="import-committed"]`).first().waitFor({ timeout: 60_000 });
  if (status !== 'committed') await page.locator(`[data-testid="import-result"][data-status="${status}"]`).waitFor({ timeout: 1_000 });
}

test('import: template, a rejected upload, a corrected one, commit and the new households', { timeout: 240_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);

  const hhFile = join(dir, '户信息.csv');
  const memFile = join(dir, '成员信息.csv');
  writeFileSync(hhFile, csv('households', households));
  const bad = memberRows();
  bad[1]!['证件号码'] = breakCheck(bad[1]!['证件号码']!); // 钱秀兰, data row 2 = sheet row 3
  writeFileSync(memFile, csv('members', bad));

  try {
    // ---- 1. admin opens 数据导入 through the 建档立卡 menu group ---------------------------
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByTestId('nav-imports').click();
    await page.getByTestId('imports-page').waitFor();
    assert.equal((await page.getByTestId('page-title').innerText()).trim(), '数据导入');
    await page.getByTestId('import-templates').waitFor();
    await shot(page, 'import-01-template');

    // ---- 2. the XLSX template downloads with its Chinese name -----------------------------
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template-xlsx').click()]);
    assert.equal(download.suggestedFilename(), '建档立卡导入模板.xlsx');
    assert.equal(await download.failure(), null);

    // ---- 3. upload with a wrong check digit → rejected, nothing written -------------------
    await page.getByTestId('import-next').click();
    await uploadFiles(page, [hhFile, memFile]);
    await waitStatus(page, 'invalid');
    const alert = page.getByTestId('import-invalid');
    assert.match(await alert.innerText(), /发现 \d+ 个错误，没有写入任何数据，请改正后重新上传/);
    const idProblem = page.getByTestId('problem-row-item').filter({ hasText: '成员信息' }).filter({ hasText: '证件号码' });
    await idProblem.first().waitFor();
    assert.equal((await idProblem.first().getByTestId('problem-row').innerText()).trim(), '3');
    assert.equal((await idProblem.first().getByTestId('problem-severity').innerText()).trim(), '错误');
    await page.getByTestId('import-problems-download').waitFor();
    await shot(page, 'import-02-invalid');

    // ---- 4. fix the file, upload again → 新增 2 户 ------------------------------------------
    writeFileSync(memFile, csv('members', memberRows()));
    await page.getByTestId('import-reupload').click();
    await uploadFiles(page, [hhFile, memFile]);
    await waitStatus(page, 'validated');
    assert.equal((await page.getByTestId('import-count-households-new').innerText()).trim(), '2');
    assert.equal((await page.getByTestId('import-count-members-new').innerText()).trim(), '3');
    assert.equal((await page.getByTestId('import-error-count').innerText()).trim(), '错误 0');
    await shot(page, 'import-03-validated');

    // ---- 5. 确认导入 → committed ------------------------------------------------------------
    await page.getByTestId('import-commit').click();
    await page.getByText('确认写入：新增 2 户').waitFor();
    await shot(page, 'import-04-confirm');
    await page.getByTestId('import-commit-ok').click();
    await waitStatus(page, 'committed');
    assert.match(await page.getByTestId('import-committed').innerText(), /导入完成/);
    const recentRow = page.getByTestId('import-recent-row').first();
    await recentRow.getByText('已导入').waitFor();
    await shot(page, 'import-05-committed');

    // ---- 6. 农户信息: the household with its members ----------------------------------------
    await page.getByTestId('import-to-households').click();
    await page.waitForURL((u) => u.pathname === '/households');
    const q = page.locator('[data-testid="households-filter-q"]').locator('xpath=self::input | .//input').first();
    await q.fill(householdNo(1));
    await q.press('Enter');
    const link = page.getByTestId('household-link').filter({ hasText: householdNo(1) });
    await page.getByTestId('households-total').filter({ hasText: '共 1 户' }).waitFor();
    await link.waitFor();
    assert.equal(await page.getByTestId('household-link').count(), 1);
    await shot(page, 'import-06-households');
    await link.click();
    await page.getByTestId('household-page').waitFor();
    const members = page.getByTestId('members');
    await members.getByText('赵春生').first().waitFor();
    await members.getByText('钱秀兰').first().waitFor();
    assert.match(await page.getByTestId('household-no').innerText(), new RegExp(householdNo(1)));
    await shot(page, 'import-07-household');

    // ---- 7. phone width: the page and a reopened result ------------------------------------
    await page.setViewportSize(PHONE);
    await page.goto('/imports');
    await page.getByTestId('import-recent-row').first().click();
    await page.getByTestId('import-committed').waitFor();
    await shot(page, 'import-08-phone');
    await page.getByTestId('import-recent-row').nth(1).click();
    await waitStatus(page, 'invalid');
    await shot(page, 'import-09-phone-result');

    assert.deepEqual(errors, [], `browser errors against ${BASE_URL}`);
  } catch (e) {
    await shot(page, 'import-zz-failure').catch(() => undefined);
    throw e;
  } finally {
    await ctx.close();
  }
});
