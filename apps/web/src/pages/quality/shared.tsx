/** Pieces shared by the data-quality page and the household page's quality alert. */
import { Tag, Tooltip } from 'antd';
import { fieldName, qualityRuleLabel, type QualityFinding } from '@tuopin/domain';
import { useI18n } from '../../i18n';

export function SeverityTag({ severity }: { severity: 'error' | 'warning' }) {
  const { t } = useI18n();
  return (
    <Tag color={severity === 'error' ? 'error' : 'warning'} className="tp-q-sev" data-testid="quality-severity-tag" data-severity={severity}>
      {t(severity === 'error' ? 'quality.severity.error' : 'quality.severity.warning')}
    </Tag>
  );
}

/**
 * One finding: severity, the field in question and the message (which names the member), in the current language:
 * the message by its catalogue code (a finding stored before the codes: its Chinese text), the rule and the field
 * by their names in the domain.
 */
export function FindingLine({ f }: { f: QualityFinding }) {
  const { lang, serverText } = useI18n();
  return (
    <li className="tp-q-finding" data-testid="quality-finding" data-check={f.checkId}>
      <Tooltip title={lang === 'zh' ? f.checkName : qualityRuleLabel(f.checkId, lang)}>
        <span>
          <SeverityTag severity={f.severity} />
        </span>
      </Tooltip>
      <Tag variant="filled" className="tp-q-finding-field" data-testid="quality-finding-field">
        {lang === 'zh' ? f.fieldLabel : fieldName(f.fieldLabel).en}
      </Tag>
      <span className="tp-q-finding-message" data-testid="quality-finding-message">
        {serverText(f)}
      </span>
    </li>
  );
}
