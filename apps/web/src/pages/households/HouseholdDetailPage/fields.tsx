/** Field helpers of the household page: typed reads of the record's fields, yes/no, the description columns. */
import { Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { type HouseholdDetail } from '@tuopin/domain';
import { useI18n } from '../../../i18n';

export type Member = HouseholdDetail['members'][number];
export type IncomeYear = HouseholdDetail['incomes'][number];
export type StatusYear = HouseholdDetail['statuses'][number];
export type Fields = Record<string, unknown>;

export const DESC_COLUMNS: DescriptionsProps['column'] = { xs: 1, sm: 2, lg: 3 };

// ------------------------------------------------------------------------------------------
// Field helpers

export const str = (f: Fields, k: string): string | null => (typeof f[k] === 'string' && f[k] !== '' ? (f[k] as string) : null);
export const numOf = (f: Fields, k: string): number | null => (typeof f[k] === 'number' ? (f[k] as number) : null);
export const boolOf = (f: Fields, k: string): boolean | null => (typeof f[k] === 'boolean' ? (f[k] as boolean) : null);
export const arr = (f: Fields, k: string): string[] => (Array.isArray(f[k]) ? (f[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

export function YesNo({ value, badWhen }: { value: boolean | null; badWhen?: boolean }) {
  const { t } = useI18n();
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = value ? t('common.yes') : t('common.no');
  return badWhen !== undefined && value === badWhen ? <span className="tp-hh-danger">{text}</span> : <>{text}</>;
}

export const dash = <Typography.Text type="secondary">—</Typography.Text>;
