/**
 * The generator's own files must pass import validation, so no two generated persons may share an ID number: not
 * natives of one county, not people born in another county of the run (in-movers) and that county's natives.
 * And a file generated for import into an installation must not hold ID numbers its registry already has (the demo
 * data's, for one), or the import's validation refuses those rows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseIdNumber } from '@tuopin/domain';
import { generateToCsv, loadDemoData } from '../src/generate/index';
import { IdAllocator } from '../src/generate/model';
import { setup, type TestEnv } from './helpers';

const YEAR = 2026; // a fixed reference year: the test is about uniqueness, and a fixed year keeps the run reproducible

/** The ID-number column of a generated members.csv, without parsing the rest (no quotes in these cells). */
function idNumbersOf(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  const header = lines[0]!.split(',');
  const col = header.findIndex((h) => h.includes('证件号码'));
  assert.ok(col >= 0, `no ID-number column in ${header.join(',')}`);
  return lines.slice(1).map((l) => l.split(',')[col]!.replace(/^"|"$/g, '').replace(/^'/, ''));
}

function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

describe('generate: unique ID numbers', () => {
  let env: TestEnv;
  let dir: string;
  before(async () => {
    env = await setup();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-gen-ids-'));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await env.close();
  });

  test('a province file of 150,000 persons has no ID number twice', { timeout: 300_000 }, async () => {
    for (const seed of [1, 2]) {
      const out = path.join(dir, `s${seed}`);
      const r = await generateToCsv(env.db, { region: '21', persons: 150_000, seed, year: YEAR, dir: out });
      const ids = idNumbersOf(path.join(out, 'members.csv'));
      assert.equal(ids.length, r.persons);
      assert.deepEqual(duplicates(ids).slice(0, 10), [], `seed ${seed}: duplicated ID numbers`);
      assert.ok(ids.every((id) => parseIdNumber(id).ok), `seed ${seed}: every ID number valid`);
    }
  });

  test('a file generated where the demo registry is loaded holds none of its ID numbers (it would fail import validation)', { timeout: 300_000 }, async () => {
    // the province file covers 清河区, whose demo households hold numbers the file's allocator counted from the start
    assert.ok(await loadDemoData(env.db, { year: YEAR }));
    const registered = new Set((await env.db.pool.query<{ id: string }>('select id_number as id from persons')).rows.map((r) => r.id));
    const out = path.join(dir, 'after-demo');
    await generateToCsv(env.db, { region: '21', persons: 150_000, seed: 3, year: YEAR, dir: out });
    const ids = idNumbersOf(path.join(out, 'members.csv'));
    assert.deepEqual(duplicates(ids).slice(0, 10), []);
    assert.deepEqual(ids.filter((id) => registered.has(id)).slice(0, 10), [], 'ID numbers already registered');
  });

  test('the allocator never gives one number twice, whatever the order of counties and kinds of people', () => {
    const ids = new IdAllocator();
    const got: string[] = [];
    // natives of A, in-movers born in B living in A, then B's natives, then A again (villages of a county need not be
    // generated in one stretch), all on one birth day until the day is full
    for (const [prefix, native, county] of [['211202', true, '211202'], ['211204', false, '211202'], ['211204', true, '211204'], ['211202', true, '211202'], ['211204', false, '211204']] as const) {
      for (let i = 0; i < 1000; i++) {
        const id = ids.allocate(prefix, '19800101', i % 2 === 0, native, county);
        if (id === null) break;
        got.push(id);
      }
    }
    assert.deepEqual(duplicates(got), []);
    // 211202: its natives' 800 numbers of the day (000–799); 211204: its natives' 800 and its in-movers' 200 (800–999)
    assert.equal(got.length, 1800);
    assert.equal(got.filter((id) => id.startsWith('211204') && Number(id.slice(14, 17)) >= 800).length, 200);
  });
});
