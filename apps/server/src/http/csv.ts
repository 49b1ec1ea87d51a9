import { PassThrough, type Readable } from 'node:stream';

/** A text that Excel and WPS would read as a number when it stands bare in a CSV cell. */
const NUMBER_LIKE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?$/;

/**
 * One CSV cell. Text stays text in a spreadsheet:
 * - a text that looks like a number (ID numbers, village codes, phone numbers, household numbers with leading
 *   zeros) is written as the formula ="…": Excel and WPS open it as the text itself — an 18-digit ID number would
 *   otherwise become 2.11204E+17 and lose its last digits, a 12-digit village code 2.11204E+11, 0012 would lose its
 *   zeros — and the cell holds only the digits (no invisible leading tab or apostrophe to carry into other systems);
 * - any other text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
 * Numbers (JS numbers) stay numbers.
 */
export const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  const safe = typeof v === 'string' && NUMBER_LIKE.test(s) ? `="${s}"` : /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const cell = csvCell;

/** Raised into the producer when the consumer of an export went away (the browser closed the download). */
export class ExportAbortedError extends Error {
  constructor() {
    super('export stream closed by the client');
    this.name = 'ExportAbortedError';
  }
}

/**
 * A CSV stream (UTF-8 with BOM so that Excel reads Chinese) fed by `produce`, which receives a `write`
 * that respects back-pressure. Errors end the stream with an error instead of a truncated file.
 *
 * When the consumer goes away (the HTTP response closes and Fastify destroys the stream), the pending and every later
 * `write` reject with ExportAbortedError, so that the producer — typically a scoped database transaction reading in
 * keyset batches — stops and rolls back instead of waiting forever for a 'drain' that never comes.
 */
/**
 * Resolves when the stream can take more (at once if it can), rejects with ExportAbortedError when its reader has
 * gone: the one wait of both export streams.
 */
export function drained(out: PassThrough): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (out.destroyed || out.writableEnded) return reject(new ExportAbortedError());
    if (!out.writableNeedDrain) return resolve();
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      if (out.destroyed) reject(new ExportAbortedError());
      else resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

export function csvStream(header: string[], produce: (write: (row: unknown[]) => Promise<void>) => Promise<void>): Readable {
  const out = new PassThrough();
  out.write(`\uFEFF${header.map(cell).join(',')}\r\n`);
  const gone = () => out.destroyed || out.writableEnded;
  const write = async (row: unknown[]) => {
    if (gone()) throw new ExportAbortedError();
    if (!out.write(`${row.map(cell).join(',')}\r\n`)) await drained(out);
  };
  produce(write).then(
    () => {
      if (!gone()) out.end();
    },
    (e: unknown) => {
      if (!out.destroyed) out.destroy(e instanceof Error ? e : new Error(String(e)));
    },
  );
  return out;
}
