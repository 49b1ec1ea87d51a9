import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeRange } from '../src/repositories/registry.repository';

test('a region prefix as a range of codes: every code with the prefix is inside, no other', () => {
  assert.deepEqual(codeRange(''), [null, null]);
  assert.deepEqual(codeRange('21'), ['21', '22']);
  assert.deepEqual(codeRange('211204'), ['211204', '211205']);
  assert.deepEqual(codeRange('2199'), ['2199', '22']);
  assert.deepEqual(codeRange('99'), ['99', null]);
  assert.throws(() => codeRange("21' or 1=1"));
  const inRange = (code: string, p: string) => {
    const [lo, hi] = codeRange(p);
    return (lo === null || code >= lo) && (hi === null || code < hi);
  };
  for (const p of ['', '2', '21', '2112', '211204', '211204101', '219999', '9']) {
    for (const code of ['211204101200', '211299999999', '212000000000', '219999999999', '220000000000', '999999999999', '100000000000']) {
      assert.equal(inRange(code, p), code.startsWith(p), `${code} in ${p || '(all)'}`);
    }
  }
});
