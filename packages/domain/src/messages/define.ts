/**
 * The shape of the message catalogue (see ./index.ts). Each entry has a stable code (`area.name`), a Chinese and an
 * English template with named placeholders (`{name}`), and, when it is an error, its HTTP status and generic kind.
 */
import type { ErrorCode } from '../api/endpoint';

/** A text in both languages (the shape of the domain's code-table labels). */
export interface Localized {
  readonly zh: string;
  readonly en: string;
}

export interface MessageDef {
  readonly zh: string;
  readonly en: string;
  /** HTTP status, when the message is an error. */
  readonly status?: number;
  /** The generic kind of an error (VALIDATION, NOT_FOUND, …); derived from the status when absent. */
  readonly kind?: ErrorCode;
}

/** A catalogue message by code, as carried in error bodies and details, and nested as a parameter. */
export interface MessageRef {
  readonly code: string;
  readonly params?: Readonly<Record<string, ParamValue>>;
}

/**
 * A parameter: a plain value shown as it is, a text in both languages (a code-table label), or a nested catalogue
 * message (rendered in the same language).
 */
export type ParamValue = string | number | Localized | MessageRef;

/** The placeholder names of a template: `'用户名 {username} 已存在'` → `'username'`. */
export type PlaceholderNames<S extends string> = S extends `${string}{${infer P}}${infer R}` ? P | PlaceholderNames<R> : never;

/** Keeps the literal types of an area's entries and checks that every code starts with the area's prefix. */
export function defineMessages<const P extends string, const T extends { [K in keyof T]: MessageDef }>(
  _prefix: P,
  entries: T & { [K in keyof T]: K extends `${P}.${string}` ? MessageDef : never },
): T {
  return entries;
}
