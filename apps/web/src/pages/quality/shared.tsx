/** Pieces shared by the data-quality page and the household page's quality alert. */
import { Tag, Tooltip } from 'antd';
import type { QualityFinding } from '@tuopin/domain';
import { useI18n } from '../../i18n';

export function SeverityTag({ severity }: { severity: 'error' | 'warning' }) {
  const { t } = useI18n();
  return (
    <Tag color={severity === 'error' ? 'error' : 'warning'} className="tp-q-sev" data-testid="quality-severity-tag" data-severity={severity}>
      {t(severity === 'error' ? 'quality.severity.error' : 'quality.severity.warning')}
    </Tag>
  );
}

/** One finding: severity, the field in question and the message (which names the member). */
export function FindingLine({ f }: { f: QualityFinding }) {
  const { serverText } = useI18n();
  return (
    <li className="tp-q-finding" data-testid="quality-finding" data-check={f.checkId}>
      <Tooltip title={f.checkName}>
        <span>
          <SeverityTag severity={f.severity} />
        </span>
      </Tooltip>
      <Tag variant="filled" className="tp-q-finding-field" data-testid="quality-finding-field">
        {f.fieldLabel}
      </Tag>
      <span className="tp-q-finding-message" data-testid="quality-finding-message">
        {serverText(f.message)}
      </span>
    </li>
  );
}
