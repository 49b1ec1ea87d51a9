/**
 * The import's parser process. Uploaded files are read, parsed and validated in a child process of their own
 * (parse-child.ts) with a bounded heap, so that a file that needs more memory than allowed (a runaway workbook, a
 * 10 MB cell) or that crashes the parser fails that one import — the API and the job queue in the server process
 * are not affected. The child streams each sheet's staging rows as COPY text, in chunks, with credit-based flow
 * control (at most WINDOW chunks on their way), so memory stays flat in the size of the file on both sides; the
 * problems it finds come with them, at most `maxProblems` per sheet (the totals are counted).
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { MessageRef, SheetName } from '@tuopin/domain';
import { CsvSyntaxError, type FileProblem, type UploadedFile } from './source';
import type { RowProblem } from './stage';

export interface ParseJob {
  files: UploadedFile[];
  importId: number;
  referenceDate: string;
  /** worker threads of the parser for large files (0: none) */
  workers: number;
  /** heap limit of each worker thread, MB */
  workerMemoryMb: number;
  /** problems kept per sheet (the rest are counted only) */
  maxProblems: number;
}

export type ToChild = { t: 'start'; job: ParseJob } | { t: 'ack' };
export type FromChild =
  | { t: 'sheet'; sheet: SheetName }
  | { t: 'rows'; text: string }
  | { t: 'end' }
  | { t: 'problems'; problems: RowProblem[] }
  | { t: 'done'; fileProblems: FileProblem[]; rowsRead: Record<SheetName, number>; errors: number; warnings: number; maxRssKb: number }
  | { t: 'csv-syntax'; record: number; problem: MessageRef }
  | { t: 'error'; memory: boolean; message: string };

/** Chunks of COPY text under way from the child at any time. */
export const WINDOW = 4;

/** What the parser found, once every sheet has been read. */
export interface ParseOutcome {
  fileProblems: FileProblem[];
  rowsRead: Record<SheetName, number>;
  /** row problems, at most maxProblems per sheet, in the order of the rows */
  problems: RowProblem[];
  errors: number;
  warnings: number;
  /** peak RSS of the parser process, kB */
  maxRssKb: number;
}

/** The parser ran out of memory or ended abnormally: the file is too large or malformed for this server. */
export class ParserFailed extends Error {
  constructor(readonly reason: 'memory' | 'crash' | 'internal', detail: string) {
    super(detail);
  }
}

export interface ParserOptions {
  /** heap limit of the parser process (V8 old generation), MB */
  memoryMb: number;
  /** directory for the parser's temporary files (ExcelJS parks worksheets there); removed by close() */
  tmpDir: string;
}

export class UploadParser {
  private readonly child: ChildProcess;
  private readonly queue: FromChild[] = [];
  private wake: (() => void) | null = null;
  private exited: string | null = null;
  private finished: ParseOutcome | null = null;

  constructor(job: ParseJob, private readonly opts: ParserOptions) {
    fs.mkdirSync(opts.tmpDir, { recursive: true });
    // From TypeScript sources the entry registers the loader first; built, the child is JS.
    const ts = import.meta.url.endsWith('.ts');
    const entry = new URL(ts ? './parse-child-entry.mjs' : './parse-child.js', import.meta.url);
    this.child = fork(entry, [], {
      execArgv: [`--max-old-space-size=${opts.memoryMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, TMPDIR: opts.tmpDir },
    });
    this.child.on('message', (m: FromChild) => {
      this.queue.push(m);
      this.notify();
    });
    // 'close', not 'exit': by then every message the child sent has been delivered.
    this.child.on('close', (code, signal) => {
      this.exited = signal ? `signal ${signal}` : `exit code ${code}`;
      this.notify();
    });
    this.child.on('error', (e) => {
      this.exited = e.message;
      this.notify();
    });
    this.child.send({ t: 'start', job } satisfies ToChild);
  }

  private notify() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async next(): Promise<FromChild> {
    for (;;) {
      const m = this.queue.shift();
      if (m) {
        if (m.t === 'rows' && this.child.connected) this.child.send({ t: 'ack' } satisfies ToChild);
        return m;
      }
      if (this.exited !== null) throw new ParserFailed('crash', `import parser ended before it finished (${this.exited})`);
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  /**
   * The sheets as the parser reads them, each with its COPY text; a sheet's chunks must be read to the end before
   * the next sheet is asked for. Throws CsvSyntaxError for a CSV file that breaks off, ParserFailed otherwise.
   */
  async *sheets(): AsyncGenerator<{ sheet: SheetName; chunks: AsyncIterable<string> }> {
    const problems: RowProblem[] = [];
    for (;;) {
      const m = await this.next();
      if (m.t === 'problems') for (const p of m.problems) problems.push(p);
      else if (m.t === 'sheet') yield { sheet: m.sheet, chunks: this.chunks(problems) };
      else if (m.t === 'done') {
        this.finished = { fileProblems: m.fileProblems, rowsRead: m.rowsRead, problems, errors: m.errors, warnings: m.warnings, maxRssKb: m.maxRssKb };
        return;
      } else this.fail(m);
    }
  }

  /** The COPY text of the sheet under way, up to its end; problems that come with it go into `problems`. */
  private async *chunks(problems: RowProblem[]): AsyncGenerator<string> {
    for (;;) {
      const c = await this.next();
      if (c.t === 'rows') yield c.text;
      else if (c.t === 'problems') for (const p of c.problems) problems.push(p);
      else if (c.t === 'end') return;
      else this.fail(c);
    }
  }

  private fail(m: FromChild): never {
    if (m.t === 'csv-syntax') throw new CsvSyntaxError(m.record, m.problem);
    if (m.t === 'error') throw new ParserFailed(m.memory ? 'memory' : 'internal', m.message);
    throw new ParserFailed('internal', `unexpected message ${m.t} from the import parser`);
  }

  /** What was found; only after sheets() has ended. */
  outcome(): ParseOutcome {
    if (!this.finished) throw new Error('the import parser has not finished');
    return this.finished;
  }

  /** Ends the child (if it still runs) and removes its temporary files. */
  async close(): Promise<void> {
    if (this.exited === null) {
      const gone = new Promise<void>((r) => this.child.once('close', () => r()));
      this.child.kill('SIGKILL');
      await gone;
    }
    await fs.promises.rm(this.opts.tmpDir, { recursive: true, force: true });
  }
}
