/** XLSX files of the import: the template (with dropdowns) and the problem list. */
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { SHEETS, type SheetName } from '@tuopin/domain';

const colName = (n: number): string => (n <= 26 ? String.fromCharCode(64 + n) : colName(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

/** The import template: one sheet per table, Chinese headers with notes, dropdowns for every code column. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tuopin';
  const help = wb.addWorksheet('说明');
  help.columns = [{ width: 110 }];
  [
    '脱贫（Tuopin）建档立卡信息导入模板',
    '1. 户信息、成员信息、收入信息三个表按户编号关联；每户一行户信息，每人一行成员信息，每户每年一行收入信息。',
    '2. 第一行是表头，请勿修改、删除或合并；从第二行开始填写，不要使用公式和合并单元格。',
    '3. 带下拉框的列请从下拉框选择；是/否列填“是”或“否”；日期填 YYYY-MM-DD；金额单位为元。',
    '4. 证件号码填写18位身份证号（末位可为X）或20/22位残疾人证号；同一证件号码只能属于一户。',
    '5. 上传后系统先校验，列出每个错误所在的表、行和列；全部改正后才能导入。重复导入同一文件不会产生重复数据。',
  ].forEach((t, i) => {
    const r = help.addRow([t]);
    if (i === 0) r.font = { bold: true, size: 14 };
  });
  const codes = wb.addWorksheet('代码表', { state: 'veryHidden' });
  let codeCol = 0;
  for (const sheet of Object.keys(SHEETS) as SheetName[]) {
    const def = SHEETS[sheet];
    const ws = wb.addWorksheet(def.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = def.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(10, c.header.length * 2 + 2) }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6F4FF' } };
    def.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      const note = [c.required ? '必填' : null, c.hint ?? null, c.type === 'boolean' ? '填“是”或“否”' : null, c.type === 'date' ? '格式 YYYY-MM-DD' : null]
        .filter(Boolean)
        .join('；');
      if (note) cell.note = note;
      if (c.required) cell.font = { bold: true, color: { argb: 'FFCF1322' } };
      const col = colName(i + 1);
      if ((c.type === 'code' || c.type === 'boolean') && (c.table || c.type === 'boolean')) {
        const values = c.type === 'boolean' ? ['是', '否'] : c.table!.map((e) => e.zh);
        codeCol++;
        const cc = colName(codeCol);
        codes.getCell(`${cc}1`).value = c.header;
        values.forEach((v, k) => (codes.getCell(`${cc}${k + 2}`).value = v));
        (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${col}2:${col}20000`, {
          type: 'list', allowBlank: true, showErrorMessage: true, errorTitle: c.header, error: `请从下拉框中选择${c.header}`,
          formulae: [`代码表!$${cc}$2:$${cc}$${values.length + 1}`],
        });
      }
      if (c.type === 'text' && /号|编号|代码/.test(c.header)) ws.getColumn(i + 1).numFmt = '@';
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The problems of an import as XLSX: 表, 行, 列, 类型, 说明. */
export function problemsWorkbook(rows: AsyncIterable<{ sheet: string; row_no: number | null; column_name: string | null; severity: string; message: string }>): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet('导入问题');
  ws.columns = [
    { header: '表', key: 'sheet', width: 12 },
    { header: '行', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 22 },
    { header: '类型', key: 'severity', width: 8 },
    { header: '说明', key: 'message', width: 90 },
  ];
  const title = (s: string) => (s in SHEETS ? SHEETS[s as SheetName].title : s);
  (async () => {
    for await (const p of rows) {
      ws.addRow({ sheet: title(p.sheet), row: p.row_no, column: p.column_name, severity: p.severity === 'error' ? '错误' : '提示', message: p.message }).commit();
    }
    ws.commit();
    await wb.commit();
  })().catch((e: unknown) => out.destroy(e as Error));
  return out;
}

/** A CSV template of one sheet (header row only, UTF-8 with BOM). */
export function templateCsv(sheet: SheetName): string {
  return `\uFEFF${SHEETS[sheet].columns.map((c) => c.header).join(',')}\r\n`;
}
