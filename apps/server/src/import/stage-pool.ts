/**
 * Validation of large files in worker threads. The main thread reads the file (CSV or XLSX rows in batches) and
 * hands each batch to a worker, which parses, validates and formats it with the same functions as the main thread
 * (stage.ts); the COPY text comes back in file order, and problems, villages and counts are gathered as if the
 * batches had been staged here. Parsing and validating take ~50 µs per person on one core, while PostgreSQL is
 * mostly idle during staging, so the other cores shorten the dry run of a large file.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SheetName } from '@tuopin/domain';
import type { CsvRecord } from './csv';
import type { SheetSource } from './source';
import { absorb, type RowProblem, type StageContext } from './stage';

export type WorkerRequest =
  | { kind: 'villages'; entries: [string, string][]; years: [string, number][]; fileYear: number | null }
  | { kind: 'batch'; seq: number; sheet: SheetName; indexes: number[]; batch: CsvRecord[]; importId: number; referenceDate: string };

interface Staged {
  seq: number;
  text: string;
  problems: RowProblem[];
  villages: [string, string][];
  years: [string, number][];
  read: number;
}
export type WorkerReply = Staged | { seq: number; error: string };

/**
 * Uploads from this size on (about 150,000 persons) are validated in worker threads. Below it, starting the workers
 * (~1.3 s: each loads the domain package) costs about what they save, and each holds its own copy of the households'
 * villages: measured at 1,000,000 persons, staging 65.8 s → 48.6 s for 0.5 GB more peak memory; at 100,000 no gain.
 */
export const PARALLEL_FROM_BYTES = 64 * 1024 * 1024;

/** Workers for a validation: one per core, at most four; none on a single core. */
export function stageWorkerCount(): number {
  const cores = os.availableParallelism();
  return cores > 1 ? Math.min(4, cores) : 0;
}

/** A worker thread reached its heap limit (resourceLimits): the file needs more memory than an import may take. */
export class OutOfMemory extends Error {}

export class StagePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, { resolve: (r: Staged) => void; reject: (e: Error) => void }>();
  private seq = 0;

  /** `memoryMb`: heap limit of each worker (V8 old generation); a worker that reaches it fails the staging with OutOfMemory. */
  constructor(size: number, memoryMb?: number) {
    // From TypeScript sources the entry registers the loader first (workers do not inherit it); built, the worker is JS.
    const url = import.meta.url.endsWith('.ts') ? new URL('./stage-worker-entry.mjs', import.meta.url) : new URL('./stage-worker.js', import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(url, memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: memoryMb } } : {});
      w.on('message', (r: WorkerReply) => {
        const p = this.pending.get(r.seq);
        if (!p) return;
        this.pending.delete(r.seq);
        if ('error' in r) p.reject(new Error(`import worker: ${r.error}`));
        else p.resolve(r);
      });
      w.on('error', (e: Error & { code?: string }) =>
        this.failAll(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new OutOfMemory(`import worker: ${e.message}`) : new Error(`import worker: ${e.message}`)),
      );
      w.on('exit', (code) => code !== 0 && this.failAll(new Error(`import worker exited with code ${code}`)));
      return w;
    });
  }

  private failAll(e: Error) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** The households' villages and years (ctx after the households), for the members and income staged next. */
  setVillages(ctx: Pick<StageContext, 'villages' | 'years' | 'fileYear'>): void {
    const entries = [...ctx.villages];
    const years = [...ctx.years];
    for (const w of this.workers) w.postMessage({ kind: 'villages', entries, years, fileYear: ctx.fileYear } satisfies WorkerRequest);
  }

  private submit(req: Omit<Extract<WorkerRequest, { kind: 'batch' }>, 'seq' | 'kind'>): Promise<Staged> {
    const seq = ++this.seq;
    const p = new Promise<Staged>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    p.catch(() => undefined); // awaited in order later; a failure must not surface as unhandled meanwhile
    this.workers[seq % this.workers.length]!.postMessage({ kind: 'batch', seq, ...req } satisfies WorkerRequest);
    return p;
  }

  /** COPY text of a sheet, staged by the workers, in file order; problems, villages and counts go into ctx. */
  async *sheetText(src: SheetSource, ctx: StageContext): AsyncGenerator<string> {
    const inflight: Promise<Staged>[] = [];
    const limit = this.workers.length * 3;
    const take = async () => {
      const r = await inflight.shift()!;
      absorb(ctx, src.sheet, r.read, r);
      return r.text;
    };
    for await (const batch of src.batches()) {
      inflight.push(this.submit({ sheet: src.sheet, indexes: src.indexes, batch, importId: ctx.importId, referenceDate: ctx.referenceDate }));
      if (inflight.length >= limit) yield await take();
    }
    while (inflight.length) yield await take();
  }

  async close(): Promise<void> {
    this.failAll(new Error('import workers closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
