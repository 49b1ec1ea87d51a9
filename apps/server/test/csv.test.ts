import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvBatches, CsvSyntaxError, type CsvRecord } from '../src/import/csv';

/** Feeds the text in chunks of `size` characters (splitting records, quotes and CRLFs anywhere). */
async function read(text: string, size = text.length || 1, batch = 1000): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  const chunks = (async function* () {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  })();
  for await (const b of csvBatches(chunks, batch)) out.push(...b);
  return out;
}

const SAMPLE = '\uFEFF户编号,姓名,备注\r\nH1,张三,"含,逗号"\r\nH2,"李""四""","两行\r\n文字"\r\n\r\n,,\r\nH3,王五,\r\n';
const EXPECTED: CsvRecord[] = [
  { rowNo: 1, cells: ['户编号', '姓名', '备注'] },
  { rowNo: 2, cells: ['H1', '张三', '含,逗号'] },
  { rowNo: 3, cells: ['H2', '李"四"', '两行\r\n文字'] },
  { rowNo: 6, cells: ['H3', '王五', ''] },
];

test('csv: quotes, doubled quotes, line breaks in cells, BOM, CRLF; blank rows skipped but counted', async () => {
  assert.deepEqual(await read(SAMPLE), EXPECTED);
});

test('csv: the same records whatever the chunk boundaries and batch size', async () => {
  for (const size of [1, 2, 3, 5, 7, 13]) assert.deepEqual(await read(SAMPLE, size, 2), EXPECTED, `chunk size ${size}`);
});

test('csv: LF line ends, no final line break, a quoted last cell', async () => {
  assert.deepEqual(await read('a,b\n1,"x"'), [{ rowNo: 1, cells: ['a', 'b'] }, { rowNo: 2, cells: ['1', 'x'] }]);
  assert.deepEqual(await read('a,b\r\n1,2'), [{ rowNo: 1, cells: ['a', 'b'] }, { rowNo: 2, cells: ['1', '2'] }]);
});

test('csv: an unclosed quote is a syntax error naming the row', async () => {
  await assert.rejects(read('a,b\n1,"never closed\n2,3\n'), (e: unknown) => e instanceof CsvSyntaxError && e.record === 2 && /第 2 行/.test(e.message));
});
