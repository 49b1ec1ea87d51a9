import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { ClockCircleOutlined, EnvironmentOutlined, UserOutlined } from '@ant-design/icons';
import type { AuditEntry } from '@tuopin/domain';
import { api, call } from '../api/client';
import { useI18n } from '../i18n';
import { fmtTime } from '../utils/format';
import { ChangesList, colorOf, entryVerb, useAuditLabels } from './AuditBits';

const PAGE = 20;


/** The change history of one record, from the audit log, newest first. */
export function HistoryPanel({ entity, entityId, version }: { entity: string; entityId: string | number; version?: unknown }) {
  const { t, errorText } = useI18n();
  const labels = useAuditLabels();
  const [items, setItems] = useState<AuditEntry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before?: string) => {
      setLoading(true);
      setError(null);
      try {
        const page = await call(api.auditList, {
          query: { entity, entityId: String(entityId), before, limit: PAGE },
        });
        setItems((old) => (before ? [...old, ...page.items] : page.items));
        setNext(page.nextBefore);
      } catch (e) {
        setError(errorText(e));
      } finally {
        setLoading(false);
      }
    },
    [entity, entityId, errorText],
  );

  useEffect(() => {
    setItems([]);
    setNext(null);
    void load();
  }, [load, version]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (loading && items.length === 0) return <Skeleton active paragraph={{ rows: 4 }} />;
  if (items.length === 0) return <Empty description={t('history.empty')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;

  return (
    <div data-testid="history-panel">
      <Timeline
        items={items.map((e) => ({
          key: e.id,
          color: colorOf(entryVerb(e)),
          content: (
            <div className="tp-history-item" data-testid="history-item">
              <div className="tp-history-time">
                <ClockCircleOutlined /> {fmtTime(e.at)}
              </div>
              <Space size={[8, 4]} wrap>
                <Tag color={colorOf(entryVerb(e))}>{labels.entry(e)}</Tag>
                <span>
                  <UserOutlined /> {e.actorName ?? t('history.system')}
                </span>
                {e.ip && (
                  <Typography.Text type="secondary">
                    <EnvironmentOutlined /> {e.ip}
                  </Typography.Text>
                )}
              </Space>
              {e.reason && (
                <div className="tp-history-reason">
                  <Typography.Text type="secondary">{t('history.reason')}</Typography.Text>
                  {e.reason}
                </div>
              )}
              {e.changes.length > 0 && <ChangesList changes={e.changes} action={e.action} />}
            </div>
          ),
        }))}
      />
      {next && (
        <Button block loading={loading} onClick={() => void load(next)}>
          {t('common.loadMore')}
        </Button>
      )}
    </div>
  );
}
