/** Field helpers of the household page: the record's typed fields, yes/no, a titled group of fields, the description columns. */
import { Descriptions, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { type HouseholdDetail } from '@tuopin/domain';
import { useI18n } from '../../../i18n';

export type Member = HouseholdDetail['members'][number];
export type IncomeYear = HouseholdDetail['incomes'][number];
export type StatusYear = HouseholdDetail['statuses'][number];
/** The household's fields as the contract types them (codes, numbers, booleans; null when not recorded). */
export type Fields = HouseholdDetail['fields'];

export const DESC_COLUMNS: DescriptionsProps['column'] = { xs: 1, sm: 2, lg: 3 };

/** A text field for display: null when empty. */
export const text = (v: string | null): string | null => (v === null || v === '' ? null : v);

/** A titled, bordered group of fields (the sections of the household page). */
export function FieldGroup({ title, items }: { title: string; items: DescriptionsProps['items'] }) {
  return <Descriptions title={title} size="small" bordered column={DESC_COLUMNS} items={items} />;
}

export function YesNo({ value, badWhen }: { value: boolean | null; badWhen?: boolean }) {
  const { t } = useI18n();
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = value ? t('common.yes') : t('common.no');
  return badWhen !== undefined && value === badWhen ? <span className="tp-hh-danger">{text}</span> : <>{text}</>;
}

export const dash = <Typography.Text type="secondary">—</Typography.Text>;
