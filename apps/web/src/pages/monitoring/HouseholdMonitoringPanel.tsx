import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, List, Space, Tag, Tooltip, Typography } from 'antd';
import type { HouseholdMonitoring } from '@tuopin/domain';
import { api, isApiError } from '../../api/client';
import { useApiMutation, useApiQuery } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import type { ServerMessage } from '../../i18n/server';
import { ClueStatusTag, ProcStatusTag, unmetMessage, useMonLabels } from './shared';

/**
 * The monitoring path of one household, for the household page: monitoring episodes (identified, eliminated, the
 * quick flag), the procedures and clues, and the risk-elimination button with every reason it is refused.
 */
export function HouseholdMonitoringPanel({ countyCode, id }: { countyCode: string; id: number }) {
  const { t, errorText, serverText } = useI18n();
  const { message } = App.useApp();
  const { can } = useAuth();
  const l = useMonLabels();
  const navigate = useNavigate();
  const monitoring = useApiQuery(api.householdMonitoring, { params: { countyCode, id } });
  const data: HouseholdMonitoring | null = monitoring.data ?? null;
  const startElimination = useApiMutation(api.eliminationStart, { invalidates: [api.householdMonitoring] });
  // a refused start: the blockers the server named (details by code)
  const [refusal, setRefusal] = useState<ServerMessage[] | null>(null);
  if (!data) return null;
  const start = async () => {
    try {
      const p = await startElimination.mutateAsync({ params: { countyCode, id } });
      navigate(`/monitoring/procedures/${p.countyCode}/${p.id}`);
    } catch (e) {
      if (isApiError(e) && e.details?.length) setRefusal(e.details);
      else message.error(errorText(e));
    }
  };
  const canStart = can('procedures:start');
  const blockers = (refusal ?? (data.elimination && !data.elimination.allowed ? data.elimination.blockers.map(unmetMessage) : null))?.map((b) => serverText(b)) ?? null;
  return (
    <Card size="small" variant="borderless" style={{ marginBottom: 16 }} data-testid="monitoring-panel"
      title={<Space wrap>{t('mon.panel.title')}{data.monitored ? <Tag color="red">{t('mon.panel.monitored')}</Tag> : <Tag>{t('mon.panel.notMonitored')}</Tag>}</Space>}
      extra={data.monitored && data.elimination && canStart && (
        <Button size="small" type="primary" onClick={() => void start()} data-testid="start-elimination">{t('mon.panel.startElimination')}</Button>
      )}>
      {blockers && blockers.length > 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 8 }} data-testid="elimination-blockers" title={t('mon.panel.blocked')}
          description={<ul style={{ margin: 0, paddingLeft: 18 }}>{blockers.map((b) => <li key={b}>{b}</li>)}</ul>} />
      )}
      {data.elimination?.allowed && data.elimination.quick && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('mon.panel.quickWarn')} />}
      {data.records.length === 0 && data.procedures.length === 0 && data.clues.length === 0 && <Typography.Text type="secondary">{t('mon.panel.none')}</Typography.Text>}
      {data.records.length > 0 && (
        <List size="small" header={<Typography.Text strong>{t('mon.panel.episodes')}</Typography.Text>} dataSource={data.records} data-testid="monitoring-records"
          renderItem={(r) => (
            <List.Item>
              <Space wrap size={4}>
                <span>{t('mon.panel.identified', { date: r.identifiedOn })}</span>
                {r.source === 'migrated' ? (
                  <Tooltip title={t('mon.panel.migratedHelp', { from: r.importId ? t('mon.panel.fromImport', { id: r.importId }) : t('mon.panel.fromOther') })}>
                    <Tag color="default" data-testid="record-migrated">{t('mon.panel.migrated')}</Tag>
                  </Tooltip>
                ) : r.identificationId !== null && (
                  <Link to={`/monitoring/procedures/${countyCode}/${r.identificationId}`} data-testid="record-identification">{t('mon.panel.signedHere')}</Link>
                )}
                <Tag color="red">{l.monitoredType(r.monitoredType)}</Tag>
                <span>{l.riskTypes(r.riskTypes)}</span>
                {r.eliminatedOn && <Tag color="green">{t('mon.panel.eliminated', { date: r.eliminatedOn, type: l.eliminationType(r.eliminationType) })}</Tag>}
                {r.quickElimination && <Tag color="orange">{t('mon.proc.quick')}</Tag>}
              </Space>
            </List.Item>
          )} />
      )}
      {data.procedures.length > 0 && (
        <List size="small" header={<Typography.Text strong>{t('mon.panel.procedures')}</Typography.Text>} dataSource={data.procedures}
          renderItem={(p) => (
            <List.Item>
              <Space wrap size={4}>
                <Link to={`/monitoring/procedures/${p.countyCode}/${p.id}`}>{l.kind(p.kind)}</Link>
                <ProcStatusTag status={p.status} />
                {p.step && <span>{l.step(p.kind, p.step)}</span>}
                <Typography.Text type="secondary">{p.startedOn}</Typography.Text>
                {p.overdue && <Tag color="red">{t('mon.proc.overdue')}</Tag>}
              </Space>
            </List.Item>
          )} />
      )}
      {data.clues.length > 0 && (
        <List size="small" header={<Typography.Text strong>{t('mon.panel.clues')}</Typography.Text>} dataSource={data.clues} renderItem={(c) => (
          <List.Item><Space wrap size={4}><span>{l.channel(c.channel)}</span><ClueStatusTag status={c.status} /><Typography.Text type="secondary">{c.foundOn} {c.summary}</Typography.Text></Space></List.Item>
        )} />
      )}
    </Card>
  );
}
