import { BAD_TEXT_MESSAGE as DOMAIN_BAD_TEXT_MESSAGE, hasBadText } from '@tuopin/domain';
import type { FieldError } from '../errors';

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_ZH: Record<string, string> = {
  string: '文本', integer: '整数', number: '数字', boolean: '是/否', object: '对象', array: '列表', null: '空值',
};

function fieldOf(context: string, e: AjvLikeError): string {
  const parts = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') parts.push(e.params.missingProperty);
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') parts.push(e.params.additionalProperty);
  return [context, ...parts].join('.');
}

function messageOf(e: AjvLikeError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required': return '缺少必填字段';
    case 'type': return `应为${TYPE_ZH[String(p.type)] ?? String(p.type)}`;
    case 'minLength': return Number(p.limit) === 1 ? '不能为空' : `长度不能少于 ${String(p.limit)} 个字符`;
    case 'maxLength': return `长度不能超过 ${String(p.limit)} 个字符`;
    case 'pattern': return p.pattern === '\\S' ? '不能为空（不能只有空格）' : '格式不正确';
    case 'format': return p.format === 'date' ? '应为有效日期（YYYY-MM-DD）' : `格式不正确（应为 ${String(p.format)}）`;
    case 'minimum': return `不能小于 ${String(p.limit)}`;
    case 'maximum': return `不能大于 ${String(p.limit)}`;
    case 'enum': return `取值必须是以下之一：${(p.allowedValues as unknown[] | undefined)?.join('、') ?? ''}`;
    case 'const': return `取值必须为 ${String(p.allowedValue)}`;
    case 'additionalProperties': return '不允许的字段';
    default: return '取值不符合要求';
  }
}

/**
 * Turns schema-validation errors into field errors with Chinese messages. For union types ("string or null")
 * the most specific error per field is kept.
 */
export function fieldErrors(context: string, errors: readonly AjvLikeError[]): FieldError[] {
  const byField = new Map<string, FieldError & { rank: number }>();
  for (const e of errors) {
    const field = fieldOf(context, e);
    const rank = e.keyword === 'anyOf' ? 0 : e.keyword === 'type' || e.keyword === 'const' ? 1 : 2;
    const prev = byField.get(field);
    if (!prev || rank > prev.rank) byField.set(field, { field, message: messageOf(e), rank });
  }
  return [...byField.values()].map(({ field, message }) => ({ field, message }));
}

/** The message of a string refused at the edge (a NUL character or half of a surrogate pair). */
export const BAD_TEXT_MESSAGE = DOMAIN_BAD_TEXT_MESSAGE;

/**
 * Text PostgreSQL cannot store or that is not valid Unicode: a NUL character (U+0000) or an unpaired surrogate
 * (half of a UTF-16 pair, which has no UTF-8 form). Such text is refused at the edge, for every route, before
 * anything reads it.
 */
export function isBadText(s: string): boolean {
  return hasBadText(s);
}

/**
 * The fields of a parsed request part holding bad text, at any depth (object keys too: a bad key is reported as its
 * object). At most `limit` fields.
 */
export function badTextFields(context: string, value: unknown, limit = 20): FieldError[] {
  const out: FieldError[] = [];
  const walk = (v: unknown, path: string, depth: number) => {
    if (out.length >= limit) return;
    if (typeof v === 'string') {
      if (isBadText(v)) out.push({ field: path, message: BAD_TEXT_MESSAGE });
      return;
    }
    if (typeof v !== 'object' || v === null || depth > 64) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}.${i}`, depth + 1));
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (isBadText(k)) {
        out.push({ field: path, message: `字段名${BAD_TEXT_MESSAGE}` });
        continue;
      }
      walk(x, `${path}.${k}`, depth + 1);
    }
  };
  walk(value, context, 0);
  return out;
}

/** Stands for a query value whose percent-encoding is not UTF-8: bad text, refused at the edge with its field. */
const UNDECODABLE = '\uD800';

function decodeQueryPart(s: string): string {
  const t = s.includes('+') ? s.replace(/\+/g, ' ') : s;
  if (!t.includes('%')) return t;
  try {
    return decodeURIComponent(t);
  } catch {
    return UNDECODABLE;
  }
}

/**
 * The query-string parser of the server: like Fastify's (repeated keys become arrays), except that a value or key
 * whose percent-encoding is not valid UTF-8 (`%FF`, an encoded surrogate) becomes bad text, which the edge check
 * refuses with the field named, instead of being passed on verbatim.
 */
export function parseQueryString(input: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  if (input === '') return out;
  for (const piece of input.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeQueryPart(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decodeQueryPart(piece.slice(eq + 1));
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[key] = [prev, value];
  }
  return out;
}

/** Longest path parameter the router takes (find-my-way's maxParamLength); a longer one is refused with its field. */
export const MAX_PARAM_LENGTH = 100;

const undecodable = (segment: string) => {
  try {
    decodeURIComponent(segment);
    return false;
  } catch {
    return true;
  }
};

/**
 * For a URL the router refused — a path segment it could not decode (`%FF`, an encoded surrogate, `%zz`) or one over
 * MAX_PARAM_LENGTH — the path parameter that holds it, found by matching the path against the endpoints' URL
 * templates. `params` when no template matches.
 */
export function badUrlField(path: string, urls: readonly string[], bad: (segment: string) => boolean = undecodable): string {
  const pathname = path.split('?')[0]!;
  for (const url of urls) {
    const names: string[] = [];
    const re = new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_m, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}$`);
    const m = re.exec(pathname);
    if (!m || names.length === 0) continue;
    for (let i = 0; i < names.length; i++) if (bad(m[i + 1]!)) return `params.${names[i]}`;
  }
  return 'params';
}
