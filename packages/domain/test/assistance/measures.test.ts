import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEVELOPMENT_MEASURE_FAMILIES, hasDevelopmentMeasure, MEASURE_FAMILIES, measureInForce, validateMeasure, validateMeasureEnd } from '../../src/index';

const TODAY = '2026-11-30';
const ok = { family: 'industry', title: '入股肉牛养殖合作社', startedOn: '2026-05-01' };
const fields = (m: Parameters<typeof validateMeasure>[0]) => validateMeasure(m, TODAY).map((p) => [p.field, p.message]);

test('measure families: every family of DOMAIN §9 once; industry and employment are the development families', () => {
  assert.equal(new Set(MEASURE_FAMILIES.map((f) => f.code)).size, MEASURE_FAMILIES.length);
  assert.deepEqual([...DEVELOPMENT_MEASURE_FAMILIES], ['industry', 'employment']);
  assert.ok(MEASURE_FAMILIES.every((f) => f.zh && f.en));
});

test('validateMeasure: a complete measure passes; each bad field is named with a Chinese message', () => {
  assert.deepEqual(fields(ok), []);
  assert.deepEqual(fields({ ...ok, endedOn: '2026-05-01', amount: 20000.5, note: '分红' }), []);
  assert.deepEqual(fields({ ...ok, family: 'lottery' }), [['family', '请选择帮扶措施类别']]);
  assert.deepEqual(fields({ ...ok, title: '  ' }), [['title', '请填写措施内容']]);
  assert.deepEqual(fields({ ...ok, title: '长'.repeat(201) }), [['title', '措施内容不能超过 200 个字']]);
  assert.deepEqual(fields({ ...ok, startedOn: '2026-02-29' }), [['startedOn', '开始日期不正确']]);
  assert.deepEqual(fields({ ...ok, startedOn: '2026-12-01' }), [['startedOn', '开始日期不能晚于今天']]);
  assert.deepEqual(fields({ ...ok, endedOn: '2026-04-30' }), [['endedOn', '结束日期不能早于开始日期']]);
  assert.deepEqual(fields({ ...ok, endedOn: '2026-13-01' }), [['endedOn', '结束日期不正确']]);
  assert.deepEqual(fields({ ...ok, amount: -1 }), [['amount', '投入资金应为不小于 0 的金额']]);
  assert.deepEqual(fields({ ...ok, amount: 1.234 }), [['amount', '投入资金最多保留两位小数']]);
  assert.deepEqual(fields({ ...ok, amount: Number.NaN }), [['amount', '投入资金应为不小于 0 的金额']]);
  assert.deepEqual(fields({ ...ok, note: 'x'.repeat(1001) }), [['note', '备注不能超过 1000 个字']]);
  // several problems at once, in field order
  assert.deepEqual(fields({ family: '', title: '', startedOn: '' }).map(([f]) => f), ['family', 'title', 'startedOn']);
});

test('validateMeasureEnd: required, a real date, from the start date, not after today', () => {
  const end = (d: string) => validateMeasureEnd('2026-05-01', d, TODAY).map((p) => p.message);
  assert.deepEqual(end('2026-05-01'), []);
  assert.deepEqual(end(TODAY), []);
  assert.deepEqual(end(''), ['请填写结束日期']);
  assert.deepEqual(end('2026-04-31'), ['结束日期不正确']);
  assert.deepEqual(end('2026-04-30'), ['结束日期不能早于开始日期']);
  assert.deepEqual(end('2026-12-01'), ['结束日期不能晚于今天']);
});

test('in force: from the start date through the end date; a development measure counts only while in force', () => {
  const m = { startedOn: '2026-05-01', endedOn: '2026-10-31' };
  assert.deepEqual(['2026-04-30', '2026-05-01', '2026-10-31', '2026-11-01'].map((d) => measureInForce(m, d)), [false, true, true, false]);
  assert.equal(measureInForce({ startedOn: '2026-05-01', endedOn: null }, '2030-01-01'), true);
  const list = [
    { family: 'health', startedOn: '2026-01-01', endedOn: null },
    { family: 'employment', startedOn: '2026-03-01', endedOn: '2026-06-30' },
  ];
  assert.equal(hasDevelopmentMeasure(list, '2026-05-01'), true);
  assert.equal(hasDevelopmentMeasure(list, '2026-07-01'), false);
  assert.equal(hasDevelopmentMeasure([], '2026-07-01'), false);
});
