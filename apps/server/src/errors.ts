import type { ErrorCode } from '@tuopin/domain';

export interface FieldError {
  field: string;
  message: string;
}

/** An error meant for the client: a status, a stable code and a Chinese message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldError[],
  ) {
    super(message);
  }
}

export const notFound = (what = '记录') => new AppError(404, 'NOT_FOUND', `${what}不存在或不在您的管辖范围内`);
export const forbidden = (message = '您没有执行此操作的权限') => new AppError(403, 'FORBIDDEN', message);
export const invalid = (field: string, message: string) =>
  new AppError(400, 'VALIDATION', `${message}（字段：${field}）`, [{ field, message }]);
export const conflict = (message: string, field?: string) =>
  new AppError(409, 'CONFLICT', message, field ? [{ field, message }] : undefined);

/** Chinese descriptions of the PostgreSQL data exceptions (class 22) a request can cause. */
const DATA_EXCEPTIONS: Record<string, string> = {
  '22001': '文本过长',
  '22003': '数值超出允许范围',
  '22007': '日期或时间格式不正确',
  '22008': '日期或时间超出范围',
  '22012': '除数为零',
  '22021': '包含不允许的字符',
  '22023': '参数取值不正确',
  '2202E': '数组下标超出范围',
  '22P02': '格式不正确',
  '22P05': '包含不允许的字符',
};

/** The Chinese description of a PostgreSQL data exception (class 22). */
export function dataExceptionMessage(code: string): string {
  return DATA_EXCEPTIONS[code] ?? '数据不符合要求';
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

interface PgFields {
  code?: string;
  column?: string;
  constraint?: string;
  table?: string;
  detail?: string;
}

/** The column a constraint violation is about: the error's column, the key in its detail, or the check's name. */
function columnOf(e: PgFields): string | null {
  if (e.column) return e.column;
  const key = /^Key \(([^)]+)\)/.exec(e.detail ?? '');
  if (key) return key[1]!.split(',').map((s) => s.trim()).pop() ?? null;
  if (e.constraint) {
    let c = e.constraint;
    if (e.table && c.startsWith(`${e.table}_`)) c = c.slice(e.table.length + 1);
    c = c.replace(/_(check|fkey|key|excl)$/, '');
    if (/^[a-z][a-z0-9_]*$/.test(c)) return c;
  }
  return null;
}

/**
 * A data exception (class 22) or an integrity-constraint violation (class 23) that a service let through: bad input
 * the validation did not catch, answered as a 400 (a duplicate as a 409) naming the field where the error names its
 * column, never as a 500. Null for any other error.
 */
export function constraintViolation(error: unknown): AppError | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as PgFields;
  if (typeof e.code !== 'string' || !/^2[23][0-9A-Z]{3}$/.test(e.code)) return null;
  const column = e.code.startsWith('23') ? columnOf(e) : null;
  const field = column ? `body.${camel(column)}` : 'body';
  let message: string;
  switch (e.code) {
    case '23502': message = '不能为空'; break;
    case '23503': message = '引用的记录不存在'; break;
    case '23505': case '23P01': message = '已存在相同的记录'; break;
    case '23514': message = '取值不符合要求'; break;
    default: message = e.code.startsWith('22') ? dataExceptionMessage(e.code) : '数据不符合要求';
  }
  const status = e.code === '23505' || e.code === '23P01' ? 409 : 400;
  return new AppError(status, status === 409 ? 'CONFLICT' : 'VALIDATION', `${message}（字段：${field}）`, [{ field, message }]);
}
