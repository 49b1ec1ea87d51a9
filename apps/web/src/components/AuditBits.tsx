import { Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import type { AuditEntry } from '@tuopin/domain';
import { useRegionNode } from '../api/regionCache';
import { hasKey, useI18n } from '../i18n';
import { fmtTime } from '../utils/format';

/** A region code shown as its full name (resolved through the region cache). */
export function RegionName({ code, withCode }: { code: string | null | undefined; withCode?: boolean }) {
  const node = useRegionNode(code && /^\d{12}$/.test(code) ? code : undefined);
  if (!code) return <>—</>;
  if (!node) return <>{code}</>;
  return (
    <span title={code}>
      {node.fullName}
      {withCode && (
        <Typography.Text type="secondary" style={{ marginInlineStart: 4, fontSize: 12 }}>
          {code}
        </Typography.Text>
      )}
    </span>
  );
}

function changed(e: AuditEntry, field: string) {
  return e.changes.find((c) => c.field === field || c.field === camel(field));
}
function camel(s: string) {
  return s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A more precise verb for a generic row change: an update of the status is an enable / disable,
 * an update of the password hash a password change or reset.
 */
export function entryVerb(e: AuditEntry): string {
  if (e.action === 'update') {
    const status = changed(e, 'status');
    if (status && status.after === 'disabled') return 'disable';
    if (status && status.after === 'active') return 'enable';
    if (changed(e, 'password_hash')) {
      // set by someone else: a reset; by the user: a change of the own password
      const byOther = e.actorId !== null && e.entityId !== null && String(e.actorId) !== e.entityId;
      const must = changed(e, 'must_change_password');
      return byOther || (must && must.after === true) ? 'password_reset' : 'password_change';
    }
    const locked = changed(e, 'locked_until');
    if (locked && e.changes.length === 1) return locked.after ? 'account_locked' : 'unlock';
  }
  return e.action;
}

/** Tag colour of an action verb. */
export function colorOf(action: string): string {
  if (/create|insert|add/.test(action)) return 'green';
  if (/disable|delete|remove|lock|fail/.test(action)) return 'red';
  if (/password|reset/.test(action)) return 'orange';
  return 'blue';
}

export function useAuditLabels() {
  const { t } = useI18n();
  const action = (action: string, entity?: string) => {
    if (entity) {
      const k = `action.${entity}.${action}`;
      if (hasKey(k)) return t(k);
    }
    const k = `action.${action}`;
    return hasKey(k) ? t(k) : action;
  };
  return {
    action,
    /** The label of an audit entry's action, taking its entity and changes into account. */
    entry: (e: AuditEntry) => action(entryVerb(e), e.entity),
    entity: (entity: string) => {
      const k = `entity.${entity}`;
      return hasKey(k) ? t(k) : entity;
    },
    field: (field: string) => {
      const k = `field.${field}`;
      return hasKey(k) ? t(k) : field;
    },
  };
}

/** Fields people look for first; the rest (ids, timestamps) follow. */
const FIELD_ORDER = [
  'username',
  'display_name',
  'displayName',
  'role',
  'region_code',
  'regionCode',
  'phone',
  'status',
  'must_change_password',
  'mustChangePassword',
  'password_hash',
  'locked_until',
  'lockedUntil',
];
function rank(field: string): number {
  const i = FIELD_ORDER.indexOf(field);
  return i === -1 ? FIELD_ORDER.length + (field === 'id' ? 1 : 0) : i;
}

const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** One value of a changed field, rendered for people (labels, names, dates). */
export function ChangeValue({ field, value }: { field: string; value: unknown }) {
  const { t, roleLabel } = useI18n();
  if (value === null || value === undefined || value === '') return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  const f = field.toLowerCase();
  if (f.includes('password_hash') || f.includes('passwordhash') || f === 'password') return <span>••••••</span>;
  if (f === 'role' && typeof value === 'string') return <span>{roleLabel(value)}</span>;
  if (f === 'status' && typeof value === 'string' && hasKey(`status.${value}`)) return <span>{t(`status.${value}` as 'status.active')}</span>;
  if ((f === 'region' || f.replace(/_/g, '').endsWith('regioncode')) && typeof value === 'string') return <RegionName code={value} />;
  if (typeof value === 'boolean') return <span>{value ? t('common.yes') : t('common.no')}</span>;
  if (typeof value === 'string' && ISO_RE.test(value)) return <span>{fmtTime(value)}</span>;
  if (typeof value === 'object') return <code style={{ wordBreak: 'break-all' }}>{JSON.stringify(value)}</code>;
  return <span>{String(value)}</span>;
}

/**
 * The changed fields of an audit entry, each as before → after. A new record (action insert)
 * shows only its values, a deleted one only the old values.
 */
export function ChangesList({ changes, action }: { changes: AuditEntry['changes']; action?: string }) {
  const labels = useAuditLabels();
  const { t } = useI18n();
  if (changes.length === 0) return <Typography.Text type="secondary">{t('audit.noChanges')}</Typography.Text>;
  const onlyAfter = action === 'insert';
  const onlyBefore = action === 'delete';
  const sorted = [...changes].sort((a, b) => rank(a.field) - rank(b.field));
  return (
    <ul className="tp-changes" data-testid="audit-changes">
      {sorted.map((c, i) => (
        <li key={`${c.field}-${i}`} data-testid="audit-change" data-field={c.field}>
          <span className="tp-changes-field">{labels.field(c.field)}</span>
          <span className="tp-changes-values">
            {!onlyAfter && (
              <span className={onlyBefore ? undefined : 'tp-changes-before'}>
                <ChangeValue field={c.field} value={c.before} />
              </span>
            )}
            {!onlyAfter && !onlyBefore && <ArrowRightOutlined className="tp-changes-arrow" />}
            {!onlyBefore && (
              <span className={onlyAfter ? undefined : 'tp-changes-after'}>
                <ChangeValue field={c.field} value={c.after} />
              </span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}
