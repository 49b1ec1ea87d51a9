import { BAD_TEXT_MESSAGE as DOMAIN_BAD_TEXT_MESSAGE, hasBadText } from '@tuopin/domain';
import { msg, quoteValue, type Message, type MessageCode } from '@tuopin/domain';
import { detail, type FieldError } from '../errors';

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
  /** With the validator's `verbose` option: the schema holding the keyword, and the value refused. */
  parentSchema?: { title?: unknown; type?: unknown };
  data?: unknown;
}

const TYPES: Record<string, MessageCode> = {
  string: 'common.type.string', integer: 'common.type.integer', number: 'common.type.number', boolean: 'common.type.boolean',
  object: 'common.type.object', array: 'common.type.array', null: 'common.type.null',
};

function fieldOf(context: string, e: AjvLikeError): string {
  const parts = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') parts.push(e.params.missingProperty);
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') parts.push(e.params.additionalProperty);
  return [context, ...parts].join('.');
}

function messageOf(e: AjvLikeError): Message {
  const p = e.params;
  switch (e.keyword) {
    case 'required': return msg('common.required');
    case 'type': {
      const t = TYPES[firstType(p.type)];
      return msg('common.type', { type: t ? msg(t as 'common.type.string') : String(p.type) });
    }
    case 'minLength': return Number(p.limit) === 1 ? msg('common.empty') : msg('common.minLength', { limit: String(p.limit) });
    case 'maxLength': return msg('common.maxLength', { limit: String(p.limit) });
    case 'pattern': return p.pattern === '\\S' ? msg('common.blank') : msg('common.pattern');
    case 'format': return p.format === 'date' ? msg('common.dateFormat') : msg('common.format', { format: String(p.format) });
    case 'minimum': return msg('common.minimum', { limit: String(p.limit) });
    case 'maximum': return msg('common.maximum', { limit: String(p.limit) });
    case 'enum': return msg('common.enum', { values: (p.allowedValues as unknown[] | undefined)?.join('、') ?? '' });
    case 'const': return msg('common.const', { value: String(p.allowedValue) });
    case 'additionalProperties': return msg('common.notAllowedField');
    default: return msg('common.invalidValue');
  }
}

/** The expected type of a type error; of a nullable type list (`integer,null`) the type that is not null. */
const firstType = (t: unknown) => String(t).split(',').find((x) => x !== 'null') ?? String(t);

/**
 * The Chinese name of a registry field refused by its own keywords: the schema's title, which the contract's column
 * schemas set to the column header (api/columns-schema.ts). Not for objects (their title names a type, not a field).
 */
function labelOf(e: AjvLikeError): string | undefined {
  const s = e.parentSchema;
  if (!s || typeof s.title !== 'string' || e.keyword === 'required' || e.keyword === 'additionalProperties') return undefined;
  return (Array.isArray(s.type) ? s.type : [s.type]).includes('object') ? undefined : s.title;
}

/** A registry field's refusal in the wording of the domain validation: 务工时间（月）不能大于12. */
function labelledMessageOf(e: AjvLikeError, label: string): Message {
  const p = e.params;
  const limit = String(p.limit);
  if (e.data === null) return msg('common.field.empty', { label });
  switch (e.keyword) {
    case 'type': {
      const t = TYPES[firstType(p.type)];
      return msg('common.field.type', { label, type: t ? msg(t as 'common.type.string') : String(p.type) });
    }
    case 'minimum': return Number(p.limit) === 0 ? msg('common.field.negative', { label }) : msg('common.field.minimum', { label, limit });
    case 'maximum': return msg('common.field.maximum', { label, limit });
    case 'maxLength': return msg('common.field.maxLength', { label, limit });
    case 'maxItems': return msg('common.field.maxItems', { label, limit });
    case 'enum':
      return typeof e.data === 'string' && e.data.trim() === ''
        ? msg('common.field.blankCode', { label })
        : msg('common.field.code', { label, value: quoteValue(e.data) });
    case 'format': return p.format === 'date' ? msg('common.field.dateFormat', { label }) : messageOf(e);
    case 'pattern': return msg('common.field.pattern', { label });
    default: return messageOf(e);
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
    const label = labelOf(e);
    // null for a field that cannot be cleared is refused by its type and its codes: one "cannot be empty" for both
    const rank = e.keyword === 'anyOf' ? 0 : label && e.data === null ? 3 : e.keyword === 'type' || e.keyword === 'const' ? 1 : 2;
    const prev = byField.get(field);
    if (!prev || rank > prev.rank) byField.set(field, { ...detail(field, label ? labelledMessageOf(e, label) : messageOf(e)), rank });
  }
  return [...byField.values()].map(({ rank: _rank, ...d }) => d);
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
      if (isBadText(v)) out.push(detail(path, msg('common.badText')));
      return;
    }
    if (typeof v !== 'object' || v === null || depth > 64) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}.${i}`, depth + 1));
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (isBadText(k)) {
        out.push(detail(path, msg('common.badFieldName')));
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
