import { PassThrough, type Readable } from 'node:stream';

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : String(v);
  // Quote when needed; neutralise cells that a spreadsheet would run as a formula.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * A CSV stream (UTF-8 with BOM so that Excel reads Chinese) fed by `produce`, which receives a `write`
 * that respects back-pressure. Errors end the stream with an error instead of a truncated file.
 */
export function csvStream(header: string[], produce: (write: (row: unknown[]) => Promise<void>) => Promise<void>): Readable {
  const out = new PassThrough();
  out.write(`\uFEFF${header.map(cell).join(',')}\r\n`);
  const write = (row: unknown[]) =>
    new Promise<void>((resolve) => {
      if (out.write(`${row.map(cell).join(',')}\r\n`)) resolve();
      else out.once('drain', resolve);
    });
  produce(write).then(
    () => out.end(),
    (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  return out;
}
