import { Tag } from 'antd';
import { HOUSEHOLD_STATUSES, label, RISK_TYPES, type RuleSeverity } from '@tuopin/domain';
import { useI18n, type MsgKey } from '../../i18n';

const SEVERITY_COLORS: Record<RuleSeverity, string> = { high: 'red', medium: 'orange', low: 'blue' };

export const CURRENT_YEAR = new Date().getFullYear();
/** Assessment years offered by the pages (newest first). */
export const YEARS = Array.from({ length: CURRENT_YEAR - 2014 + 1 }, (_, i) => CURRENT_YEAR - i);

export function SeverityTag({ severity }: { severity: RuleSeverity }) {
  const { t } = useI18n();
  return (
    <Tag color={SEVERITY_COLORS[severity]} className="tp-r-severity" data-testid="rule-severity">
      {t(`rules.severity.${severity}` as MsgKey)}
    </Tag>
  );
}

/** Labels of the code tables the rule pages show, in the current language. */
export function useRuleLabels() {
  const { lang } = useI18n();
  return {
    riskType: (code: string) => label(RISK_TYPES, code, lang) ?? code,
    status: (code: string) => label(HOUSEHOLD_STATUSES, code, lang) ?? code,
  };
}

/** Yuan with thousands separators and at most two decimals. */
export function fmtYuan(v: number): string {
  return v.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}
