/**
 * Reading an uploaded workbook as a stream: ExcelJS's streaming reader (ExcelJS.stream.xlsx.WorkbookReader) yields
 * one worksheet after the other and each row once, so memory does not grow with the number of rows (only the
 * workbook's shared strings are held, as the reader needs them to resolve cells). The archive's parts are fed to it
 * reordered so that the shared strings come before the worksheets (see reorderedArchive).
 *
 * ExcelJS's streaming reader skips merged cells, so they are found by a second, cheap pass over the archive
 * (`mergedCells`): the worksheet entries are inflated again and only their <mergeCells> section is read.
 */
import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';

export interface XlsxRow {
  /** Row number as the spreadsheet shows it. */
  number: number;
  /** Cell values by column, index 0 = column A. */
  values: ExcelJS.CellValue[];
}

export interface XlsxSheet {
  /** Position in the archive's order of worksheets (0-based). */
  index: number;
  name: string;
  /** The sheet's rows with any value, in order; must be read to the end (or left) before the next sheet comes. */
  rows: AsyncIterable<XlsxRow>;
}

interface StreamedWorksheet extends AsyncIterable<ExcelJS.Row> {
  name?: string;
}

/** A cell holding a formula (its cached result, if any, is what cellText shows). */
export const isFormula = (v: ExcelJS.CellValue): boolean => typeof v === 'object' && v !== null && !(v instanceof Date) && ('formula' in v || 'sharedFormula' in v);

/**
 * The workbook's archive as a stream with its parts reordered: relationships, workbook, shared strings and styles
 * before the worksheets (Excel and ExcelJS write the shared strings, and ExcelJS the workbook and styles, after
 * them). ExcelJS's streaming reader then parses every worksheet as it comes, with its styles (dates), instead of
 * parking worksheets in temporary files — a path that, when the disk is slow, loses the archive's later parts
 * ("Cannot read properties of undefined (reading 'sheets')"). Each part is copied as it is stored, from its local
 * header to the next part, so nothing is inflated here. Null when the archive's directory cannot be read (the
 * reader then gets the file as it is).
 */
async function reorderedArchive(path: string): Promise<Readable | null> {
  let parts: { name: string; start: number; end: number }[];
  let tail: { start: number; end: number };
  const fh = await fs.promises.open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const { entries, cdOffset } = await zipDirectory(fh, size);
    const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    parts = byOffset.map((e, i) => ({ name: e.name, start: e.localOffset, end: byOffset[i + 1]?.localOffset ?? cdOffset }));
    tail = { start: cdOffset, end: size };
    if (parts.some((p) => p.end < p.start || p.end > size)) return null;
  } catch {
    return null;
  } finally {
    await fh.close();
  }
  const rank = (name: string) =>
    ['_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'].indexOf(name) + 1 || (/^xl\/worksheets\/[^/]+\.xml$/.test(name) ? 7 : 6);
  const ordered = parts.map((p, i) => ({ ...p, i })).sort((a, b) => rank(a.name) - rank(b.name) || a.i - b.i);
  return Readable.from(
    (async function* () {
      for (const p of [...ordered, tail]) if (p.end > p.start) yield* fs.createReadStream(path, { start: p.start, end: p.end - 1, highWaterMark: 256 * 1024 });
    })(),
    { objectMode: false },
  );
}

/** The worksheets of a workbook file, streamed. Throws when the archive or its XML is broken. */
export async function* xlsxSheets(path: string): AsyncGenerator<XlsxSheet> {
  const input = (await reorderedArchive(path)) ?? path;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  // A workbook without shared strings (only numbers and inline text), relationships or workbook part would still be
  // parked or fail on the missing part: start from empty ones (the parts, when present, come first and replace them).
  Object.assign(reader as unknown as Record<string, unknown>, { sharedStrings: [], workbookRels: [], model: { sheets: [] }, properties: {} });
  let index = 0;
  for await (const ws of reader as unknown as AsyncIterable<StreamedWorksheet>) {
    const rows = (async function* () {
      for await (const row of ws) {
        if (!row.hasValues) continue;
        yield { number: row.number, values: ((row.values as ExcelJS.CellValue[]) ?? []).slice(1) };
      }
    })();
    yield { index: index++, name: (ws.name ?? '').trim(), rows };
    // Whatever the consumer left unread must still be parsed for the reader to reach the next worksheet.
    for await (const _ of rows) void _;
  }
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

/** The archive's central directory (enough of it to find and inflate entries; no zip64, which a 40 MB upload never needs). */
async function zipEntries(fh: fs.promises.FileHandle, size: number): Promise<ZipEntry[]> {
  return (await zipDirectory(fh, size)).entries;
}

async function zipDirectory(fh: fs.promises.FileHandle, size: number): Promise<{ entries: ZipEntry[]; cdOffset: number }> {
  const tailLength = Math.min(size, 65_557);
  const tail = Buffer.alloc(tailLength);
  await fh.read(tail, 0, tailLength, size - tailLength);
  let eocd = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (cdOffset + cdSize > size) throw new Error('central directory out of range');
  const cd = Buffer.alloc(cdSize);
  await fh.read(cd, 0, cdSize, cdOffset);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count && p + 46 <= cd.length && cd.readUInt32LE(p) === 0x02014b50; n++) {
    const nameLength = cd.readUInt16LE(p + 28);
    out.push({
      method: cd.readUInt16LE(p + 10), compressedSize: cd.readUInt32LE(p + 20), localOffset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + 46, p + 46 + nameLength),
    });
    p += 46 + nameLength + cd.readUInt16LE(p + 30) + cd.readUInt16LE(p + 32);
  }
  return { entries: out, cdOffset };
}

/** The inflated content of an entry, in chunks. */
async function* entryChunks(path: string, fh: fs.promises.FileHandle, e: ZipEntry): AsyncGenerator<Buffer> {
  const local = Buffer.alloc(30);
  await fh.read(local, 0, 30, e.localOffset);
  if (local.readUInt32LE(0) !== 0x04034b50) throw new Error(`bad local header of ${e.name}`);
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (e.compressedSize === 0) return;
  const raw = fs.createReadStream(path, { start, end: start + e.compressedSize - 1, highWaterMark: 256 * 1024 });
  if (e.method === 0) yield* raw as AsyncIterable<Buffer>;
  else if (e.method === 8) yield* raw.pipe(zlib.createInflateRaw()) as AsyncIterable<Buffer>;
  else throw new Error(`unsupported compression ${e.method} of ${e.name}`);
}

async function entryText(path: string, fh: fs.promises.FileHandle, e: ZipEntry | undefined): Promise<string> {
  if (!e) return '';
  const parts: Buffer[] = [];
  for await (const c of entryChunks(path, fh, e)) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

const xmlDecode = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&' : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)));

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? xmlDecode(m[1]!) : null;
};

const MAX_MERGE_SECTION = 4 * 1024 * 1024;

/** The worksheets listed in xl/workbook.xml, in the workbook's order, each with its archive entry. */
async function worksheetList(path: string, fh: fs.promises.FileHandle): Promise<{ name: string; entry: ZipEntry | undefined }[]> {
  const entries = await zipEntries(fh, (await fh.stat()).size);
  const byName = new Map(entries.map((e) => [e.name, e]));
  // sheet → entry, through the workbook's relationships
  const rels = new Map<string, string>();
  for (const tag of (await entryText(path, fh, byName.get('xl/_rels/workbook.xml.rels'))).match(/<(?:\w+:)?Relationship\b[^>]*>/g) ?? []) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id && target) rels.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const out: { name: string; entry: ZipEntry | undefined }[] = [];
  for (const tag of (await entryText(path, fh, byName.get('xl/workbook.xml'))).match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const name = attr(tag, 'name');
    const rid = /\s(?:\w+:)?id="([^"]*)"/.exec(tag)?.[1];
    if (name) out.push({ name: name.trim(), entry: rid ? byName.get(rels.get(rid) ?? '') : undefined });
  }
  return out;
}

/** The names of the workbook's sheets (read from the archive's directory and xl/workbook.xml only). */
export async function sheetNames(path: string): Promise<string[]> {
  const fh = await fs.promises.open(path, 'r');
  try {
    return (await worksheetList(path, fh)).map((s) => s.name);
  } finally {
    await fh.close();
  }
}

/** Merged ranges of every worksheet, by sheet name (as in xl/workbook.xml); at most `limit` per sheet. */
export async function mergedCells(path: string, limit = 20): Promise<Map<string, string[]>> {
  const fh = await fs.promises.open(path, 'r');
  try {
    const out = new Map<string, string[]>();
    for (const { name, entry } of await worksheetList(path, fh)) {
      if (!entry) continue;
      const ranges = await sheetMerges(path, fh, entry, limit);
      if (ranges.length) out.set(name, ranges);
    }
    return out;
  } finally {
    await fh.close();
  }
}

/** The <mergeCells> section of one worksheet: scanned for in the inflated bytes, only that section decoded. */
async function sheetMerges(path: string, fh: fs.promises.FileHandle, e: ZipEntry, limit: number): Promise<string[]> {
  const marker = Buffer.from('mergeCells');
  let carry: Buffer = Buffer.alloc(0);
  let section: Buffer[] | null = null;
  let sectionBytes = 0;
  for await (const chunk of entryChunks(path, fh, e)) {
    if (section) {
      section.push(chunk);
      sectionBytes += chunk.length;
      if (sectionBytes > MAX_MERGE_SECTION || chunk.includes('/mergeCells>') || chunk.includes('</worksheet')) break;
      continue;
    }
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const at = buf.indexOf(marker);
    if (at >= 0) {
      section = [buf.subarray(at)];
      sectionBytes = buf.length - at;
      if (buf.includes('/mergeCells>', at)) break;
    } else carry = buf.subarray(Math.max(0, buf.length - marker.length));
  }
  if (!section) return [];
  const text = Buffer.concat(section).toString('utf8');
  const ranges: string[] = [];
  for (const m of text.matchAll(/<(?:\w+:)?mergeCell\b[^>]*?\sref="([^"]+)"/g)) {
    ranges.push(m[1]!);
    if (ranges.length >= limit) break;
  }
  return ranges;
}
