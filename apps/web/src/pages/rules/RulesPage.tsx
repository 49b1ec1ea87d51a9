import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Drawer, Empty, Skeleton, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, EyeOutlined, HistoryOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { RuleRecord, RuleVersionRecord } from '@tuopin/domain';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { queryKeyOf, useApiQuery } from '../../api/queries';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { useIsMobile } from '../../utils/hooks';
import { RuleEditor } from './RuleEditor';
import { SeverityTag, useRuleLabels } from './shared';
import './rules.css';

const fmtTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

/** 预警规则: the rules with their current version; the editor and the versions open over the list. */
export default function RulesPage() {
  const { can } = useAuth();
  const { t, lang, errorText } = useI18n();
  const isMobile = useIsMobile();
  const labels = useRuleLabels();
  const canWrite = can('rules:write');
  const [sp, setSp] = useSearchParams();
  const client = useQueryClient();
  const list = useApiQuery(api.rulesList);
  const rules: RuleRecord[] | null = list.data ?? null;
  const error = list.error ? errorText(list.error) : null;
  const [versionsOf, setVersionsOf] = useState<RuleRecord | null>(null);

  // The open editor is kept in the address: ?rule=<id> or ?rule=new.
  const open = sp.get('rule');
  const setOpen = (id: string | null) => {
    const next = new URLSearchParams(sp);
    if (id) next.set('rule', id);
    else next.delete('rule');
    setSp(next, { replace: true });
  };

  // The saved rule replaces its row at once (the editor's save also refetches the rules: keys.rules).
  const saved = (r: RuleRecord) => {
    client.setQueryData<RuleRecord[]>(queryKeyOf(api.rulesList), (old) => {
      if (!old) return [r];
      return old.some((x) => x.id === r.id) ? old.map((x) => (x.id === r.id ? r : x)) : [...old, r];
    });
    if (open === 'new') setOpen(r.id);
  };

  const name = (r: RuleRecord) => (lang === 'en' && r.nameEn ? r.nameEn : r.name);
  // undefined: nothing to show (the list is loading, the rule is unknown, or a reader asked for a new rule)
  const editing = open === 'new' ? (canWrite ? null : undefined) : rules?.find((r) => r.id === open);

  const actions = (r: RuleRecord) => (
    <span className="tp-r-actions">
      <Button size="small" type="link" icon={canWrite && r.editable ? <EditOutlined /> : <EyeOutlined />} onClick={() => setOpen(r.id)} data-testid="rule-open">
        {canWrite && r.editable ? t('rules.edit') : t('rules.view')}
      </Button>
      <Button size="small" type="link" icon={<HistoryOutlined />} onClick={() => setVersionsOf(r)} data-testid="rule-versions">
        {t('rules.versions')}
      </Button>
    </span>
  );

  const columns: TableColumnsType<RuleRecord> = [
    {
      title: t('rules.col.name'),
      key: 'name',
      render: (_: unknown, r) => (
        <div className="tp-r-name-cell">
          <a onClick={() => setOpen(r.id)} className="tp-r-name" data-testid="rule-name-link">
            {name(r)}
          </a>
          <Tag className="tp-r-kind" color={r.builtin ? 'default' : 'purple'} data-testid="rule-kind">
            {r.builtin ? t('rules.builtin') : t('rules.custom')}
          </Tag>
          <Tag className="tp-r-kind" color={r.regionName ? 'cyan' : 'default'} data-testid="rule-region">{r.regionName ?? t('rules.national')}</Tag>
          {r.description && <div className="tp-r-desc">{r.description}</div>}
          <code className="tp-r-expr-preview">{r.expression}</code>
        </div>
      ),
    },
    { title: t('rules.col.severity'), key: 'severity', width: 90, render: (_: unknown, r) => <SeverityTag severity={r.severity} /> },
    { title: t('rules.col.riskType'), key: 'risk', width: 120, render: (_: unknown, r) => <span data-testid="rule-risk">{labels.riskType(r.riskType)}</span> },
    {
      title: t('rules.col.version'),
      key: 'version',
      width: 70,
      render: (_: unknown, r) => (
        <a onClick={() => setVersionsOf(r)} data-testid="rule-version">
          {t('rules.versionN', { n: r.version })}
        </a>
      ),
    },
    {
      title: t('rules.col.active'),
      key: 'active',
      width: 80,
      render: (_: unknown, r) => (
        <Tag color={r.active ? 'green' : 'default'} data-testid="rule-active-tag">
          {r.active ? t('rules.active') : t('rules.inactive')}
        </Tag>
      ),
    },
    {
      title: t('rules.col.updated'),
      key: 'updated',
      width: 150,
      render: (_: unknown, r) => (
        <div className="tp-r-updated">
          <div>{r.updatedBy ?? '—'}</div>
          <Typography.Text type="secondary">{fmtTime(r.updatedAt)}</Typography.Text>
        </div>
      ),
    },
    { title: t('common.actions'), key: 'x', width: 150, render: (_: unknown, r) => actions(r) },
  ];

  const cards = rules && (
    <div className="tp-r-cards">
      {rules.map((r) => (
        <Card key={r.id} size="small" className="tp-r-card" data-testid="rule-row" data-rule={r.id}>
          <div className="tp-r-card-head">
            <a onClick={() => setOpen(r.id)} className="tp-r-name" data-testid="rule-name-link">
              {name(r)}
            </a>
          </div>
          <div className="tp-r-card-tags">
            <SeverityTag severity={r.severity} />
            <Tag>{labels.riskType(r.riskType)}</Tag>
            <Tag color={r.active ? 'green' : 'default'} data-testid="rule-active-tag">
              {r.active ? t('rules.active') : t('rules.inactive')}
            </Tag>
            <Tag color={r.builtin ? 'default' : 'purple'} data-testid="rule-kind">
              {r.builtin ? t('rules.builtin') : t('rules.custom')}
            </Tag>
            <a onClick={() => setVersionsOf(r)} data-testid="rule-version">
              {t('rules.versionN', { n: r.version })}
            </a>
          </div>
          <code className="tp-r-expr-preview">{r.expression}</code>
          <div className="tp-r-card-foot">
            <Typography.Text type="secondary">{t('rules.updatedBy', { user: r.updatedBy ?? '—', time: fmtTime(r.updatedAt) })}</Typography.Text>
            {actions(r)}
          </div>
        </Card>
      ))}
    </div>
  );

  return (
    <div className="tp-r" data-testid="rules-page">
      <PageHeader
        title={t('menu.rules')}
        subtitle={t('rules.subtitle')}
        extra={
          <span className="tp-r-header-actions">
            <Link to="/monitoring/rule-runs">
              <Button icon={<PlayCircleOutlined />} data-testid="rules-to-runs">
                {t('rules.toRuns')}
              </Button>
            </Link>
            {canWrite && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')} data-testid="rule-new">
                {t('rules.new')}
              </Button>
            )}
          </span>
        }
      />
      {!canWrite && <Alert type="info" showIcon title={t('rules.readOnly')} className="tp-r-page-note" data-testid="rules-readonly" />}
      {error && <Alert type="error" showIcon title={error} className="tp-r-page-note" data-testid="rules-error" />}
      <Card
        variant="borderless"
        size="small"
        title={rules && <Typography.Text type="secondary">{t('rules.count', { n: rules.length, active: rules.filter((r) => r.active).length })}</Typography.Text>}
        styles={{ body: { padding: isMobile ? 8 : undefined } }}
      >
        {!rules && !error && <Skeleton active />}
        {rules &&
          (isMobile ? (
            cards
          ) : (
            <Table<RuleRecord>
              size="small"
              rowKey="id"
              columns={columns}
              dataSource={rules}
              pagination={false}
              data-testid="rules-table"
              onRow={(r) => ({ 'data-testid': 'rule-row', 'data-rule': r.id }) as React.HTMLAttributes<HTMLElement>}
            />
          ))}
      </Card>
      {open && editing !== undefined && (
        <RuleEditor rule={editing} canWrite={canWrite && (editing === null || editing.editable)} readOnlyReason={canWrite && editing && !editing.editable ? t(editing.regionName ? 'rules.readOnlyUpper' : 'rules.readOnlyNational') : undefined}
          onClose={() => setOpen(null)} onSaved={saved} />
      )}
      {versionsOf && <VersionsDrawer rule={versionsOf} onClose={() => setVersionsOf(null)} />}
    </div>
  );
}

/** The versions of a rule, newest first, with their expressions and notes. */
function VersionsDrawer({ rule, onClose }: { rule: RuleRecord; onClose: () => void }) {
  const { t, errorText } = useI18n();
  const isMobile = useIsMobile();
  const labels = useRuleLabels();
  const versions = useApiQuery(api.ruleVersions, { params: { id: rule.id } });
  const items: RuleVersionRecord[] | null = versions.data ?? null;
  const error = versions.error ? errorText(versions.error) : null;

  return (
    <Drawer open title={t('rules.versionsTitle', { name: rule.name })} onClose={onClose} size={isMobile ? '100%' : 640} destroyOnHidden>
      <div data-testid="rule-versions-drawer">
        <Typography.Paragraph type="secondary">{t('rules.versionsHint')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} />}
        {!items && !error && <Skeleton active />}
        {items && items.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
        {items && (
          <ol className="tp-r-versions">
            {items.map((v) => (
              <li key={v.version} className="tp-r-version" data-testid="rule-version-item" data-version={v.version}>
                <div className="tp-r-version-head">
                  <Tag color={v.version === rule.version ? 'blue' : 'default'}>{t('rules.versionN', { n: v.version })}</Tag>
                  {v.version === rule.version && <Tag color="green">{t('rules.versionCurrent')}</Tag>}
                  <span className="tp-r-version-name">{v.name}</span>
                </div>
                <div className="tp-r-version-meta">
                  <SeverityTag severity={v.severity} />
                  <Tag>{labels.riskType(v.riskType)}</Tag>
                  <Typography.Text type="secondary">{t('rules.versionBy', { user: v.createdBy ?? '—', time: fmtTime(v.createdAt) })}</Typography.Text>
                </div>
                <div className="tp-r-version-note" data-testid="rule-version-note">
                  {v.note ? t('rules.versionNote', { note: v.note }) : t('rules.versionNoNote')}
                </div>
                <pre className="tp-r-version-expr" data-testid="rule-version-expression">
                  {v.expression}
                </pre>
              </li>
            ))}
          </ol>
        )}
      </div>
    </Drawer>
  );
}
