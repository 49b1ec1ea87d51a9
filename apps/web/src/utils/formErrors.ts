import type { FormInstance } from 'antd';
import { isApiError } from '../api/client';

/**
 * Maps an API error field name onto a form field name:
 * 'body.username' → 'username', '/body/regionCode' → 'regionCode', 'query.q' → 'q'.
 */
export function formFieldOf(field: string): string {
  return field
    .replace(/^\//, '')
    .replace(/\//g, '.')
    .replace(/^(body|query|querystring|params)\.?/, '');
}

/**
 * Puts the `details` of an ApiError against the named fields of an antd form.
 * Returns the messages that did not match a field of the form (to be shown elsewhere),
 * or null when the error is not an ApiError with details.
 */
export function applyFormErrors(
  form: FormInstance,
  err: unknown,
  localize: (msg: string) => string = (m) => m,
): string[] | null {
  if (!isApiError(err) || err.details.length === 0) return null;
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const byField = new Map<string, string[]>();
  const rest: string[] = [];
  for (const d of err.details) {
    const name = formFieldOf(d.field);
    if (name && (known.has(name) || form.getFieldInstance(name) !== undefined)) {
      byField.set(name, [...(byField.get(name) ?? []), localize(d.message)]);
    } else {
      rest.push(localize(d.message));
    }
  }
  if (byField.size > 0) form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  return rest;
}
