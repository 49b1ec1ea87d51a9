import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SHEETS } from '@tuopin/domain';
import { generateToCsv } from '../src/generate/index';
import { openUpload, type UploadedFile } from '../src/import/source';
import { sheetRows, type StageContext } from '../src/import/stage';
import { StagePool } from '../src/import/stage-pool';
import { copyText } from '../src/import/copy-text';
import { setup, type TestEnv } from './helpers';

const newContext = (): StageContext => ({
  importId: 7, referenceDate: '2026-06-30', problems: [], rowsRead: { households: 0, members: 0, income: 0 }, villages: new Map(), years: new Map(), fileYear: null,
});

/** Stages every sheet of the files, in this thread or through worker threads; returns the COPY text and the context. */
async function stage(files: UploadedFile[], pool: StagePool | null) {
  const { sources, problems } = await openUpload(files);
  assert.deepEqual(problems, []);
  const ctx = newContext();
  const text: Record<string, string> = {};
  for (const sheet of ['households', 'members', 'income'] as const) {
    const src = sources.find((s) => s.sheet === sheet)!;
    let t = '';
    if (pool) for await (const chunk of pool.sheetText(src, ctx)) t += chunk;
    else for await (const rows of sheetRows(src, ctx)) t += copyText(rows);
    text[sheet] = t;
    if (sheet === 'households') pool?.setVillages(ctx);
  }
  return { text, ctx };
}

describe('import validation in worker threads', () => {
  let env: TestEnv;
  let dir: string;
  before(async () => {
    env = await setup();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tuopin-workers-'));
  });
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await env.close();
  });

  test('workers stage exactly what the main thread stages: rows, problems, villages, counts', async () => {
    await generateToCsv(env.db, { region: '211204', persons: 6000, seed: 11, dir });
    // a few bad rows among the generated ones: a wrong ID checksum, a bad date, an unknown code
    const members = path.join(dir, 'members.csv');
    const lines = fs.readFileSync(members, 'utf8').split('\r\n');
    const bad = (i: number, from: RegExp, to: string) => {
      assert.match(lines[i]!, from);
      lines[i] = lines[i]!.replace(from, to);
    };
    bad(10, /,(\d{17})(\d|X),/, ',$1Y,');
    bad(1500, /,(\d{4})-(\d{2})-(\d{2}),/, ',$1-13-$3,');
    fs.writeFileSync(members, lines.join('\r\n'));
    const files = ['households.csv', 'members.csv', 'income.csv'].map((n) => ({ name: n, path: path.join(dir, n), bytes: fs.statSync(path.join(dir, n)).size }));

    const local = await stage(files, null);
    const pool = new StagePool(2);
    let parallel: Awaited<ReturnType<typeof stage>>;
    try {
      parallel = await stage(files, pool);
    } finally {
      await pool.close();
    }
    assert.ok(local.ctx.rowsRead.members > 5000);
    assert.ok(local.ctx.problems.some((p) => p.sheet === 'members' && p.row === 11), 'the bad ID number is reported');
    assert.ok(local.ctx.problems.some((p) => p.sheet === 'members' && p.row === 1501), 'the bad date is reported');
    assert.deepEqual(parallel.ctx.rowsRead, local.ctx.rowsRead);
    assert.deepEqual(parallel.ctx.problems, local.ctx.problems);
    assert.deepEqual([...parallel.ctx.villages], [...local.ctx.villages]);
    assert.deepEqual([...parallel.ctx.years], [...local.ctx.years]);
    assert.ok(local.ctx.years.size > 1000 && local.ctx.fileYear !== null);
    for (const sheet of ['households', 'members', 'income']) {
      assert.ok(local.text[sheet]!.length > 1000);
      assert.equal(parallel.text[sheet], local.text[sheet], sheet);
    }
  });

  test('a worker that fails makes the staging fail, not hang', async () => {
    const pool = new StagePool(1);
    try {
      const src = {
        sheet: 'members' as const, fileName: 'x.csv', indexes: SHEETS.members.columns.map((_, i) => i),
        batches: async function* () {
          yield [{ rowNo: 2, cells: null as unknown as string[] }];
        },
      };
      // a row without cells: parsing it throws inside the worker
      await assert.rejects(async () => {
        for await (const _ of pool.sheetText(src, newContext())) void _;
      }, /import worker/);
    } finally {
      await pool.close();
    }
  });
});
