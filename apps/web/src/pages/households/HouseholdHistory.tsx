/**
 * 修改记录 of a household page: the household, its members (also those who left), their moves, income,
 * statuses and assistance measures, from the household history endpoint. Field names and values are shown as people know them (Chinese
 * labels of the registry fields and codes), not as database columns.
 */
import { useCallback, useMemo } from 'react';
import { Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import {
  formatYuan, HOUSEHOLD_COLUMNS, INCOME_COLUMNS, INCOME_ITEMS, label, MEASURE_FAMILIES, MEMBER_COLUMNS, MEMBER_MOVE_LABELS, type AuditEntry, type Column, type HouseholdDetail,
} from '@tuopin/domain';
import { api, call } from '../../api/client';
import { queryKeyOf } from '../../api/queries';
import { HistoryPanel } from '../../components/HistoryPanel';
import { RegionName } from '../../components/AuditBits';
import { useI18n } from '../../i18n';
import { fieldKeyOfColumn, fieldLabel, useHhText, type HhKey } from './messages';

/** Technical columns that say nothing to a reader (keys, timestamps, the row's own region). */
const HIDDEN = new Set(['id', 'county_code', 'household_id', 'member_id', 'from_household_id', 'to_county_code', 'to_household_id', 'created_at', 'updated_at', 'created_by']);

const columnsOf = (entity: string): readonly Column[] =>
  entity === 'members' ? MEMBER_COLUMNS : entity === 'income_records' ? INCOME_COLUMNS : HOUSEHOLD_COLUMNS;

/** Income items are shown in yuan with two decimals. */
const INCOME_KEYS = new Set<string>(INCOME_ITEMS.map((i) => i.key));

function Value({ entity, field, value }: { entity: string; field: string; value: unknown }) {
  const { t, lang } = useI18n();
  const tt = useHhText();
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) {
    return <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>;
  }
  const key = fieldKeyOfColumn(field);
  if (field === 'village_code' && typeof value === 'string') return <RegionName code={value} />;
  if (entity === 'member_moves' && field === 'kind') {
    const kind = String(value) as keyof typeof MEMBER_MOVE_LABELS;
    return <span>{MEMBER_MOVE_LABELS[kind]?.[lang] ?? (kind === ('transfer_in' as string) ? tt('history.moveKind.transfer_in') : String(value))}</span>;
  }
  if (entity === 'assistance_measures' && field === 'family') return <span>{MEASURE_FAMILIES.find((f) => f.code === value)?.[lang] ?? String(value)}</span>;
  if (typeof value === 'boolean') return <span>{value ? t('common.yes') : t('common.no')}</span>;
  const col = columnsOf(entity).find((c) => c.key === key);
  if (col?.table) {
    const codes = Array.isArray(value) ? value : [value];
    return <span>{codes.map((c) => label(col.table!, String(c), lang) ?? String(c)).join('、')}</span>;
  }
  if (typeof value === 'object') return <code style={{ wordBreak: 'break-all' }}>{JSON.stringify(value)}</code>;
  if (entity === 'income_records' && INCOME_KEYS.has(key) && typeof value === 'number') return <span className="tp-mono">{formatYuan(value)}</span>;
  return <span className={/idNumber|phone/.test(key) ? 'tp-mono' : undefined}>{String(value)}</span>;
}

/** The audit entities of the registry, whose entries are shown with the registry's field labels. */
export const REGISTRY_ENTITIES = ['households', 'members', 'member_moves', 'income_records', 'household_year_status', 'assistance_measures'] as const;
export const isRegistryEntity = (entity: string) => (REGISTRY_ENTITIES as readonly string[]).includes(entity);

/** Names of registry audit entities and actions (household history and audit log share them). */
export function useRegistryAuditText() {
  const tt = useHhText();
  return useMemo(
    () => ({
      entity: (entity: string): string | null => (isRegistryEntity(entity) ? tt(`history.entity.${entity}` as HhKey) : null),
      action: (action: string): string | null => {
        const key = `history.action.${action}` as HhKey;
        return ['insert', 'update', 'delete', 'reveal', 'export'].includes(action) ? tt(key) : null;
      },
    }),
    [tt],
  );
}

/** An export entry (after: { format, fields, filter }) as a sentence: format, whether full numbers were included, year. */
export function ExportedSummary({ e }: { e: AuditEntry }) {
  const tt = useHhText();
  const format = e.changes.find((c) => c.field === 'format')?.after;
  const fields = e.changes.find((c) => c.field === 'fields')?.after;
  const filter = e.changes.find((c) => c.field === 'filter')?.after as Record<string, unknown> | null | undefined;
  const full = Array.isArray(fields) && fields.length > 0;
  const year = filter && typeof filter.year === 'number' ? filter.year : null;
  return (
    <div className="tp-history-reason" data-testid="history-exported">
      {tt('history.exported', { format: String(format ?? '').toUpperCase() })}
      {year !== null && tt('audit.exportYear', { year })}
      {full ? tt('audit.exportFull') : tt('audit.exportMasked')}
      {filter && typeof filter.regionCode === 'string' && (
        <>
          {' · '}
          <RegionName code={filter.regionCode} />
        </>
      )}
    </div>
  );
}

/** The changed fields of a registry audit entry with Chinese field labels and code names (export entries as a sentence). */
export function RegistryChanges({ e }: { e: AuditEntry }) {
  const { lang } = useI18n();
  const entity = e.entity === 'members' || e.entity === 'member_moves' ? 'member' : 'household';
  if (e.action === 'export') return <ExportedSummary e={e} />;
  const onlyAfter = e.action === 'insert';
  const onlyBefore = e.action === 'delete';
  const shown = e.changes.filter((c) => {
    if (HIDDEN.has(c.field) || (e.entity !== 'households' && c.field === 'village_code')) return false;
    if (!onlyAfter) return true;
    const v = c.after;
    return !(v === null || v === '' || v === false || v === 'none' || (Array.isArray(v) && v.length === 0));
  });
  if (shown.length === 0) return null;
  return (
    <ul className="tp-changes" data-testid="audit-changes">
      {shown.map((c, i) => (
        <li key={`${c.field}-${i}`} data-testid="audit-change" data-field={c.field}>
          <span className="tp-changes-field">{fieldLabel(entity, fieldKeyOfColumn(c.field), lang)}</span>
          <span className="tp-changes-values">
            {!onlyAfter && (
              <span className={onlyBefore ? undefined : 'tp-changes-before'}>
                <Value entity={e.entity} field={c.field} value={c.before} />
              </span>
            )}
            {!onlyAfter && !onlyBefore && <ArrowRightOutlined className="tp-changes-arrow" />}
            {!onlyBefore && (
              <span className={onlyAfter ? undefined : 'tp-changes-after'}>
                <Value entity={e.entity} field={c.field} value={c.after} />
              </span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function HouseholdHistory({ household, version }: { household: HouseholdDetail; version?: unknown }) {
  const tt = useHhText();
  const { countyCode, id } = household;
  const names = useMemo(() => new Map(household.members.map((m) => [String(m.id), m.name])), [household.members]);
  const load = useCallback(
    (before: string | undefined, limit: number) => call(api.householdHistory, { params: { countyCode, id }, query: { before, limit } }),
    [countyCode, id],
  );
  const entryLabel = useCallback(
    (e: AuditEntry) => {
      const noun = tt(`history.entity.${e.entity}` as HhKey) || e.entity;
      const who = (e.entity === 'members' || e.entity === 'member_moves') && e.entityId ? ` ${names.get(e.entityId) ?? `#${e.entityId}`}` : '';
      const verbKey = `history.action.${e.action}` as HhKey;
      return `${noun}${who} · ${tt(verbKey) || e.action}`;
    },
    [names, tt],
  );
  const renderChanges = useCallback((e: AuditEntry) => <RegistryChanges e={e} />, []);
  return (
    <HistoryPanel
      entity="households" entityId={id} version={version} load={load} queryKey={queryKeyOf(api.householdHistory, { params: { countyCode, id } })}
      entryLabel={entryLabel} renderChanges={renderChanges}
    />
  );
}
