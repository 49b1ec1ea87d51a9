/**
 * The one HTTP client of the web app. Every request and response type is derived from the
 * API contract in @tuopin/domain (`api.*` endpoints with TypeBox schemas): nothing here is
 * written by hand per endpoint.
 *
 *   const page = await call(api.userList, { query: { page: 1 } });
 *   //    ^? EndpointResponse<typeof api.userList>
 */
import {
  api,
  type Endpoint,
  type EndpointBody,
  type EndpointParams,
  type EndpointQuery,
  type EndpointResponse,
  type ErrorBody,
} from '@tuopin/domain';

export type { Endpoint };

type Part<K extends string, T> = [T] extends [undefined]
  ? { [P in K]?: undefined }
  : Record<string, never> extends T
    ? { [P in K]?: T }
    : { [P in K]: T };

/** What a call to endpoint E takes: params / query / body exactly as the contract says. */
export type CallInput<E extends Endpoint> = Part<'params', EndpointParams<E>> &
  Part<'query', EndpointQuery<E>> &
  Part<'body', EndpointBody<E>> & {
    signal?: AbortSignal;
    /** Do not run the global 401 / password-change redirects (the caller handles them). */
    quiet?: boolean;
  };

/** Whether the input object may be left out (nothing required). */
type InputArgs<E extends Endpoint> = Record<string, never> extends Omit<CallInput<E>, 'signal' | 'quiet'>
  ? [input?: CallInput<E>]
  : [input: CallInput<E>];

export type ApiDetail = NonNullable<ErrorBody['details']>[number];

/**
 * An error answer of the API: `code` is the catalogue code (e.g. 'import.busy', rendered in the user's language by
 * the i18n's errorText from `code` + `params`), `kind` the generic kind (UNAUTHENTICATED, VALIDATION, …; the
 * client's own NETWORK), `message` the server's Chinese text.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly kind: string;
  readonly params: Record<string, unknown>;
  readonly details: ApiDetail[];
  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.kind = body.kind ?? body.code;
    this.params = body.params ?? {};
    this.details = body.details ?? [];
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

// ---------------------------------------------------------------------------------------------
// Session state kept in memory

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

function cookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function currentCsrf(): string | null {
  return csrfToken ?? cookie('tuopin_csrf');
}

type Handlers = {
  unauthenticated?: (err: ApiError) => void;
  passwordChangeRequired?: (err: ApiError) => void;
};
const handlers: Handlers = {};

/** The app shell registers what happens on 401 and on PASSWORD_CHANGE_REQUIRED. */
export function setApiHandlers(h: Handlers): void {
  Object.assign(handlers, h);
}

// ---------------------------------------------------------------------------------------------

export function buildUrl(url: string, params?: object, query?: object): string {
  let path = url.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    const v = (params as Record<string, unknown> | undefined)?.[name];
    if (v === undefined || v === null || v === '') throw new Error(`missing path parameter :${name} for ${url}`);
    return encodeURIComponent(String(v));
  });
  if (query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v)) for (const item of v) qs.append(k, String(item));
      else qs.append(k, String(v));
    }
    const s = qs.toString();
    if (s) path += `?${s}`;
  }
  return path;
}

function asErrorBody(status: number, data: unknown): ErrorBody {
  if (data && typeof data === 'object' && 'code' in data && 'message' in data) {
    const d = data as ErrorBody;
    return {
      code: String(d.code), ...(typeof d.kind === 'string' && { kind: d.kind }), message: String(d.message),
      ...(d.params && typeof d.params === 'object' && { params: d.params }), details: Array.isArray(d.details) ? d.details : [],
    };
  }
  if (status === 401) return { code: 'UNAUTHENTICATED', message: '请先登录' };
  if (status === 403) return { code: 'FORBIDDEN', message: '没有权限' };
  if (status === 404) return { code: 'NOT_FOUND', message: '未找到' };
  if (status === 429) return { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' };
  return { code: status >= 500 ? 'INTERNAL' : 'HTTP_' + status, message: `服务器错误（HTTP ${status}）` };
}

/** Calls one endpoint of the contract; resolves with its typed response or throws ApiError. */
export async function call<E extends Endpoint>(endpoint: E, ...args: InputArgs<E>): Promise<EndpointResponse<E>> {
  const input = (args[0] ?? {}) as {
    params?: object;
    query?: object;
    body?: unknown;
    signal?: AbortSignal;
    quiet?: boolean;
  };
  const url = buildUrl(endpoint.url, input.params, input.query);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (endpoint.method !== 'GET') {
    const token = currentCsrf();
    if (token) headers['x-csrf-token'] = token;
  }
  let body: string | undefined;
  if (input.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(input.body);
  }

  let res: Response;
  try {
    res = await fetch(url, {
      method: endpoint.method,
      headers,
      body,
      credentials: 'same-origin',
      signal: input.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络' });
  }

  return (await readResponse(res, endpoint, input.quiet)) as EndpointResponse<E>;
}

/** Reads a JSON response; throws ApiError (after the global 401 / password handlers) when it failed. */
async function readResponse(res: Response, endpoint: Endpoint, quiet?: boolean): Promise<unknown> {
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) {
    const err = new ApiError(res.status, asErrorBody(res.status, data));
    if (!quiet && endpoint !== api.login) {
      if (err.kind === 'UNAUTHENTICATED' || res.status === 401) {
        handlers.unauthenticated?.(err);
      } else if (err.kind === 'PASSWORD_CHANGE_REQUIRED') {
        handlers.passwordChangeRequired?.(err);
      }
    }
    throw err;
  }

  // Keep the CSRF token of the latest login / me response.
  if (data && typeof data === 'object' && 'csrfToken' in data && typeof data.csrfToken === 'string') {
    csrfToken = data.csrfToken;
  }
  return data;
}

/**
 * Uploads registry files (one XLSX workbook or up to three CSV files) as multipart/form-data,
 * field `files`; resolves with the new import, whose validation runs in the background.
 */
export async function upload(
  files: readonly File[],
  signal?: AbortSignal,
): Promise<EndpointResponse<typeof api.importCreate>> {
  const form = new FormData();
  for (const f of files) form.append('files', f, f.name);
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = currentCsrf();
  if (token) headers['x-csrf-token'] = token;
  let res: Response;
  try {
    res = await fetch(api.importCreate.url, { method: 'POST', headers, body: form, credentials: 'same-origin', signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络' });
  }
  return (await readResponse(res, api.importCreate)) as EndpointResponse<typeof api.importCreate>;
}

export { api };
