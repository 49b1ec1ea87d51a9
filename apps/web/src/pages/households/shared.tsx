/** Small pieces shared by the household pages: code labels, status tags, money. */
import { useCallback } from 'react';
import { Tag, Tooltip, Typography } from 'antd';
import { formatYuan, HOUSEHOLD_STATUSES, label, MONITORED_TYPES, type CodeTable } from '@tuopin/domain';
import { useI18n } from '../../i18n';

/**
 * Per-capita net income below this is shown in red. Seeds 000, 001 and 004 (DOMAIN.md §5): exited
 * households below 5,000 yuan are unstable and must be monitored. To be replaced by the province's
 * monitoring line of the year once the server provides it.
 */
export const INCOME_WARNING_LINE = 5000;

/** Housing ratings that make a house dangerous (C / D). */
export const isDangerousHousing = (rating: string | null | undefined) => rating === 'C' || rating === 'D';

/** The label of a code in the current language; '—' when missing, 未知 / Unknown for a code not in the table (never the raw code). */
export function useCodeLabel() {
  const { lang, t } = useI18n();
  return useCallback(
    (table: CodeTable, code: string | number | null | undefined): string => {
      if (code === null || code === undefined || code === '') return '—';
      return label(table, String(code), lang) ?? t('households.unknownCode');
    },
    [lang, t],
  );
}

const STATUS_COLORS: Record<string, string> = {
  ordinary: 'default',
  poor: 'volcano',
  exited: 'green',
  returned: 'red',
};

/** 户状态 of a year as a coloured tag. */
export function StatusTag({ status, testId }: { status: string | null | undefined; testId?: string }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  if (!status) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('households.noStatus')}
      </Typography.Text>
    );
  }
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {codeLabel(HOUSEHOLD_STATUSES, status)}
    </Tag>
  );
}

/** 监测户 tag, with the monitored type when known. */
export function MonitoredTag({ type, testId }: { type?: string | null; testId?: string }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  return (
    <Tag color="orange" data-testid={testId} style={{ marginInlineEnd: 0 }}>
      {t('households.monitoredTag')}
      {type ? ` · ${codeLabel(MONITORED_TYPES, type)}` : ''}
    </Tag>
  );
}

/**
 * A yuan amount with thousands separators and two decimals; red below the warning line, or below `line` (a line of
 * the year from the policy settings, named by `lineLabel`) when given.
 */
export function Money({ value, warn = false, testId, line, lineLabel }: { value: number | null | undefined; warn?: boolean; testId?: string; line?: number; lineLabel?: string }) {
  const { t } = useI18n();
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  const low = warn && value < (line ?? INCOME_WARNING_LINE);
  const text = (
    <span className={low ? 'tp-hh-money tp-hh-danger' : 'tp-hh-money'} data-testid={testId} data-below={low ? 'true' : undefined}>
      {formatYuan(value)}
    </span>
  );
  const tip = line !== undefined ? t('households.belowLine', { line: lineLabel ?? '', value: formatYuan(line) }) : t('households.belowWarning');
  return low ? <Tooltip title={tip}>{text}</Tooltip> : text;
}
