/**
 * Rows as PostgreSQL COPY text. A module of its own, without database dependencies, so that the import's worker
 * threads (stage-worker.ts) load quickly.
 */
const SPECIAL = /[\\\t\n\r]/;
const esc = (s: string) =>
  SPECIAL.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s;

/** One value in COPY text format. */
export function copyValue(v: unknown): string {
  if (typeof v === 'string') return esc(v);
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (Array.isArray(v)) return esc(`{${v.map((x) => `"${String(x).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`);
  return esc(String(v));
}

/** Rows (each ordered as the staging table's columns) as COPY text. */
export function copyText(rows: unknown[][]): string {
  let text = '';
  for (const r of rows) {
    let line = copyValue(r[0]);
    for (let i = 1; i < r.length; i++) line += `\t${copyValue(r[i])}`;
    text += `${line}\n`;
  }
  return text;
}

