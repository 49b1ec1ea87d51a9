import { useState } from 'react';
import { Alert, Button, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { EndpointResponse } from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery, useRefetchOn } from '../../api/queries';
import { useI18n } from '../../i18n';
import { FindingLine } from './shared';
import './quality.css';

type Live = EndpointResponse<typeof api.qualityHousehold>;
const SHOWN = 5;

/**
 * The household's data-quality findings now (checked live on the server), shown above the household page.
 * `version` changes whenever the household is reloaded (after an edit), which checks it again.
 */
export function HouseholdQualityAlert({ countyCode, id, version }: { countyCode: string; id: number; version?: unknown }) {
  const { t } = useI18n();
  const check = useApiQuery(api.qualityHousehold, { params: { countyCode, id } }, { keepPrevious: true });
  useRefetchOn(check.refetch, version);
  const live: Live | null = check.data ?? null;
  const [all, setAll] = useState(false);

  if (!live) return null;
  const h = live.household;
  if (h.findings.length === 0) {
    return <Alert type="success" showIcon title={t('quality.alert.clean', { year: live.year })} className="tp-q-alert" data-testid="household-quality" data-count={0} />;
  }
  const shown = all ? h.findings : h.findings.slice(0, SHOWN);
  return (
    <Alert
      type={h.errors > 0 ? 'error' : 'warning'}
      showIcon
      className="tp-q-alert"
      data-testid="household-quality"
      data-count={h.findings.length}
      title={
        <span>
          {t('quality.alert.title', { year: live.year, errors: h.errors, warnings: h.warnings })}{' '}
          <Link to={`/quality?region=${h.village.code}`} className="tp-q-alert-link" data-testid="household-quality-link">
            {t('menu.quality')}
          </Link>
        </span>
      }
      description={
        <>
          <ul className="tp-q-findings">
            {shown.map((f, i) => (
              <FindingLine key={i} f={f} />
            ))}
          </ul>
          {h.findings.length > SHOWN && (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setAll((v) => !v)} data-testid="household-quality-more">
              {all ? t('quality.alert.less') : t('quality.alert.more', { n: h.findings.length - SHOWN })}
            </Button>
          )}
          <Typography.Text type="secondary" className="tp-q-alert-hint">
            {t('quality.alert.hint')}
          </Typography.Text>
        </>
      }
    />
  );
}
