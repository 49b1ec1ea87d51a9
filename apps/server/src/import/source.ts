/**
 * Reading uploaded registry files: one XLSX workbook (sheets 户信息 / 成员信息 / 收入信息) or up to three CSV
 * files (UTF-8 or GB18030, as Excel saves them), each recognised by its header row. Bad files are described
 * in Chinese with their catalogue code (messages/import.ts, import.file.* and import.header.*); nothing here
 * touches the database.
 */
import fs from 'node:fs';
import type ExcelJS from 'exceljs';
import { matchHeaders, msg, SHEET_LABELS, SHEETS, zhText, type MessageArgs, type MessageCode, type ParamValue, type SheetName } from '@tuopin/domain';
import { csvBatches, CsvSyntaxError, type CsvRecord } from './csv';
import { isFormula, mergedCells, sheetNames, xlsxSheets, type XlsxRow } from './xlsx';
export { CsvSyntaxError };

export interface UploadedFile {
  name: string;
  path: string;
  bytes: number;
}

export interface SheetSource {
  sheet: SheetName;
  fileName: string;
  /** Column index in the row for each column of the sheet definition (-1: absent). */
  indexes: number[];
  /** The data rows (after the header), in batches; row numbers as the spreadsheet shows them. */
  batches: () => AsyncIterable<CsvRecord[]>;
}

export interface FileProblem {
  file: string;
  sheet?: string;
  row?: number;
  column?: string;
  /** Chinese text */
  message: string;
  /** its catalogue code and params */
  code: string;
  params: Readonly<Record<string, ParamValue>>;
}

/** A file problem at `at` (file, sheet, row, column), with the catalogue message's Chinese text, code and params. */
function fileProblem<C extends MessageCode>(at: Pick<FileProblem, 'file' | 'sheet' | 'row' | 'column'>, code: C, ...args: MessageArgs<C>): FileProblem {
  return { ...at, message: zhText(code, ...args), ...msg(code, ...args) };
}

/** A header problem of matchHeaders as a file problem. */
const headerProblem = (at: Pick<FileProblem, 'file' | 'sheet' | 'row'>, p: { problem: string; code: string; params: Readonly<Record<string, ParamValue>> }): FileProblem =>
  ({ ...at, message: p.problem, code: p.code, params: p.params });

export const MAX_XLSX_BYTES = 40 * 1024 * 1024;
const SHEET_ORDER: SheetName[] = ['households', 'members', 'income'];
const colName = (n: number): string => (n <= 26 ? String.fromCharCode(64 + n) : colName(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

async function head(path: string, n: number): Promise<Buffer> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function detectEncoding(prefix: Buffer): 'utf-8' | 'gb18030' | null {
  // Binary data: NUL bytes or many control characters are not a text spreadsheet.
  let control = 0;
  for (const byte of prefix) {
    if (byte === 0) return null;
    if (byte < 9 || (byte > 13 && byte < 32)) control++;
  }
  if (control > prefix.length / 100 + 2) return null;
  try {
    // Cut at the last line break so a multi-byte character split by the prefix does not fail the check.
    const cut = prefix.lastIndexOf(0x0a);
    new TextDecoder('utf-8', { fatal: true }).decode(cut > 0 ? prefix.subarray(0, cut) : prefix);
    return 'utf-8';
  } catch {
    try {
      new TextDecoder('gb18030', { fatal: true }).decode(prefix.subarray(0, Math.max(0, prefix.lastIndexOf(0x0a))));
      return 'gb18030';
    } catch {
      return null;
    }
  }
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return String(v.result ?? '');
    return '';
  }
  return String(v);
};

/** Which sheet a header row belongs to: the one whose required headers are all present, with the most matches. */
function sheetOfHeader(header: string[]): SheetName | null {
  let best: { sheet: SheetName; score: number } | null = null;
  for (const sheet of Object.keys(SHEETS) as SheetName[]) {
    const m = matchHeaders(sheet, header);
    if (m.problems.some((p) => p.code === 'import.header.missing')) continue;
    const score = m.indexes.filter((i) => i >= 0).length;
    if (!best || score > best.score) best = { sheet, score };
  }
  return best?.sheet ?? null;
}

/** The workbook's sheets as sources, streamed: each source's rows must be read before the next source is asked for. */
async function* xlsxSources(file: UploadedFile, problems: FileProblem[]): AsyncGenerator<SheetSource & { index: number }> {
  if (file.bytes > MAX_XLSX_BYTES) {
    problems.push(fileProblem({ file: file.name }, 'import.file.xlsxTooLarge', { mb: MAX_XLSX_BYTES / 1024 / 1024 }));
    return;
  }
  let isBroken = false;
  const broken = (e: unknown) => {
    if (!isBroken) console.error(`[import] ${file.name}: not a readable workbook: ${e instanceof Error ? e.message : String(e)}`);
    if (!isBroken) problems.push(fileProblem({ file: file.name }, 'import.file.brokenXlsx'));
    isBroken = true;
  };
  // Names of the data sheets: their merged cells are looked up once the workbook has been read.
  const dataSheets = new Map<string, SheetName>();
  try {
    for await (const ws of xlsxSheets(file.path)) {
      const rows = ws.rows[Symbol.asyncIterator]();
      const first = await rows.next();
      if (first.done) continue;
      const titleSheet = (Object.keys(SHEETS) as SheetName[]).find((s) => SHEETS[s].title === ws.name);
      const header = first.value.number === 1 ? first.value.values.map(cellText) : [];
      const sheet = titleSheet ?? sheetOfHeader(header);
      if (!sheet) {
        if (!['说明', '填写说明', '代码表'].includes(ws.name)) problems.push(fileProblem({ file: file.name, sheet: ws.name }, 'import.file.unknownSheet', { name: ws.name }));
        continue;
      }
      dataSheets.set(ws.name, sheet);
      const title = SHEETS[sheet].title;
      const m = matchHeaders(sheet, header);
      for (const p of m.problems) problems.push(headerProblem({ file: file.name, sheet: title, row: 1 }, p));
      let formulas = 0;
      const check = (r: XlsxRow) => {
        r.values.forEach((v, i) => {
          if (isFormula(v) && formulas++ < 20) {
            const address = `${colName(i + 1)}${r.number}`;
            problems.push(fileProblem({ file: file.name, sheet: title, row: r.number, column: address }, 'import.file.formula', { address }));
          }
        });
      };
      check(first.value);
      let used = false;
      yield {
        sheet, fileName: file.name, indexes: m.indexes, index: ws.index,
        batches: async function* () {
          if (used) throw new Error('a streamed worksheet can be read once');
          used = true;
          let batch: CsvRecord[] = [];
          const take = (r: XlsxRow) => {
            const cells = r.values.map(cellText);
            if (!cells.every((c) => c.trim() === '')) batch.push({ rowNo: r.number, cells });
          };
          if (first.value.number !== 1) take(first.value);
          for (;;) {
            let next: IteratorResult<XlsxRow>;
            try {
              next = await rows.next();
            } catch (e) {
              // broken further on: what was read is of no use, the file is refused
              broken(e);
              return;
            }
            if (next.done) break;
            check(next.value);
            take(next.value);
            if (batch.length === 1000) {
              yield batch;
              batch = [];
            }
          }
          if (batch.length) yield batch;
        },
      };
      if (isBroken) return;
    }
  } catch (e) {
    broken(e);
    return;
  }
  let merges: Map<string, string[]>;
  try {
    merges = await mergedCells(file.path);
  } catch (e) {
    broken(e);
    return;
  }
  for (const [name, ranges] of merges) {
    const sheet = dataSheets.get(name);
    if (!sheet) continue;
    for (const range of ranges) problems.push(fileProblem({ file: file.name, sheet: SHEETS[sheet].title }, 'import.file.mergedCells', { range }));
  }
}

async function readCsv(file: UploadedFile, problems: FileProblem[]): Promise<SheetSource[]> {
  const prefix = await head(file.path, 64 * 1024);
  const encoding = detectEncoding(prefix);
  if (!encoding) {
    problems.push(fileProblem({ file: file.name }, 'import.file.notSpreadsheet'));
    return [];
  }
  const open = () => {
    const decoder = new TextDecoder(encoding);
    return csvBatches(
      (async function* () {
        for await (const chunk of fs.createReadStream(file.path, { highWaterMark: 256 * 1024 })) yield decoder.decode(chunk as Buffer, { stream: true });
        yield decoder.decode();
      })(),
    );
  };
  let header: string[] | null = null;
  let headerRow = 1;
  try {
    for await (const batch of open()) {
      header = batch[0]?.cells ?? null;
      headerRow = batch[0]?.rowNo ?? 1;
      break;
    }
  } catch (e) {
    problems.push(e instanceof CsvSyntaxError
      ? fileProblem({ file: file.name }, e.record > 1 ? 'import.file.csvSyntax' : 'import.file.csvHeaderSyntax', { reason: e.problem })
      : fileProblem({ file: file.name }, 'import.file.csvHeaderUnreadable'));
    return [];
  }
  if (!header || header.every((h) => h.trim() === '')) {
    problems.push(fileProblem({ file: file.name }, 'import.file.empty'));
    return [];
  }
  const sheet = sheetOfHeader(header);
  if (!sheet) {
    problems.push(fileProblem({ file: file.name, row: 1 }, 'import.file.unknownHeader', { header: header.slice(0, 6).join('，') }));
    return [];
  }
  const m = matchHeaders(sheet, header);
  for (const p of m.problems) problems.push(headerProblem({ file: file.name, sheet: SHEETS[sheet].title, row: 1 }, p));
  return [
    {
      sheet, fileName: file.name, indexes: m.indexes,
      batches: async function* () {
        for await (const batch of open()) yield batch[0]!.rowNo <= headerRow ? batch.filter((r) => r.rowNo > headerRow) : batch;
      },
    },
  ];
}

/**
 * The sheets of the uploaded files, one after the other, as they stream: workbooks first (their sheets in the order
 * of the archive), then CSV files (households, members, income). Each source's rows must be read to the end, or
 * left, before the next source is asked for. File-level problems (headers, merged cells, formulas, a sheet given
 * twice …) go into `problems` as they are found — some only while or after a sheet's rows are read.
 */
export async function* uploadSheets(files: UploadedFile[], problems: FileProblem[]): AsyncGenerator<SheetSource> {
  const workbooks: UploadedFile[] = [];
  const csv: SheetSource[] = [];
  if (files.length === 0) problems.push(fileProblem({ file: '' }, 'import.file.none'));
  for (const f of files) {
    if (f.bytes === 0) {
      problems.push(fileProblem({ file: f.name }, 'import.file.empty'));
      continue;
    }
    const magic = await head(f.path, 8);
    if (magic.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) workbooks.push(f);
    else if (magic.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) problems.push(fileProblem({ file: f.name }, 'import.file.xls'));
    else csv.push(...(await readCsv(f, problems)));
  }
  const seen = new Map<SheetName, string>();
  const first = (s: SheetSource) => {
    if (seen.has(s.sheet)) {
      problems.push(fileProblem({ file: s.fileName }, 'import.file.sheetTwice', { sheet: SHEET_LABELS[s.sheet], other: seen.get(s.sheet)! }));
      return false;
    }
    seen.set(s.sheet, s.fileName);
    return true;
  };
  // CSV sheets given twice are known before anything is read.
  const csvFirst = csv.filter(first);
  // Households first: members and income take their villages and years from the households staged before them.
  for (const s of csvFirst) if (s.sheet === 'households') yield s;
  for (const f of workbooks) {
    // A workbook's sheets come in the archive's order. Members or income before a sheet 户信息 are checked for
    // problems as they come and read again for staging once the households have been (a second pass of the file).
    let names: string[] = [];
    try {
      names = await sheetNames(f.path);
    } catch {
      // a broken archive is reported by xlsxSources
    }
    const householdsLater = !seen.has('households') && names.includes(SHEETS.households.title);
    const deferred = new Set<number>();
    let householdsRead = false;
    for await (const s of xlsxSources(f, problems)) {
      if (!first(s)) continue;
      if (householdsLater && !householdsRead && s.sheet !== 'households') {
        for await (const _ of s.batches()) void _;
        deferred.add(s.index);
        continue;
      }
      if (s.sheet === 'households') householdsRead = true;
      yield s;
    }
    if (deferred.size) for await (const s of xlsxSources(f, [])) if (deferred.has(s.index)) yield s;
  }
  for (const sheet of SHEET_ORDER) for (const s of csvFirst) if (s.sheet === sheet && sheet !== 'households') yield s;
  if (problems.length === 0 && seen.size === 0) problems.push(fileProblem({ file: files[0]?.name ?? '' }, 'import.file.noSheets'));
}

/**
 * Opens every uploaded file; the result lists the sheets found and every file-level problem. For tools and tests:
 * the sources can be read again and in any order (a workbook is streamed once here for its problems, and again
 * for each sheet that is read).
 */
export async function openUpload(files: UploadedFile[]): Promise<{ sources: SheetSource[]; problems: FileProblem[] }> {
  const problems: FileProblem[] = [];
  const sources: SheetSource[] = [];
  for await (const s of uploadSheets(files, problems)) {
    const index = (s as { index?: number }).index;
    if (index === undefined) {
      sources.push(s);
      continue;
    }
    for await (const _ of s.batches()) void _;
    const file = files.find((f) => f.name === s.fileName)!;
    sources.push({
      ...s,
      batches: async function* () {
        const again: FileProblem[] = [];
        for await (const t of xlsxSources(file, again)) {
          if ((t as { index: number }).index !== index) continue;
          yield* t.batches();
          return;
        }
      },
    });
  }
  return { sources, problems };
}
