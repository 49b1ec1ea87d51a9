import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, ageAt, isRealDate, parseIsoDate } from '../../src/index';

test('real dates and leap years', () => {
  assert.ok(isRealDate(2000, 2, 29));
  assert.ok(isRealDate(2024, 2, 29));
  assert.ok(!isRealDate(1900, 2, 29));
  assert.ok(!isRealDate(2001, 2, 29));
  assert.ok(!isRealDate(2001, 4, 31));
  assert.ok(!isRealDate(2001, 13, 1));
  assert.equal(parseIsoDate('2023-02-29'), null);
  assert.equal(parseIsoDate('2023-2-1'), null);
  assert.deepEqual(parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
});

test('age in full years', () => {
  assert.equal(ageAt('1980-03-15', '2025-03-14'), 44);
  assert.equal(ageAt('1980-03-15', '2025-03-15'), 45);
  assert.equal(ageAt('2008-02-29', '2024-02-28'), 15);
  assert.equal(ageAt('2008-02-29', '2024-02-29'), 16);
  assert.equal(ageAt('2008-02-29', '2025-02-28'), 16, 'non-leap year: birthday counts from 1 March');
  assert.equal(ageAt('2008-02-29', '2025-03-01'), 17);
  assert.equal(ageAt('2025-07-01', '2025-06-30'), null, 'born after the reference date');
  assert.equal(ageAt('bad', '2025-06-30'), null);
});

test('adding months clamps to the month end', () => {
  assert.deepEqual(addMonths({ year: 2024, month: 8, day: 31 }, 6), { year: 2025, month: 2, day: 28 });
  assert.deepEqual(addMonths({ year: 2024, month: 12, day: 15 }, 6), { year: 2025, month: 6, day: 15 });
  assert.deepEqual(addMonths({ year: 2023, month: 8, day: 31 }, 6), { year: 2024, month: 2, day: 29 });
});
