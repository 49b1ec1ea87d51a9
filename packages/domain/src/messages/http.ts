/** Request-level errors: session, CSRF, permissions, malformed requests, rate limits, internal errors. */
import { defineMessages } from './define';

export const httpMessages = defineMessages('http', {
  'http.unauthenticated': { status: 401, kind: 'UNAUTHENTICATED', zh: '未登录或登录已过期，请重新登录', en: 'You are not logged in or your session has expired; please log in again' },
  'http.csrf': { status: 403, kind: 'CSRF', zh: '请求缺少有效的 CSRF 令牌，请刷新页面后重试', en: 'The page has expired; reload it and try again' },
  'http.passwordChangeRequired': { status: 403, kind: 'PASSWORD_CHANGE_REQUIRED', zh: '请先修改初始密码', en: 'Please change your initial password first' },
  'http.forbidden': { status: 403, kind: 'FORBIDDEN', zh: '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  'http.readOnly': { status: 403, kind: 'FORBIDDEN', zh: '只读账号不能修改数据', en: 'A read-only account cannot change data' },
  'http.regionDenied': { status: 403, kind: 'FORBIDDEN', zh: '无权在该区域进行此操作', en: 'You may not do this in that region' },
  'http.invalidParam': { status: 400, kind: 'VALIDATION', zh: '请求参数不正确：{field} {reason}', en: 'Invalid request parameter: {field} {reason}' },
  'http.invalidRequest': { status: 400, kind: 'VALIDATION', zh: '请求参数不正确', en: 'Invalid request parameters' },
  'http.badRequest': { status: 400, kind: 'VALIDATION', zh: '请求无效', en: 'Invalid request' },
  'http.routeNotFound': { status: 404, kind: 'NOT_FOUND', zh: '接口不存在：{method} {path}', en: 'No such endpoint: {method} {path}' },
  'http.unsupportedMediaType': { status: 415, kind: 'VALIDATION', zh: '不支持的请求内容类型，请使用 application/json', en: 'Unsupported content type; use application/json' },
  'http.bodyTooLarge': { status: 413, kind: 'VALIDATION', zh: '请求内容过大', en: 'The request is too large' },
  'http.badJson': { status: 400, kind: 'VALIDATION', zh: '请求内容不是合法的 JSON', en: 'The request body is not valid JSON' },
  'http.badUrl': { status: 400, kind: 'VALIDATION', zh: '网址中包含无法解码的字符', en: 'The address contains characters that cannot be decoded' },
  'http.retry': { status: 409, kind: 'CONFLICT', zh: '操作与他人同时进行，请重试', en: 'Someone else was changing the same data at the same time; please try again' },
  'http.rateLimited': { status: 429, kind: 'RATE_LIMITED', zh: '请求过于频繁，请稍后再试', en: 'Too many requests; please wait a moment and try again' },
  'http.internal': { status: 500, kind: 'INTERNAL', zh: '服务器内部错误，请稍后重试或联系管理员', en: 'Internal server error; try again later or contact your administrator' },
});
