/**
 * A worker thread of the import's validation: stages the batches it is sent (parse, validate with the domain
 * rules, format as COPY text) with the same functions as the main thread (stage.ts), and sends each back.
 */
import { parentPort } from 'node:worker_threads';
import type { SheetName } from '@tuopin/domain';
import { copyText } from './copy-text';
import type { CsvRecord } from './csv';
import { batchStager, type BatchContext, type StagedBatch } from './stage';
import type { WorkerReply, WorkerRequest } from './stage-pool';

if (!parentPort) throw new Error('stage-worker must run in a worker thread');
const port = parentPort;
let villages = new Map<string, string>();
let years = new Map<string, number>();
let fileYear: number | null = null;
let stager: { sheet: SheetName; key: string; fn: (batch: CsvRecord[], ctx: BatchContext) => StagedBatch } | null = null;

port.on('message', (m: WorkerRequest) => {
  if (m.kind === 'villages') {
    villages = new Map(m.entries);
    years = new Map(m.years);
    fileYear = m.fileYear;
    return;
  }
  const key = `${m.sheet}:${m.indexes.join(',')}`;
  if (!stager || stager.key !== key) stager = { sheet: m.sheet, key, fn: batchStager(m.sheet, m.indexes) };
  try {
    const b = stager.fn(m.batch, { importId: m.importId, referenceDate: m.referenceDate, villages, years, fileYear });
    const reply: WorkerReply = { seq: m.seq, text: copyText(b.rows), problems: b.problems, villages: b.villages, years: b.years, read: m.batch.length };
    port.postMessage(reply);
  } catch (e) {
    const reply: WorkerReply = { seq: m.seq, error: e instanceof Error ? e.stack ?? e.message : String(e) };
    port.postMessage(reply);
  }
});
