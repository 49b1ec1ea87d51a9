/**
 * Reads a CSV file the way Excel and WPS do when it is opened by double-click: fields split by RFC 4180, then
 * each field typed as the spreadsheet types it — a bare number-like field becomes a number kept to 15
 * significant digits (an 18-digit ID number turns into 2.11204E+17 and loses its last digits), a formula made of
 * one string literal (="…") becomes that text, anything else stays text.
 */
export type SheetValue = { kind: 'empty' } | { kind: 'number'; value: number } | { kind: 'text'; value: string } | { kind: 'formula'; value: string };

/** RFC 4180 fields of a CSV text (BOM dropped, CRLF or LF line ends, quotes doubled inside quoted fields). */
export function parseCsv(text: string): string[][] {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d*)?([eE][+-]?\d+)?%?$/;

/** How a spreadsheet types one CSV field. */
export function spreadsheetValue(field: string): SheetValue {
  if (field === '') return { kind: 'empty' };
  const literal = /^="((?:[^"]|"")*)"$/.exec(field);
  if (literal) return { kind: 'text', value: literal[1]!.replace(/""/g, '"') };
  if (field.startsWith('=')) return { kind: 'formula', value: field };
  if (NUMBER.test(field) && /\d/.test(field)) {
    const n = Number(field.replace(/,/g, '').replace(/%$/, '')) / (field.endsWith('%') ? 100 : 1);
    return { kind: 'number', value: Number(n.toPrecision(15)) };
  }
  return { kind: 'text', value: field };
}

/** The file as a spreadsheet shows it: header row and rows of typed values. */
export function openCsv(text: string): { header: string[]; rows: SheetValue[][]; cell(row: SheetValue[], header: string): SheetValue } {
  const [head, ...rest] = parseCsv(text);
  const header = head ?? [];
  return {
    header,
    rows: rest.map((r) => r.map(spreadsheetValue)),
    cell(row, h) {
      const i = header.indexOf(h);
      if (i < 0) throw new Error(`no column ${h} in ${header.join(',')}`);
      return row[i] ?? { kind: 'empty' };
    },
  };
}

/** The text a cell shows (numbers as JS prints them). */
export const shown = (v: SheetValue): string => (v.kind === 'empty' ? '' : String(v.value));
