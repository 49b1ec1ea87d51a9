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
