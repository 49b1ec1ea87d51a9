import type { FormInstance } from 'antd';
import { isApiError } from '../api/client';
import type { ServerMessage } from '../i18n/server';

/**
 * The one mapper from server refusals to form fields (every form of the web uses it).
 *
 * Maps an API error field name onto a form field name: 'body.username' → 'username',
 * '/body/regionCode' → 'regionCode', 'query.q' → 'q'; the wrapper objects of the registry's
 * changes are left out ('body.changes.phone', 'body.member.idNumber', 'body.household.address',
 * 'body.items.wage' → 'phone', 'idNumber', 'address', 'wage'; 'body.head.idNumber' keeps its
 * 'head.' as the new-household form nests the head's fields) and so is a list index
 * ('otherCauses.0' → 'otherCauses').
 */
export function formFieldOf(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/^(body|query|querystring|params)\.?/, '')
    .replace(/^(changes|member|household|items)\./, '')
    .replace(/\.\d+$/, '');
}

/**
 * Renders a detail (its catalogue code + params, else its text) in the user's language: pass the i18n's serverText.
 * Declared bivariantly so that a `(s: string) => string` parameter type still accepts serverText.
 */
export type Localize = { bivarianceHack(msg: string | ServerMessage): string }['bivarianceHack'];

const plainText: Localize = (m) => (typeof m === 'string' ? m : (m.message ?? ''));

/**
 * The server's refusals of a change by form field (each detail rendered by `localize` from its catalogue code and
 * params — pass the i18n's serverText — in the user's language), and the
 * messages that name no field; null when the error is not an ApiError with details.
 */
export function serverFieldErrors(
  err: unknown,
  localize: Localize = plainText,
): { byField: Record<string, string[]>; rest: string[] } | null {
  if (!isApiError(err) || err.details.length === 0) return null;
  const byField: Record<string, string[]> = {};
  const rest: string[] = [];
  for (const d of err.details) {
    const name = formFieldOf(d.field);
    const text = localize(d);
    if (name) (byField[name] ??= []).push(text);
    else rest.push(text);
  }
  return { byField, rest };
}

/**
 * Puts the `details` of an ApiError against the named fields of an antd form.
 * Returns the messages that did not match a field of the form (to be shown elsewhere),
 * or null when the error is not an ApiError with details.
 */
export function applyFormErrors(
  form: FormInstance,
  err: unknown,
  localize: Localize = plainText,
): string[] | null {
  const mapped = serverFieldErrors(err, localize);
  if (!mapped) return null;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const fields: { name: string; errors: string[] }[] = [];
  const rest = [...mapped.rest];
  for (const [name, errors] of Object.entries(mapped.byField)) {
    if (known.has(name) || form.getFieldInstance(name) !== undefined) fields.push({ name, errors });
    else rest.push(...errors);
  }
  if (fields.length > 0) form.setFields(fields);
  return rest;
}
