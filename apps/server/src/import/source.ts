/**
 * Reading uploaded registry files: one XLSX workbook (sheets 户信息 / 成员信息 / 收入信息) or up to three CSV
 * files (UTF-8 or GB18030, as Excel saves them), each recognised by its header row. Bad files are described
 * in Chinese; nothing here touches the database.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { matchHeaders, SHEETS, type SheetName } from '@tuopin/domain';
import { csvBatches, CsvSyntaxError, type CsvRecord } from './csv';
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
  message: string;
}

export const MAX_XLSX_BYTES = 40 * 1024 * 1024;

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
    if (m.problems.some((p) => p.startsWith('缺少必填列'))) continue;
    const score = m.indexes.filter((i) => i >= 0).length;
    if (!best || score > best.score) best = { sheet, score };
  }
  return best?.sheet ?? null;
}

async function readXlsx(file: UploadedFile, problems: FileProblem[]): Promise<SheetSource[]> {
  if (file.bytes > MAX_XLSX_BYTES) {
    problems.push({ file: file.name, message: `XLSX 文件超过 ${MAX_XLSX_BYTES / 1024 / 1024} MB，请拆分或改用 CSV` });
    return [];
  }
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file.path);
  } catch {
    problems.push({ file: file.name, message: '文件已损坏或不是有效的 XLSX 电子表格' });
    return [];
  }
  const out: SheetSource[] = [];
  for (const ws of wb.worksheets) {
    const titleSheet = (Object.keys(SHEETS) as SheetName[]).find((s) => SHEETS[s].title === ws.name.trim());
    if (ws.actualRowCount === 0) continue;
    const header = ((ws.getRow(1).values as ExcelJS.CellValue[]) ?? []).slice(1).map(cellText);
    const sheet = titleSheet ?? sheetOfHeader(header);
    if (!sheet) {
      if (!['说明', '填写说明', '代码表'].includes(ws.name.trim())) problems.push({ file: file.name, sheet: ws.name, message: `工作表“${ws.name}”不是模板中的表（应为 户信息、成员信息 或 收入信息）` });
      continue;
    }
    const m = matchHeaders(sheet, header);
    for (const p of m.problems) problems.push({ file: file.name, sheet: SHEETS[sheet].title, row: 1, message: p });
    const merges = (ws.model as { merges?: string[] }).merges ?? [];
    for (const range of merges) problems.push({ file: file.name, sheet: SHEETS[sheet].title, message: `含有合并单元格 ${range}，请取消合并后每个单元格单独填写` });
    let formulas = 0;
    ws.eachRow((row, rowNo) => {
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula && formulas++ < 20) {
          problems.push({ file: file.name, sheet: SHEETS[sheet].title, row: rowNo, column: String(cell.address), message: `单元格 ${cell.address} 含有公式，请粘贴为数值` });
        }
      });
    });
    out.push({
      sheet, fileName: file.name, indexes: m.indexes,
      batches: async function* () {
        const last = ws.actualRowCount > 0 ? ws.rowCount : 0;
        let batch: CsvRecord[] = [];
        for (let r = 2; r <= last; r++) {
          const row = ws.getRow(r);
          if (!row.hasValues) continue;
          const cells = ((row.values as ExcelJS.CellValue[]) ?? []).slice(1).map(cellText);
          if (cells.every((c) => c.trim() === '')) continue;
          batch.push({ rowNo: r, cells });
          if (batch.length === 1000) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
      },
    });
  }
  return out;
}

async function readCsv(file: UploadedFile, problems: FileProblem[]): Promise<SheetSource[]> {
  const prefix = await head(file.path, 64 * 1024);
  const encoding = detectEncoding(prefix);
  if (!encoding) {
    problems.push({ file: file.name, message: '不是电子表格文件（应为模板格式的 .xlsx，或 UTF-8/GBK 编码的 .csv）' });
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
    const what = e instanceof CsvSyntaxError ? (e.record > 1 ? `：${e.message}` : `，无法读取表头：${e.message}`) : '，无法读取表头';
    problems.push({ file: file.name, message: `CSV 文件格式错误${what}` });
    return [];
  }
  if (!header || header.every((h) => h.trim() === '')) {
    problems.push({ file: file.name, message: '文件是空的' });
    return [];
  }
  const sheet = sheetOfHeader(header);
  if (!sheet) {
    problems.push({ file: file.name, row: 1, message: `表头不符合模板：无法识别为户信息、成员信息或收入信息（第一行为：${header.slice(0, 6).join('，')}…）` });
    return [];
  }
  const m = matchHeaders(sheet, header);
  for (const p of m.problems) problems.push({ file: file.name, sheet: SHEETS[sheet].title, row: 1, message: p });
  return [
    {
      sheet, fileName: file.name, indexes: m.indexes,
      batches: async function* () {
        for await (const batch of open()) yield batch[0]!.rowNo <= headerRow ? batch.filter((r) => r.rowNo > headerRow) : batch;
      },
    },
  ];
}

/** Opens every uploaded file; the result lists the sheets found and every file-level problem. */
export async function openUpload(files: UploadedFile[]): Promise<{ sources: SheetSource[]; problems: FileProblem[] }> {
  const problems: FileProblem[] = [];
  const sources: SheetSource[] = [];
  if (files.length === 0) problems.push({ file: '', message: '没有上传文件' });
  for (const f of files) {
    if (f.bytes === 0) {
      problems.push({ file: f.name, message: '文件是空的' });
      continue;
    }
    const magic = await head(f.path, 8);
    if (magic.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) sources.push(...(await readXlsx(f, problems)));
    else if (magic.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) problems.push({ file: f.name, message: '不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传' });
    else sources.push(...(await readCsv(f, problems)));
  }
  const seen = new Map<SheetName, string>();
  for (const s of sources) {
    if (seen.has(s.sheet)) problems.push({ file: s.fileName, message: `“${SHEETS[s.sheet].title}”出现了两次（另一份在 ${seen.get(s.sheet)}）` });
    seen.set(s.sheet, s.fileName);
  }
  if (problems.length === 0 && sources.length === 0) problems.push({ file: files[0]?.name ?? '', message: '文件中没有可导入的工作表' });
  return { sources, problems };
}
