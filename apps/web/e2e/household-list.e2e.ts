/**
 * Paging the household list in a real browser: 45 households imported into one village → the first page of 20
 * with the list's total and totals → the next page: other households, the same total and totals, asked for without
 * them (withTotals=false: the totals are a pass over the whole filtered list) → back to the first page → a new
 * filter asks for its totals again.
 *
 *   E2E_BASE_URL=http://localhost:3000 E2E_ADMIN_PASSWORD=… node --import tsx --test apps/web/e2e/household-list.e2e.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, importSheets, login, newContext, shot, testIdNumber, watchErrors, withBrowser, type SheetRow, currentYearInChina } from './helpers';

const TOWNSHIP = '211204203000'; // 聂家满族乡, 清河区 (no other browser test counts its households)
const STAMP = (Date.now() + 23) % 100_000;
const YEAR = currentYearInChina();
const N = 45;
const no = (k: number) => `PL-${String(STAMP).padStart(5, '0')}-${String(k).padStart(2, '0')}`;

withBrowser();

test('household list: keyset pages keep the total and totals of the filter without asking for them again', { timeout: 120_000 }, async () => {
  const ctx = await newContext();
  const page = await ctx.newPage();
  const errors = watchErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/households\?/.test(r.url())) requests.push(r.url());
  });
  try {
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    const villages = (await (await page.request.get(`/api/regions/${TOWNSHIP}/children`)).json()) as { code: string }[];
    const village = villages.at(-1)!.code;
    const households: SheetRow[] = Array.from({ length: N }, (_, k) => ({
      户编号: no(k), 所在村代码: village, 户属性: '一般贫困户', 识别年度: '2016', 脱贫年度: '2019', 主要致贫原因: '因病',
      住房安全等级: k % 9 === 0 ? 'C级' : 'A级', 是否饮水安全: '是', 年度: String(YEAR), 户状态: '已脱贫户', 是否监测对象: '否',
    }));
    const members: SheetRow[] = Array.from({ length: N }, (_, k) => ({
      户编号: no(k), 证件类型: '居民身份证', 证件号码: testIdNumber('1970-05-05', k % 2 === 0, k, STAMP * 11), 姓名: `分页${'甲乙丙丁戊己庚辛壬癸'[k % 10]}${'一二三四五'[Math.floor(k / 10)]}`, 与户主关系: '户主',
      性别: k % 2 === 0 ? '男' : '女', 出生日期: '1970-05-05', 民族: '汉族', 文化程度: '初中', 在校生状况: '非在校生', 健康状况: '健康',
      劳动技能: '普通劳动力', 基本医疗保险: '城乡居民基本医疗保险',
    }));
    await importSheets(page.request, { households, members });
    await page.goto(`/households?region=${village}&limit=20`);
    const total = page.getByTestId('households-total');
    await page.getByTestId('households-totals').filter({ hasText: `${N} 人` }).waitFor();
    const totalText = await total.innerText();
    const n = Number(/共 ([\d,]+) 户/.exec(totalText)![1]!.replace(/,/g, ''));
    assert.equal(n, N, `the village holds the imported households: ${totalText}`);
    const totalsText = await page.getByTestId('households-totals').innerText();
    const firstRow = async () => (await page.locator('.ant-table-row').first().innerText()).split('\t')[0] ?? '';
    const first = await firstRow();
    assert.ok(!requests.at(-1)!.includes('withTotals'), 'the first page asks for the totals');

    await page.getByTestId('households-next').click();
    await page.waitForURL((u) => u.searchParams.has('after'));
    await page.locator('.ant-table-row').first().filter({ hasNotText: first }).waitFor();
    assert.notEqual(await firstRow(), first);
    assert.match(requests.at(-1)!, /withTotals=false/);
    assert.equal(await total.innerText(), totalText);
    assert.equal(await page.getByTestId('households-totals').innerText(), totalsText);
    await shot(page, 'household-list-01-page-2');

    await page.getByTestId('households-prev').click();
    await page.locator('.ant-table-row').first().filter({ hasText: first }).waitFor();
    assert.equal(await total.innerText(), totalText);

    // another filter: its own totals
    const before = requests.length;
    await page.goto(`/households?region=${village}&limit=20&dangerousHouse=1`);
    await page.getByTestId('households-totals').filter({ hasText: `${Math.ceil(N / 9)} 人` }).waitFor(); // 住房 C 级: every ninth
    assert.ok(requests.slice(before).some((u) => !u.includes('withTotals')), 'a new filter asks for its totals');
    assert.notEqual(await total.innerText(), totalText);
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});
