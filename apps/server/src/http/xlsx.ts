import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { drained, ExportAbortedError } from './csv';

export interface XlsxColumn {
  header: string;
  /** Column width in characters */
  width: number;
}

/**
 * An XLSX stream (one worksheet, a bold frozen header row) fed by `produce`, written with exceljs's streaming
 * WorkbookWriter: every row is committed at once and not kept, strings are written inline (no shared-strings
 * table growing with the file), so memory stays flat however many rows there are.
 *
 * Back-pressure: `write` waits while the consumer (the HTTP response) has not taken what was written, checked
 * every `BATCH` rows. When the consumer goes away, the pending and every later `write` reject (ExportAbortedError), so that the producer
 * (typically a database transaction reading in batches) stops and rolls back instead of waiting forever.
 * Errors of `produce` end the stream with an error instead of a truncated file.
 */
export function xlsxStream(
  sheetName: string,
  columns: readonly XlsxColumn[],
  produce: (write: (row: unknown[]) => Promise<void>) => Promise<void>,
): Readable {
  const BATCH = 500;
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();

  const gone = () => out.destroyed || out.writableEnded;
  let count = 0;
  const write = async (row: unknown[]) => {
    if (gone()) throw new ExportAbortedError();
    ws.addRow(row).commit();
    if (++count % BATCH === 0) await drained(out);
  };
  produce(write)
    .then(async () => {
      ws.commit();
      await wb.commit();
    })
    .catch((e: unknown) => {
      if (!out.destroyed) out.destroy(e instanceof Error ? e : new Error(String(e)));
    });
  return out;
}
