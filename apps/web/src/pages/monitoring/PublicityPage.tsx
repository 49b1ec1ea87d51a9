import { useSearchParams } from 'react-router-dom';
import { Alert, Button, Empty, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import type { EndpointResponse } from '@tuopin/domain';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/queries';
import { useMe } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { RegionPicker } from '../../components/RegionPicker';
import { useMonLabels } from './shared';
import './monitoring.css';

type List = EndpointResponse<typeof api.publicityList>;

/**
 * The printable publicity list of a village (公示名单): head of household, village, matter, type, risk types and
 * the publicity period — the server sends no ID numbers, phones, bank accounts or health details.
 */
export default function PublicityPage() {
  const { t, errorText } = useI18n();
  const me = useMe();
  const l = useMonLabels();
  const [sp, setSp] = useSearchParams();
  const village = sp.get('village') ?? (me.region.level === 5 ? me.region.code : undefined);
  const publicity = useApiQuery(api.publicityList, village ? { query: { regionCode: village } } : null, { keepPrevious: true });
  const list: List | null = publicity.data ?? null;
  const error = publicity.error ? errorText(publicity.error) : null;
  /** What the list shows for a type or risks not decided yet (an identification without a proposal at the village review) */
  const pending = t('mon.pub.pending');
  return (
    <div data-testid="publicity-page">
      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <RegionPicker value={village} onChange={(c) => { const n = new URLSearchParams(sp); if (c) n.set('village', c); else n.delete('village'); setSp(n, { replace: true }); }}
          placeholder={t('mon.pub.choose')} style={{ width: 300 }} />
        <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!list}>{t('mon.pub.print')}</Button>
      </Space>
      {error && <Alert type="error" title={error} />}
      {!village && <Empty description={t('mon.pub.choose')} />}
      {list && village && (
        <div className="publicity-sheet" data-testid="publicity-sheet">
          <h1>{t('mon.pub.title', { region: list.regionName })}</h1>
          <Typography.Paragraph style={{ textAlign: 'center' }}>{t('mon.pub.subtitle', { days: list.publicityDays })}</Typography.Paragraph>
          {list.entries.length === 0 ? <Empty description={t('mon.pub.empty')} /> : (
            <table>
              <thead>
                <tr>
                  <th>{t('mon.pub.col.no')}</th><th>{t('mon.pub.col.head')}</th><th>{t('mon.col.village')}</th><th>{t('mon.pub.col.size')}</th>
                  <th>{t('mon.pub.col.matter')}</th><th>{t('mon.pub.col.type')}</th><th>{t('mon.pub.col.risks')}</th><th>{t('mon.pub.col.period')}</th>
                </tr>
              </thead>
              <tbody>
                {list.entries.map((e, i) => (
                  <tr key={`${e.countyCode}-${e.procedureId}`} data-testid="publicity-row">
                    <td data-label={t('mon.pub.col.no')}>{i + 1}</td><td data-label={t('mon.pub.col.head')}>{e.headName}</td>
                    <td data-label={t('mon.col.village')}>{e.villageName}</td><td data-label={t('mon.pub.col.size')} data-testid="publicity-size">{e.householdSize}</td>
                    <td data-label={t('mon.pub.col.matter')}>{e.kind === 'identification' ? t('mon.pub.identification') : t('mon.pub.elimination')}</td>
                    <td data-label={t('mon.pub.col.type')} data-testid="publicity-type">{e.kind === 'identification'
                      ? (e.monitoredType ? l.monitoredType(e.monitoredType) : pending)
                      : `${e.eliminationType ? l.eliminationType(e.eliminationType) : pending}（${e.monitoredType ? l.monitoredType(e.monitoredType) : pending}）`}</td>
                    <td data-label={t('mon.pub.col.risks')} data-testid="publicity-risks">{e.riskTypes.length ? l.riskTypes(e.riskTypes) : pending}</td>
                    <td data-label={t('mon.pub.col.period')} data-testid="publicity-period">{e.publicityFrom} – {e.publicityTo}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Typography.Paragraph style={{ textAlign: 'right', marginTop: 16 }}>{list.today}</Typography.Paragraph>
        </div>
      )}
    </div>
  );
}
