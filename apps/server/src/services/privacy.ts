import { can, maskIdNumber, maskIdsInText, maskPhone, type Role } from '@tuopin/domain';

/** Private fields of the registry: what a reveal or an export names in the audit log. */
export const PRIVATE_FIELDS = ['idNumber', 'phone'] as const;

export interface Privacy {
  /** Whether full values are shown */
  full: boolean;
  idNumber(v: string | null | undefined): string | null;
  phone(v: string | null | undefined): string | null;
}

/**
 * The one decision on private fields (ID numbers, phones), used by the household list, the household page, its
 * history, the exports and the audit log: full values only for roles that may reveal them (households:reveal) and only
 * where they are asked for — the household page's and the audit log's reveal and the exports, all logged. Everything
 * else is masked.
 */
export function privacyFor(role: Role, requested: boolean): Privacy {
  const full = requested && can(role, 'households:reveal');
  return {
    full,
    idNumber: (v) => (v ? (full ? v : maskIdNumber(v)) : null),
    phone: (v) => (v ? (full ? v : maskPhone(v)) : null),
  };
}

/** Keys under which audit rows (whole table rows, snapshots, export filters) carry ID numbers and phones. */
const ID_KEYS = new Set(['id_number', 'idNumber', 'head_id_number', 'headIdNumber']);
const PHONE_KEYS = new Set(['phone', 'head_phone', 'headPhone']);
/** Free text that may quote an ID number (the search text of an exported list's filter). */
const TEXT_KEYS = new Set(['q']);

/** Masks ID numbers quoted in a text (the domain's; the import repository masks stored problems with it too). */
export { maskIdsInText };

/**
 * Masks the private values inside a stored audit value (row triggers store whole rows; procedures and clues nest
 * snapshots; exports keep their filter), at any depth. Unchanged when the privacy shows full values.
 */
export function maskPrivateValues(v: unknown, p: Privacy): unknown {
  if (p.full || !v || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => maskPrivateValues(x, p));
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (typeof x === 'string' && ID_KEYS.has(k)) o[k] = p.idNumber(x);
    else if (typeof x === 'string' && PHONE_KEYS.has(k)) o[k] = p.phone(x);
    else if (typeof x === 'string' && TEXT_KEYS.has(k)) o[k] = maskIdsInText(x);
    else o[k] = maskPrivateValues(x, p);
  }
  return o;
}
