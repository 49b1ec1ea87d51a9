/**
 * The message catalogue: every error and notice the server sends, and every problem a domain validator reports,
 * by a stable code (`area.name`), with its Chinese and English template and, for errors, the HTTP status and the
 * generic kind. The server sends `{ code, message, params, details }` (message rendered in Chinese); the web renders
 * `code` + `params` in the user's language from this same catalogue, falling back to the server's message.
 *
 * Adding a message: add an entry to the area's file (e.g. './import.ts'), then
 * `throw appError('import.busy')` on the server or `msg('assistance.titleTooLong', { max: 200 })` in a validator;
 * the params are type-checked against the placeholders of the Chinese template.
 */
import type { ErrorCode } from '../api/endpoint';
import type { Localized, MessageDef, MessageRef, ParamValue, PlaceholderNames } from './define';
import { assistanceMessages } from './assistance';
import { authMessages } from './auth';
import { commonMessages } from './common';
import { exitMessages } from './exit';
import { httpMessages } from './http';
import { importMessages } from './import';
import { monitoringMessages } from './monitoring';
import { policyMessages } from './policy';
import { qualityMessages } from './quality';
import { regionsMessages } from './regions';
import { registryMessages } from './registry';
import { rulesMessages } from './rules';
import { runsMessages } from './runs';
import { usersMessages } from './users';

export type { Localized, MessageDef, MessageRef, ParamValue, PlaceholderNames } from './define';
export { defineMessages } from './define';
export { SHEET_LABELS } from './import';

/** The catalogue's areas, each a file of this folder. */
export const MESSAGE_AREAS = {
  common: commonMessages,
  http: httpMessages,
  auth: authMessages,
  users: usersMessages,
  regions: regionsMessages,
  registry: registryMessages,
  import: importMessages,
  quality: qualityMessages,
  policy: policyMessages,
  rules: rulesMessages,
  monitoring: monitoringMessages,
  exit: exitMessages,
  assistance: assistanceMessages,
  runs: runsMessages,
} as const;

export const MESSAGES = {
  ...commonMessages,
  ...httpMessages,
  ...authMessages,
  ...usersMessages,
  ...regionsMessages,
  ...registryMessages,
  ...importMessages,
  ...qualityMessages,
  ...policyMessages,
  ...rulesMessages,
  ...monitoringMessages,
  ...exitMessages,
  ...assistanceMessages,
  ...runsMessages,
} as const;

type Catalogue = typeof MESSAGES;
export type MessageCode = keyof Catalogue;
export type MessageLang = 'zh' | 'en';

/** The parameters of a message: one value per placeholder of its template. */
export type MessageParams<C extends MessageCode> = { [K in PlaceholderNames<Catalogue[C]['zh']>]: ParamValue };

/** The arguments after the code: none for a message without placeholders, else its params. */
export type MessageArgs<C extends MessageCode> = [PlaceholderNames<Catalogue[C]['zh']>] extends [never] ? [params?: Record<string, never>] : [params: MessageParams<C>];

/** A typed reference to a catalogue message. */
export interface Message<C extends MessageCode = MessageCode> extends MessageRef {
  readonly code: C;
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** A catalogue message with its params, type-checked: `msg('import.fileTooLarge', { name, mb })`. */
export function msg<C extends MessageCode>(code: C, ...args: MessageArgs<C>): Message<C> {
  return { code, params: (args[0] ?? {}) as Record<string, ParamValue> };
}

export function isMessageCode(code: unknown): code is MessageCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

/** The definition of a code, or undefined for a code not in the catalogue. */
export function messageDef(code: string): MessageDef | undefined {
  return isMessageCode(code) ? (MESSAGES[code] as MessageDef) : undefined;
}

const STATUS_KINDS: Record<number, ErrorCode> = {
  400: 'VALIDATION', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 413: 'VALIDATION',
  415: 'VALIDATION', 423: 'LOCKED', 429: 'RATE_LIMITED', 500: 'INTERNAL',
};

/** The HTTP status and generic kind of an error code (400 VALIDATION for a code that does not say). */
export function errorStatus(code: string): { status: number; kind: ErrorCode } {
  const d = messageDef(code);
  const status = d?.status ?? 400;
  return { status, kind: d?.kind ?? STATUS_KINDS[status] ?? 'VALIDATION' };
}

function isLocalized(v: unknown): v is Localized {
  return typeof v === 'object' && v !== null && typeof (v as Localized).zh === 'string' && typeof (v as Localized).en === 'string';
}

function isRef(v: unknown): v is MessageRef {
  return typeof v === 'object' && v !== null && typeof (v as MessageRef).code === 'string';
}

/** One parameter in a language: a label pair picks its language, a nested message is rendered. */
export function renderParam(v: ParamValue | null | undefined, lang: MessageLang): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (isLocalized(v)) return v[lang];
  if (isRef(v)) return renderMessage(v, lang) ?? '';
  return String(v);
}

/** Fills a template's `{name}` placeholders. */
export function fillTemplate(template: string, params: Readonly<Record<string, ParamValue>> | undefined, lang: MessageLang): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    params && Object.prototype.hasOwnProperty.call(params, name) ? renderParam(params[name], lang) : whole,
  );
}

/** A catalogue message in a language; undefined for a code not in the catalogue. */
export function renderMessage(ref: MessageRef, lang: MessageLang): string | undefined {
  const d = messageDef(ref.code);
  return d ? fillTemplate(d[lang], ref.params, lang) : undefined;
}

/** A catalogue message in both languages (a param value that is itself a message, or a joined list). */
export function localize(ref: MessageRef): Localized {
  return { zh: renderMessage(ref, 'zh') ?? ref.code, en: renderMessage(ref, 'en') ?? ref.code };
}

/** Several messages joined into one text in each language (Chinese '；', English '; '). */
export function joinMessages(refs: readonly MessageRef[]): Localized {
  return { zh: refs.map((r) => renderMessage(r, 'zh') ?? r.code).join('；'), en: refs.map((r) => renderMessage(r, 'en') ?? r.code).join('; ') };
}

/** The Chinese text of a catalogue message (what the server puts in `message`). */
export function zhText<C extends MessageCode>(code: C, ...args: MessageArgs<C>): string {
  return renderMessage(msg(code, ...args), 'zh')!;
}
