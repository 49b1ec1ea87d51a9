import {
  ERROR_CODES, errorStatus, msg, renderMessage,
  type ErrorCode, type Message, type MessageArgs, type MessageCode, type MessageRef, type ParamValue,
} from '@tuopin/domain';

export interface FieldError {
  field: string;
  /** Chinese text (rendered from the catalogue when code is set). */
  message: string;
  /** Catalogue code of the problem, when it comes from the catalogue. */
  code?: string;
  params?: Record<string, ParamValue>;
}

/**
 * An error meant for the client: a status, a code of the message catalogue (packages/domain/src/messages), its
 * params, a Chinese message rendered from the catalogue, and field details. `kind` is the generic kind
 * (VALIDATION, NOT_FOUND, …) the catalogue gives the code.
 *
 * Build one with appError(code, params) or fieldError(field, code, params). The constructor with a generic kind as
 * the code and a free Chinese text (new AppError(409, 'CONFLICT', '…')) is transitional: the body then carries the
 * kind as its code and no params, and the web shows the kind's generic text in English.
 */
export class AppError extends Error {
  readonly kind: ErrorCode;
  params?: Record<string, ParamValue>;
  constructor(
    public status: number,
    readonly code: ErrorCode | MessageCode,
    message: string,
    public details?: FieldError[],
    params?: Record<string, ParamValue>,
  ) {
    super(message);
    this.kind = (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : errorStatus(code).kind;
    if (params && Object.keys(params).length > 0) this.params = params;
  }

  /** The same error with field details (and optionally another status). */
  with(o: { details?: FieldError[]; status?: number }): this {
    if (o.details) this.details = o.details;
    if (o.status) this.status = o.status;
    return this;
  }
}

const zh = (m: MessageRef) => renderMessage(m, 'zh') ?? m.code;

/** An error from a catalogue code: its status and kind from the catalogue, the message its Chinese text. */
export function appError<C extends MessageCode>(code: C, ...args: MessageArgs<C>): AppError {
  const m = msg(code, ...args);
  return new AppError(errorStatus(code).status, code, zh(m), undefined, m.params as Record<string, ParamValue>);
}

/** An error from a message object (e.g. a validator's problem). */
export function errorOf(m: Message | MessageRef): AppError {
  return new AppError(errorStatus(m.code).status, m.code as MessageCode, zh(m), undefined, m.params as Record<string, ParamValue>);
}

/** A field detail from a catalogue message. */
export function detail(field: string, m: Message | MessageRef): FieldError {
  return { field, message: zh(m), code: m.code, ...(m.params && Object.keys(m.params).length > 0 && { params: m.params as Record<string, ParamValue> }) };
}

/**
 * A refused field: the code of the problem (status from the catalogue), the message "<problem>（字段：<field>）",
 * the one detail naming the field. Conflicts (409) keep the problem's text alone as the message.
 */
export function fieldError<C extends MessageCode>(field: string, code: C, ...args: MessageArgs<C>): AppError {
  return fieldErrorOf(field, msg(code, ...args));
}

export function fieldErrorOf(field: string, m: Message | MessageRef): AppError {
  const { status } = errorStatus(m.code);
  const d = detail(field, m);
  const message = status === 409 || status === 403 ? d.message : zh(msg('common.fieldProblem', { reason: m, field }));
  return new AppError(status, m.code as MessageCode, message, [d], m.params as Record<string, ParamValue>);
}

/** Catalogue codes of the PostgreSQL data exceptions (class 22) a request can cause. */
const DATA_EXCEPTIONS: Record<string, MessageCode> = {
  '22001': 'common.textTooLong',
  '22003': 'common.numberOutOfRange',
  '22007': 'common.dateTimeFormat',
  '22008': 'common.dateTimeRange',
  '22012': 'common.divisionByZero',
  '22021': 'common.badCharacters',
  '22023': 'common.badParameter',
  '2202E': 'common.arrayIndex',
  '22P02': 'common.badFormat',
  '22P05': 'common.badCharacters',
};

/** The catalogue message of a PostgreSQL data exception (class 22). */
export function dataException(code: string): Message {
  return { code: DATA_EXCEPTIONS[code] ?? 'common.dataRejected', params: {} };
}

/** The Chinese description of a PostgreSQL data exception (class 22). */
export function dataExceptionMessage(code: string): string {
  return zh(dataException(code));
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
  let reason: Message;
  switch (e.code) {
    case '23502': reason = msg('common.empty'); break;
    case '23503': reason = msg('common.referenceMissing'); break;
    case '23505': case '23P01': reason = msg('common.duplicate'); break;
    case '23514': reason = msg('common.invalidValue'); break;
    default: reason = e.code.startsWith('22') ? dataException(e.code) : msg('common.dataRejected');
  }
  const status = e.code === '23505' || e.code === '23P01' ? 409 : 400;
  const d = detail(field, reason);
  return new AppError(status, reason.code, zh(msg('common.fieldProblem', { reason, field })), [d], reason.params).with({ status });
}
