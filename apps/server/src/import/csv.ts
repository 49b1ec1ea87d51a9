/**
 * A streaming CSV reader for the import (RFC 4180 as Excel writes it): comma-separated, fields optionally quoted
 * with `"`, quotes doubled inside quoted fields, line breaks inside quoted fields, CRLF or LF, an optional BOM.
 * Lines without a quote take a fast path (one split per line), which is what generated and most saved files are.
 * Records whose cells are all blank are skipped, as Excel leaves such rows behind. Records come in batches to keep
 * the per-row cost of async iteration off the hot path.
 */
import { renderMessage, msg, type MessageRef } from '@tuopin/domain';

/** A CSV file that breaks off; `problem` is the catalogue message (import.csv.*), the error's message its Chinese text. */
export class CsvSyntaxError extends Error {
  constructor(readonly record: number, readonly problem: MessageRef) {
    super(renderMessage(problem, 'zh') ?? problem.code);
  }
}

const QUOTE = 34;
const MAX_RECORD_CHARS = 4_000_000;

/** Parses one quoted-or-mixed record starting at `pos`; returns null when the buffer ends inside a quoted field. */
function parseSlow(buf: string, pos: number, eof: boolean, record: number): { fields: string[]; next: number } | null {
  const fields: string[] = [];
  let field = '';
  let i = pos;
  const n = buf.length;
  for (;;) {
    if (i < n && buf.charCodeAt(i) === QUOTE) {
      // Quoted field: up to the closing quote, doubled quotes are one quote.
      i++;
      for (;;) {
        const q = buf.indexOf('"', i);
        if (q < 0) {
          if (eof) throw new CsvSyntaxError(record, msg('import.csv.unclosedQuote', { row: record }));
          return null;
        }
        field += buf.slice(i, q);
        if (q + 1 < n && buf.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
          continue;
        }
        if (q + 1 >= n && !eof) return null;
        i = q + 1;
        break;
      }
      // Text after the closing quote up to the separator is kept (Excel is lenient the same way).
      while (i < n) {
        const c = buf[i]!;
        if (c === ',' || c === '\n' || c === '\r') break;
        field += c;
        i++;
      }
    } else {
      let j = i;
      while (j < n) {
        const c = buf.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13) break;
        j++;
      }
      field += buf.slice(i, j);
      i = j;
    }
    if (i >= n) {
      if (!eof) return null;
      fields.push(field);
      return { fields, next: n };
    }
    const c = buf[i];
    if (c === ',') {
      fields.push(field);
      field = '';
      i++;
      continue;
    }
    // End of record: \n, \r\n or \r.
    fields.push(field);
    if (c === '\r' && i + 1 >= n && !eof) return null;
    i += c === '\r' && buf[i + 1] === '\n' ? 2 : 1;
    return { fields, next: i };
  }
}

const blank = (fields: string[]) => {
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
};

export interface CsvRecord {
  /** 1-based record number: the row number Excel shows (the header is row 1). */
  rowNo: number;
  cells: string[];
}

/** Yields batches of records from decoded text chunks; records whose cells are all blank are left out. */
export async function* csvBatches(chunks: AsyncIterable<string>, batchSize = 1000): AsyncGenerator<CsvRecord[]> {
  let buf = '';
  let started = false;
  let record = 0;
  let batch: CsvRecord[] = [];
  const take = (fields: string[]) => {
    record++;
    if (!blank(fields)) batch.push({ rowNo: record, cells: fields });
  };
  const drain = (eof: boolean) => {
    let pos = 0;
    const n = buf.length;
    // Positions of the next quote and carriage return, searched again only once passed (no quadratic scans).
    let quote = -2;
    let cr = -2;
    while (pos < n) {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0 && !eof) break;
      const end = nl < 0 ? n : nl;
      if (quote !== -1 && quote < pos) quote = buf.indexOf('"', pos);
      if (cr !== -1 && cr < pos) cr = buf.indexOf('\r', pos);
      const plain = (quote < 0 || quote > end) && (cr < 0 || cr >= end - 1 || cr > end);
      if (plain) {
        const line = cr === end - 1 ? buf.slice(pos, end - 1) : buf.slice(pos, end);
        if (line !== '') take(line.split(','));
        else record++;
        pos = end + 1;
        continue;
      }
      const r = parseSlow(buf, pos, eof, record + 1);
      if (!r) {
        if (n - pos > MAX_RECORD_CHARS) throw new CsvSyntaxError(record + 1, msg('import.csv.unclosedOrLong', { row: record + 1, million: MAX_RECORD_CHARS / 1_000_000 }));
        break;
      }
      take(r.fields);
      pos = r.next;
    }
    buf = pos >= n ? '' : buf.slice(pos);
  };
  for await (const chunk of chunks) {
    buf += chunk;
    if (!started && buf.length > 0) {
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
      started = true;
    }
    drain(false);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  drain(true);
  if (batch.length) yield batch;
}
