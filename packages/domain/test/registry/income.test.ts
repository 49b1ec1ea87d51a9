import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  explainIncome, fenToDecimalString, formatFen, formatYuan, INCOME_ITEMS, incomeTotals, incomeTotalsFen, perCapitaNetIncome,
  perCapitaNetIncomeFen, perCapitaNetIncomeSql, yuanToFen,
} from '../../src/index';
import type { IncomeItemKey } from '../../src/index';
import { income } from './fixtures';

const EXAMPLE = {
  publicWelfareWage: 2000, otherWage: 10000, operatingIncome: 5000, assetDividend: 1000, otherPropertyIncome: 500,
  pension: 1200, dibaoPayment: 800, operatingExpense: 2000, compliantOutOfPocket: 3000,
};

test('INCOME_ITEMS covers every item of IncomeRecord, with snake_case columns', () => {
  const { householdNo: _h, year: _y, ...items } = income();
  assert.deepEqual(INCOME_ITEMS.map((i) => i.key).sort(), Object.keys(items).sort());
  for (const i of INCOME_ITEMS) assert.equal(i.column, i.key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const signs = Object.fromEntries(INCOME_ITEMS.map((i) => [i.key, i.sign]));
  assert.equal(signs.operatingExpense, -1);
  assert.equal(signs.compliantOutOfPocket, 0);
  assert.equal(INCOME_ITEMS.filter((i) => i.sign === 1).length, 11);
});

test('totals and per-capita net income of a plain example', () => {
  assert.deepEqual(incomeTotals(EXAMPLE), {
    wage: 12000, operating: 5000, property: 1500, transfer: 2000, expense: 2000, outOfPocket: 3000, net: 18500,
  });
  assert.equal(perCapitaNetIncome(EXAMPLE, 4), 4625);
  assert.equal(perCapitaNetIncome(EXAMPLE, 3), 6166.67);
  assert.equal(perCapitaNetIncome(EXAMPLE, 1), 18500);
});

test('compliant out-of-pocket spending is recorded but not part of net income', () => {
  assert.equal(perCapitaNetIncome({ otherWage: 1000, compliantOutOfPocket: 999999 }, 1), 1000);
});

test('zero members: null, not a division by zero', () => {
  assert.equal(perCapitaNetIncome(EXAMPLE, 0), null);
  assert.equal(perCapitaNetIncomeFen(EXAMPLE, 0), null);
});

test('invalid sizes and values throw', () => {
  assert.throws(() => perCapitaNetIncome(EXAMPLE, -1), RangeError);
  assert.throws(() => perCapitaNetIncome(EXAMPLE, 2.5), RangeError);
  assert.throws(() => perCapitaNetIncome(EXAMPLE, Number.NaN), RangeError);
  assert.throws(() => perCapitaNetIncome({ otherWage: Number.NaN }, 2), RangeError);
  assert.throws(() => perCapitaNetIncome({ otherWage: Number.POSITIVE_INFINITY }, 2), RangeError);
});

test('missing items count as zero', () => {
  assert.equal(perCapitaNetIncome({}, 3), 0);
  assert.equal(perCapitaNetIncome({ otherWage: null, pension: undefined, dibaoPayment: 600 }, 3), 200);
  assert.deepEqual(incomeTotals({ operatingExpense: 100 }), {
    wage: 0, operating: 0, property: 0, transfer: 0, expense: 100, outOfPocket: 0, net: -100,
  });
});

test('negative operating income gives a negative result, rounded away from zero', () => {
  assert.equal(perCapitaNetIncome({ operatingIncome: -30000, otherWage: 10000 }, 3), -6666.67);
  assert.equal(perCapitaNetIncome({ operatingIncome: -20000, otherWage: 10000 }, 3), -3333.33);
  assert.equal(incomeTotals({ operatingIncome: -30000, otherWage: 10000 }).net, -20000);
});

test('half a fen rounds away from zero, both signs', () => {
  // 1 fen / 2 = 0.5 fen
  assert.equal(perCapitaNetIncome({ otherWage: 0.01 }, 2), 0.01);
  assert.equal(perCapitaNetIncome({ operatingIncome: -0.01 }, 2), -0.01);
  // 3 fen / 2 = 1.5 fen
  assert.equal(perCapitaNetIncome({ otherWage: 0.03 }, 2), 0.02);
  assert.equal(perCapitaNetIncome({ operatingIncome: -0.03 }, 2), -0.02);
  // 125 fen / 2 = 62.5 fen
  assert.equal(perCapitaNetIncome({ otherWage: 1.25 }, 2), 0.63);
  assert.equal(perCapitaNetIncome({ operatingIncome: -1.25 }, 2), -0.63);
  // just below and above half: 1 fen / 3, 2 fen / 3
  assert.equal(perCapitaNetIncome({ otherWage: 0.01 }, 3), 0);
  assert.equal(perCapitaNetIncome({ otherWage: 0.02 }, 3), 0.01);
  assert.equal(perCapitaNetIncome({ operatingIncome: -0.02 }, 3), -0.01);
  // 10 fen / 4 = 2.5 fen; -10 / 4 = -2.5 fen
  assert.equal(perCapitaNetIncome({ otherWage: 0.1 }, 4), 0.03);
  assert.equal(perCapitaNetIncome({ operatingIncome: -0.1 }, 4), -0.03);
});

test('items are rounded to fen on their decimal value, not their binary approximation', () => {
  // 0.285 * 100 = 28.499999999999996 and 1.005 * 100 = 100.49999999999999 in binary floating point
  assert.equal(yuanToFen(0.285), 29n);
  assert.equal(yuanToFen(1.005), 101n);
  assert.equal(yuanToFen(-0.125), -13n);
  assert.equal(yuanToFen(0.125), 13n);
  assert.equal(yuanToFen(0.004), 0n);
  assert.equal(yuanToFen(0.005), 1n);
  assert.equal(yuanToFen(1e-7), 0n);
  assert.equal(yuanToFen(1e21), 100000000000000000000000n);
  assert.equal(yuanToFen(-0), 0n);
  assert.equal(perCapitaNetIncome({ operatingIncome: 1.005 }, 1), 1.01);
  assert.equal(perCapitaNetIncome({ operatingIncome: -1.005 }, 1), -1.01);
});

test('no float drift when summing', () => {
  // 0.1 + 0.2 !== 0.3 in floating point
  assert.equal(perCapitaNetIncome({ otherWage: 0.1, pension: 0.2 }, 1), 0.3);
  const many: Partial<Record<IncomeItemKey, number>> = {};
  for (const i of INCOME_ITEMS) if (i.sign === 1) many[i.key] = 0.1;
  assert.equal(incomeTotals(many).net, 1.1);
  assert.equal(perCapitaNetIncome(many, 1), 1.1);
});

test('large values stay exact beyond 2^53 fen', () => {
  const big = { otherWage: 60000000000000.01, operatingIncome: 60000000000000.02 };
  assert.equal(fenToDecimalString(incomeTotalsFen(big).net), '120000000000000.03');
  assert.equal(fenToDecimalString(perCapitaNetIncomeFen(big, 3)!), '40000000000000.01');
  assert.equal(perCapitaNetIncome(big, 3), 40000000000000.01);
  assert.equal(perCapitaNetIncome({ otherWage: 99999999.99 }, 7), 14285714.28);
});

test('agrees with an independent rounding oracle on 3,000 random records', () => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let n = 0; n < 3000; n++) {
    const record: Partial<Record<IncomeItemKey, number>> = {};
    let cents = 0;
    for (const item of INCOME_ITEMS) {
      if (rnd() < 0.3) continue; // missing
      const c = Math.floor(rnd() * 2000000) * (item.key === 'operatingIncome' && rnd() < 0.5 ? -1 : 1);
      record[item.key] = c / 100;
      cents += item.sign * c;
    }
    const size = Math.floor(rnd() * 9);
    const got = perCapitaNetIncome(record, size);
    if (size === 0) {
      assert.equal(got, null);
      continue;
    }
    const expected = (Math.sign(cents) * Math.floor(Math.abs(cents) / size + 0.5)) / 100;
    assert.equal(got, expected === 0 ? 0 : expected, JSON.stringify({ record, size }));
  }
});

test('the SQL expression is generated from INCOME_ITEMS', () => {
  assert.equal(
    perCapitaNetIncomeSql('i', 'h.size'),
    'round((coalesce(i.public_welfare_wage,0)+coalesce(i.other_wage,0)+coalesce(i.operating_income,0)' +
      '+coalesce(i.asset_dividend,0)+coalesce(i.other_property_income,0)+coalesce(i.pension,0)+coalesce(i.family_planning,0)' +
      '+coalesce(i.eco_compensation,0)+coalesce(i.dibao_payment,0)+coalesce(i.tekun_payment,0)+coalesce(i.other_transfer,0)' +
      '-coalesce(i.operating_expense,0))::numeric / nullif((h.size),0), 2)',
  );
  assert.ok(!perCapitaNetIncomeSql('inc', '4').includes('compliant_out_of_pocket'));
  assert.throws(() => perCapitaNetIncomeSql('i; drop table x', '1'), /invalid SQL alias/);
});

test('formatting', () => {
  assert.equal(formatFen(1850000n), '18,500.00');
  assert.equal(formatFen(-300050n), '-3,000.50');
  assert.equal(formatFen(5n), '0.05');
  assert.equal(formatFen(-5n), '-0.05');
  assert.equal(formatFen(123456789012n), '1,234,567,890.12');
  assert.equal(formatYuan(1234.5), '1,234.50');
});

test('explanation lines for a household page', () => {
  assert.deepEqual(explainIncome(EXAMPLE, 4), [
    '工资性收入 12,000.00 = 公益性岗位 2,000.00 + 其他 10,000.00',
    '生产经营性收入 5,000.00',
    '财产性收入 1,500.00 = 资产收益分红 1,000.00 + 其他 500.00',
    '转移性收入 2,000.00 = 养老金 1,200.00 + 计划生育金 0.00 + 生态补偿金 0.00 + 低保金 800.00 + 特困供养金 0.00 + 其他 0.00',
    '生产经营性支出 2,000.00',
    '纯收入 = 12,000.00 + 5,000.00 + 1,500.00 + 2,000.00 − 2,000.00 = 18,500.00',
    '人均纯收入 = 18,500.00 ÷ 4 = 4,625.00',
    '合规自付支出 3,000.00（不计入纯收入）',
  ]);
  const negative = explainIncome({ operatingIncome: -30000, otherWage: 10000 }, 3);
  assert.equal(negative[1], '生产经营性收入 -30,000.00');
  assert.equal(negative[5], '纯收入 = 10,000.00 + (-30,000.00) + 0.00 + 0.00 − 0.00 = -20,000.00');
  assert.equal(negative[6], '人均纯收入 = -20,000.00 ÷ 3 = -6,666.67');
  assert.equal(explainIncome({}, 0)[6], '人均纯收入：家庭人口为0，无法计算');
  assert.equal(explainIncome(EXAMPLE, 4, 'en')[6], 'Per-capita net income = 18,500.00 ÷ 4 = 4,625.00');
});
