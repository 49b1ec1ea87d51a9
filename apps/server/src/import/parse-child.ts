/**
 * The import's parser process (started by parser.ts): reads the uploaded files sheet by sheet as they stream
 * (source.ts), parses and validates every row (stage.ts, in worker threads for large files: stage-pool.ts), and
 * sends the staging rows as COPY text to the server, which writes them into the staging tables. Nothing here touches
 * the database. A chunk is sent only when the server has room for it (WINDOW, acknowledged chunk by chunk).
 */
import type { SheetName } from '@tuopin/domain';
import { copyText } from './copy-text';
import { WINDOW, type FromChild, type ParseJob, type ToChild } from './parser';
import { CsvSyntaxError, uploadSheets, type FileProblem } from './source';
import { sheetRows, type RowProblem, type StageContext } from './stage';
import { OutOfMemory, StagePool } from './stage-pool';

if (!process.send) throw new Error('parse-child must run as a child process with an IPC channel');

let credit = WINDOW;
let wake: (() => void) | null = null;

const send = (m: FromChild) =>
  new Promise<void>((resolve, reject) => {
    process.send!(m, undefined, undefined, (e: Error | null) => (e ? reject(e) : resolve()));
  });

async function sendRows(text: string) {
  while (credit === 0) await new Promise<void>((r) => (wake = r));
  credit--;
  await send({ t: 'rows', text });
}

async function* inThread(batches: AsyncIterable<unknown[][]>): AsyncGenerator<string> {
  for await (const rows of batches) yield copyText(rows);
}

async function run(job: ParseJob): Promise<void> {
  const fileProblems: FileProblem[] = [];
  const ctx: StageContext = {
    importId: job.importId, referenceDate: job.referenceDate, problems: [], rowsRead: { households: 0, members: 0, income: 0 },
    villages: new Map(), years: new Map(), fileYear: null,
  };
  const kept: Record<SheetName, number> = { households: 0, members: 0, income: 0 };
  let errors = 0;
  let warnings = 0;
  /** Sends the problems found since the last call, at most maxProblems per sheet; counts all. */
  const flush = async () => {
    if (!ctx.problems.length) return;
    const out: RowProblem[] = [];
    for (const p of ctx.problems) {
      if (p.severity === 'error') errors++;
      else warnings++;
      if (kept[p.sheet]++ < job.maxProblems) out.push(p);
    }
    ctx.problems = [];
    if (out.length) await send({ t: 'problems', problems: out });
  };
  const pool = job.workers > 0 ? new StagePool(job.workers, job.workerMemoryMb) : null;
  try {
    for await (const src of uploadSheets(job.files, fileProblems)) {
      const streamed = 'index' in src;
      if (fileProblems.length) {
        // The file is refused anyway: a workbook's sheet is still read for its formulas, a CSV file not at all.
        if (streamed) for await (const _ of src.batches()) void _;
        continue;
      }
      await send({ t: 'sheet', sheet: src.sheet });
      for await (const text of pool ? pool.sheetText(src, ctx) : inThread(sheetRows(src, ctx))) {
        await flush();
        // From the first file-level problem (a formula further down) nothing more is worth staging.
        if (text && !fileProblems.length) await sendRows(text);
      }
      await flush();
      await send({ t: 'end' });
      if (src.sheet === 'households') pool?.setVillages(ctx);
    }
    await send({ t: 'done', fileProblems, rowsRead: ctx.rowsRead, errors, warnings, maxRssKb: process.resourceUsage().maxRSS });
  } catch (e) {
    if (e instanceof CsvSyntaxError) await send({ t: 'csv-syntax', record: e.record, problem: e.problem });
    else await send({ t: 'error', memory: e instanceof OutOfMemory, message: e instanceof Error ? e.stack ?? e.message : String(e) });
  } finally {
    await pool?.close();
  }
}

process.on('message', (m: ToChild) => {
  if (m.t === 'ack') {
    credit++;
    const w = wake;
    wake = null;
    w?.();
  } else if (m.t === 'start') {
    void run(m.job).then(
      () => process.exit(0),
      (e: unknown) => {
        console.error('[import parser]', e);
        process.exit(1);
      },
    );
  }
});
// The server went away: nothing to parse for.
process.on('disconnect', () => process.exit(0));
