/**
 * Income by year and status by year through the HTTP API: the income upsert (domain validation refusing new errors
 * with the field named in Chinese, audit entry with the reason, the list's per-capita income equal to the domain's
 * perCapitaNetIncome, region scoping), the status upsert (exit year required for 已脱贫户, monitoring fields kept),
 * the status of a new household, and households without an income record shown as null — not 0 — in the list,
 * the exports, the totals and the income-band filter.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { api, idCheckCharacter, INCOME_ITEMS, perCapitaNetIncome, type IncomeValues, type MemberChanges } from '@tuopin/domain';
import { QINGHE, setup, userClient, YANGMULINZI, ZHANGXIANG, type TestClient, type TestEnv } from './helpers';
import { currentYearInChina } from '../src/clock';

const ZX_VILLAGE = '211204101200'; // 大孟屯村, 张相镇
const YEAR = currentYearInChina();
const LAST_YEAR = YEAR - 1;

let seq = 0;
function idNumber(birth: string, sex: 'male' | 'female'): string {
  const n = 100 + ((seq++ * 2) % 800) + (sex === 'male' ? 1 : 0);
  const body = `211204${birth.replace(/-/g, '')}${String(n).padStart(3, '0')}`;
  return body + idCheckCharacter(body);
}

function person(name: string, birth: string, sex: 'male' | 'female', extra: MemberChanges = {}): MemberChanges & { idNumber: string } {
  return {
    idNumber: idNumber(birth, sex), name, sex, birthDate: birth, ethnicity: '01', education: 'junior', schoolStatus: 'not_in_school',
    health: ['healthy'], labour: 'ordinary', medicalInsurance: 'resident', ...extra,
  };
}

type ErrBody = { code: string; message: string; details?: { field: string; message: string }[] };
const err = (b: unknown) => b as ErrBody;

describe('registry: income and status by year', () => {
  let env: TestEnv;
  let admin: TestClient;
  let township: TestClient;
  let otherTownship: TestClient;
  let inspector: TestClient;
  let hid: number;
  let bareId: number;

  const create = async (c: TestClient, no: string, extra: Record<string, unknown> = {}) => {
    const r = await c.call(api.householdCreate, {
      body: {
        household: { householdNo: no, villageCode: ZX_VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness' },
        head: person(`户主${'甲乙丙丁戊'[Number(no.slice(-1))] ?? '己'}`, '1970-05-06', 'male'),
        reason: '新识别农户',
        ...extra,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };

  before(async () => {
    env = await setup();
    admin = await env.admin();
    ({ client: township } = await userClient(env, admin, { username: 'i_zx', role: 'township_officer', regionCode: ZHANGXIANG }));
    ({ client: otherTownship } = await userClient(env, admin, { username: 'i_ym', role: 'township_officer', regionCode: YANGMULINZI }));
    ({ client: inspector } = await userClient(env, admin, { username: 'i_insp', role: 'inspector', regionCode: QINGHE }));
    const h = await create(township, 'I0001', { status: { status: 'ordinary', exitYear: null } });
    hid = h.id;
    // two more members: household size 3
    for (const [name, birth, sex] of [['配偶甲', '1972-01-02', 'female'], ['之子乙', '1996-07-08', 'male']] as const) {
      await township.ok(api.memberAdd, {
        params: { countyCode: '211204', id: hid },
        body: { member: person(name, birth, sex, { relation: sex === 'female' ? 'spouse' : 'son' }), kind: 'other_in', date: `${LAST_YEAR - 3}-03-01`, reason: '户籍迁入' },
      });
    }
    bareId = (await create(township, 'I0002')).id;
  });
  after(() => env.close());

  test('a new household gets the status of the current year: 一般农户 by default, or the one given', async () => {
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: bareId } });
    assert.deepEqual(d.statuses.map((s) => [s.year, s.status, s.exitYear, s.monitored]), [[YEAR, 'ordinary', null, false]]);
    const withNull = await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    assert.deepEqual(withNull.statuses.map((s) => [s.year, s.status, s.exitYear]), [[YEAR, 'ordinary', null]]);
    const poor = await create(township, 'I0003', { status: { status: 'exited', exitYear: 2019 } });
    assert.deepEqual(poor.statuses.map((s) => [s.year, s.status, s.exitYear]), [[YEAR, 'exited', 2019]]);
    const bad = await township.call(api.householdCreate, {
      body: {
        household: { householdNo: 'I0004', villageCode: ZX_VILLAGE, attribute: 'general_poor', identifiedYear: 2016, mainCause: 'illness' }, head: person('户主丙', '1980-02-03', 'male'),
        status: { status: 'exited' }, reason: '新识别',
      },
    });
    assert.equal(bad.status, 400);
    assert.equal(err(bad.body).details?.[0]?.field, 'body.status.exitYear');
    assert.match(err(bad.body).message, /脱贫年度不能为空（字段：脱贫年度）/);
    // nothing written
    const list = await township.ok(api.householdList, { query: { q: 'I0004' } });
    assert.equal(list.total, 0);
  });

  test('income upsert: a bad value is refused with its field named in Chinese; nothing written', async () => {
    const r = await township.call(api.incomeUpsert, {
      params: { countyCode: '211204', id: hid, year: LAST_YEAR },
      body: { items: { otherWage: 20000, operatingExpense: -300 }, reason: '入户核实' },
    });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.deepEqual(err(r.body).details, [{ field: 'body.items.operatingExpense', message: '生产经营性支出不能为负数', code: 'registry.check.negative', params: { field: { zh: '生产经营性支出', en: 'Operating expenses' } } }]);
    assert.match(err(r.body).message, /（字段：生产经营性支出）/);
    const text = await township.call(api.incomeUpsert, {
      params: { countyCode: '211204', id: hid, year: LAST_YEAR }, body: { items: { otherWage: '一万' as never }, reason: '入户核实' },
    });
    assert.equal(text.status, 400);
    assert.deepEqual(err(text.body).details, [{
      field: 'body.items.otherWage', message: '其他工资性收入应为数字',
      code: 'common.field.type', params: { label: '其他工资性收入', type: { code: 'common.type.number', params: {} } },
    }]);
    const unknown = await township.call(api.incomeUpsert, {
      params: { countyCode: '211204', id: hid, year: LAST_YEAR },
      body: { items: { salary: 1 } as never, reason: '入户核实' },
    });
    assert.equal(unknown.status, 400);
    assert.equal(err(unknown.body).details?.[0]?.field, 'body.items.salary');
    const future = await township.call(api.incomeUpsert, {
      params: { countyCode: '211204', id: hid, year: YEAR + 5 }, body: { items: { otherWage: 1 }, reason: '入户核实' },
    });
    assert.equal(future.status, 400);
    assert.equal(err(future.body).details?.[0]?.field, 'params.year');
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    assert.equal(d.incomes.length, 0);
  });

  test('income upsert: stored, computed with perCapitaNetIncome on the page and in the list, audited with the reason', async () => {
    // odd values: half-fen rounding and a negative operating income
    const items: IncomeValues = {
      publicWelfareWage: 6000, otherWage: 18250.5, operatingIncome: -1200.25, assetDividend: 300, otherPropertyIncome: 0.285,
      pension: 2400, familyPlanning: 960, ecoCompensation: 115.5, dibaoPayment: 3480, tekunPayment: null, otherTransfer: 120,
      operatingExpense: 1500, compliantOutOfPocket: 8000,
    };
    const d = await township.ok(api.incomeUpsert, {
      params: { countyCode: '211204', id: hid, year: LAST_YEAR },
      body: { items: items as Record<string, number | null>, reason: '年度收入核算' },
    });
    const income = d.incomes.find((i) => i.year === LAST_YEAR)!;
    assert.equal(income.size, 3);
    const expected = perCapitaNetIncome(items, 3);
    assert.equal(income.perCapitaNetIncome, expected);
    assert.equal(income.items.compliantOutOfPocket, 8000);
    assert.equal(income.items.tekunPayment, null, 'an item left empty stays "not recorded", not 0');
    assert.equal(income.items.operatingExpense, 1500);
    assert.equal(income.items.otherPropertyIncome, 0.29, 'stored in fen');
    assert.ok(income.explanation.some((l) => l.includes('合规自付支出 8,000.00')));
    assert.equal(d.yearSizes.find((y) => y.year === LAST_YEAR)?.size, 3);

    const list = await township.ok(api.householdList, { query: { q: 'I0001', year: LAST_YEAR } });
    assert.equal(list.items[0]?.perCapitaNetIncome, expected);

    const history = await township.ok(api.householdHistory, { params: { countyCode: '211204', id: hid } });
    const entry = history.items.find((e) => e.entity === 'income_records');
    assert.ok(entry, 'audit entry of the income record');
    assert.equal(entry.action, 'insert');
    assert.equal(entry.reason, '年度收入核算');
    assert.equal(entry.actorName, 'i_zx');
    assert.equal(entry.changes.find((c) => c.field === 'compliant_out_of_pocket')?.after, 8000);

    // a second save changes one item: an update entry with only that item
    const changed = { ...items, otherWage: 20000 };
    await township.ok(api.incomeUpsert, {
      params: { countyCode: '211204', id: hid, year: LAST_YEAR }, body: { items: changed as Record<string, number | null>, reason: '工资更正' },
    });
    const h2 = await township.ok(api.householdHistory, { params: { countyCode: '211204', id: hid } });
    const upd = h2.items[0]!;
    assert.equal(upd.entity, 'income_records');
    assert.equal(upd.action, 'update');
    assert.equal(upd.reason, '工资更正');
    assert.deepEqual(upd.changes.map((c) => [c.field, c.before, c.after]), [['other_wage', 18250.5, 20000]]);
    const list2 = await township.ok(api.householdList, { query: { q: 'I0001', year: LAST_YEAR } });
    assert.equal(list2.items[0]?.perCapitaNetIncome, perCapitaNetIncome(changed, 3));
  });

  test('income items read back exactly as stored in fen, up to the largest amount (numbers from the repository, not text)', async () => {
    const year = LAST_YEAR - 1;
    const items: Record<string, number | null> = {
      publicWelfareWage: 99_999_999.99, otherWage: 12_345_678.91, operatingIncome: -98_765_432.1, assetDividend: 0.01, otherPropertyIncome: 0.07,
      pension: 1.1, familyPlanning: 2.675, ecoCompensation: 0.3, dibaoPayment: 4_503_599.63, tekunPayment: null, otherTransfer: 0,
      operatingExpense: 33.33, compliantOutOfPocket: 70_368_744.17,
    };
    const d = await township.ok(api.incomeUpsert, { params: { countyCode: '211204', id: hid, year }, body: { items, reason: '精度核对' } });
    const read = d.incomes.find((i) => i.year === year)!.items;
    // 2.675 is stored as 2.68 (numeric rounds half away from zero); every other value has two decimals and stays as sent
    assert.deepEqual(read, { ...items, familyPlanning: 2.68 });
    for (const v of Object.values(read)) assert.ok(v === null || typeof v === 'number');
  });

  test('list: per-capita income equals perCapitaNetIncome on random records (SQL and JS, one definition)', async () => {
    let state = 12345;
    const rnd = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 6; k++) {
      const items: Record<string, number | null> = {};
      for (const it of INCOME_ITEMS) {
        const v = Math.round(rnd() * 2_000_000) / 1000; // up to three decimals: the half-fen cases
        items[it.key] = rnd() < 0.2 ? null : it.key === 'operatingIncome' && rnd() < 0.5 ? -v : v;
      }
      const year = 2016 + k;
      const d = await township.ok(api.incomeUpsert, { params: { countyCode: '211204', id: hid, year }, body: { items, reason: '随机核对' } });
      const size = d.yearSizes.find((y) => y.year === year)!.size;
      const list = await township.ok(api.householdList, { query: { q: 'I0001', year } });
      assert.equal(list.items[0]?.perCapitaNetIncome, perCapitaNetIncome(items, size), `year ${year}`);
    }
  });

  test('income upsert: writers of the household region only (another township 404, inspector 403)', async () => {
    const input = { params: { countyCode: '211204', id: hid, year: LAST_YEAR }, body: { items: { otherWage: 1 }, reason: '越权' } };
    const other = await otherTownship.call(api.incomeUpsert, input);
    assert.equal(other.status, 404);
    assert.equal((other.body as { details?: unknown }).details, undefined);
    assert.equal((await otherTownship.call(api.statusUpsert, { params: input.params, body: { status: 'poor', reason: '越权' } })).status, 404);
    assert.equal((await inspector.call(api.incomeUpsert, input)).status, 403);
    assert.equal((await inspector.call(api.statusUpsert, { params: input.params, body: { status: 'poor', reason: '越权' } })).status, 403);
    const d = await township.ok(api.householdGet, { params: { countyCode: '211204', id: hid } });
    assert.equal(d.incomes.find((i) => i.year === LAST_YEAR)?.items.otherWage, 20000);
  });

  test('status upsert: exit year required for 已脱贫户, stored, monitoring fields kept, audited', async () => {
    const params = { countyCode: '211204', id: hid, year: LAST_YEAR };
    const bad = await township.call(api.statusUpsert, { params, body: { status: 'exited', reason: '脱贫' } });
    assert.equal(bad.status, 400);
    assert.deepEqual(err(bad.body).details, [{ field: 'body.exitYear', message: '脱贫年度不能为空', code: 'registry.check.required', params: { field: { zh: '脱贫年度', en: 'Exit year' } } }]);
    assert.match(err(bad.body).message, /字段：脱贫年度/);
    const unknownCode = await township.call(api.statusUpsert, { params, body: { status: 'rich' as never, reason: '脱贫' } });
    assert.equal(unknownCode.status, 400);
    assert.equal(err(unknownCode.body).details?.[0]?.field, 'body.status');

    let d = await township.ok(api.statusUpsert, { params, body: { status: 'exited', exitYear: 2019, reason: '2019年脱贫' } });
    assert.deepEqual(d.statuses.find((s) => s.year === LAST_YEAR), {
      year: LAST_YEAR, status: 'exited', exitYear: 2019, monitored: false, monitoredType: null, riskTypes: [],
    });

    // the monitoring procedure marks it (here directly in the database); a status change keeps the marks
    await env.db.system({ name: 'test' }, (tx) =>
      sql`update household_year_status set monitored = true, monitored_type = 'unstable_exited', risk_types = '{illness,accident}'
           where county_code = '211204' and household_id = ${hid} and year = ${LAST_YEAR}`.execute(tx),
    );
    d = await township.ok(api.statusUpsert, { params, body: { status: 'returned', exitYear: 2019, reason: '因病返贫' } });
    assert.deepEqual(d.statuses.find((s) => s.year === LAST_YEAR), {
      year: LAST_YEAR, status: 'returned', exitYear: 2019, monitored: true, monitoredType: 'unstable_exited', riskTypes: ['illness', 'accident'],
    });
    const history = await township.ok(api.householdHistory, { params: { countyCode: '211204', id: hid } });
    const entry = history.items[0]!;
    assert.equal(entry.entity, 'household_year_status');
    assert.equal(entry.reason, '因病返贫');
    assert.deepEqual(entry.changes.map((c) => [c.field, c.before, c.after]), [['status', 'exited', 'returned']]);
  });

  test('list, totals, band filter and exports: a household without an income record has no per-capita income (not 0)', async () => {
    const q = { regionCode: ZX_VILLAGE, year: LAST_YEAR };
    const list = await township.ok(api.householdList, { query: q });
    const byNo = new Map(list.items.map((i) => [i.householdNo, i]));
    assert.equal(byNo.get('I0002')?.perCapitaNetIncome, null);
    assert.equal(byNo.get('I0003')?.perCapitaNetIncome, null);
    const withIncome = byNo.get('I0001')!.perCapitaNetIncome!;
    assert.equal(list.totals?.households, 3);
    assert.equal(list.totals?.persons, 5);
    assert.equal(list.totals?.withIncome, 1);
    assert.equal(list.totals?.averagePerCapitaNetIncome, withIncome, 'households without income are not averaged as 0');
    // a client paging through a list it has the totals of asks without them
    const next = await township.ok(api.householdList, { query: { ...q, limit: 1, withTotals: false } });
    assert.deepEqual([next.items.length, next.total, next.totals], [1, null, null]);

    // income band from 0: only households with a record
    const band = await township.ok(api.householdList, { query: { ...q, incomeMin: 0 } });
    assert.deepEqual(band.items.map((i) => i.householdNo), ['I0001']);
    const low = await township.ok(api.householdList, { query: { ...q, incomeMax: 1 } });
    assert.deepEqual(low.items.map((i) => i.householdNo), []);

    const csv = await township.raw('GET', `/api/households/export.csv?regionCode=${ZX_VILLAGE}&year=${LAST_YEAR}`);
    assert.equal(csv.status, 200);
    const lines = csv.raw.toString('utf8').replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
    const col = lines[0]!.indexOf('人均纯收入（元）');
    const cell = (no: string) => lines.find((l) => l[0] === no)?.[col];
    assert.equal(cell('I0002'), '');
    assert.equal(Number(cell('I0001')), withIncome);

    const xlsx = await township.raw('GET', `/api/households/export.xlsx?regionCode=${ZX_VILLAGE}&year=${LAST_YEAR}`);
    assert.equal(xlsx.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const xcol = header.indexOf('人均纯收入（元）') + 1;
    const values = new Map<string, unknown>();
    ws.eachRow((row, n) => {
      if (n > 1) values.set(String(row.getCell(1).value), row.getCell(xcol).value);
    });
    assert.equal(values.get('I0002'), null);
    assert.equal(values.get('I0001'), withIncome);
  });
});
