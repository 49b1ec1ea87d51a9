import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ancestorCodes, codeFromPrefix, countyCode, isRegionCode, isWithinRegion, NATION_CODE, normalizeRegionCode, parentRegionCode,
  regionLevel, regionPrefix, scopeSetting,
} from '../src/index';

test('levels are derived from trailing zero groups', () => {
  assert.equal(regionLevel(NATION_CODE), 0);
  assert.equal(regionLevel('210000000000'), 1);
  assert.equal(regionLevel('211200000000'), 2);
  assert.equal(regionLevel('211204000000'), 3);
  assert.equal(regionLevel('211204101000'), 4);
  assert.equal(regionLevel('211204101200'), 5);
  assert.throws(() => regionLevel('2112'), /invalid region code/);
});

test('prefixes and scope settings', () => {
  assert.equal(regionPrefix('211204101000'), '211204101');
  assert.equal(regionPrefix('211204000000'), '211204');
  assert.equal(scopeSetting(NATION_CODE), 'ALL');
  assert.equal(scopeSetting('210000000000'), '21');
  assert.equal(codeFromPrefix('211204101'), '211204101000');
});

test('parents and ancestors', () => {
  assert.equal(parentRegionCode('211204101200'), '211204101000');
  assert.equal(parentRegionCode('211204101000'), '211204000000');
  assert.equal(parentRegionCode('210000000000'), NATION_CODE);
  assert.equal(parentRegionCode(NATION_CODE), null);
  assert.deepEqual(ancestorCodes('211204101200'), [NATION_CODE, '210000000000', '211200000000', '211204000000', '211204101000']);
});

test('containment', () => {
  assert.ok(isWithinRegion('211204101200', '211204000000'));
  assert.ok(isWithinRegion('211204000000', '211204000000'));
  assert.ok(!isWithinRegion('211404205000', '211204000000'));
  assert.ok(isWithinRegion('430000000000', NATION_CODE));
});

test('normalisation and county code', () => {
  assert.equal(normalizeRegionCode('211204'), '211204000000');
  assert.equal(normalizeRegionCode(' 211204101 '), '211204101000');
  assert.equal(normalizeRegionCode('21120'), null);
  assert.equal(normalizeRegionCode('abc'), null);
  assert.ok(isRegionCode('211204101200'));
  assert.ok(!isRegionCode('21120410120'));
  assert.equal(countyCode('211204101200'), '211204');
  assert.equal(countyCode('211200000000'), null);
});
