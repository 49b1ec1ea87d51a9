/**
 * The household page (户详情): header, basic fields, the sections as tabs (cards on a phone), and the registry forms.
 * Sections live in their own files beside this one; the record is server state (TanStack Query), the open form is one
 * piece of state (useDialogs).
 */
import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Descriptions, Result, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { HOUSEHOLD_ATTRIBUTES, HOUSING_RATINGS, POVERTY_CAUSES, type HouseholdDetail } from '@tuopin/domain';
import { useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../../api/client';
import { queryKeyOf, useApiQuery } from '../../../api/queries';
import { useAuth } from '../../../auth/AuthContext';
import { useI18n } from '../../../i18n';
import { PageHeader } from '../../../components/PageHeader';
import { useIsMobile } from '../../../utils/hooks';
import { HouseholdQualityAlert } from '../../quality/HouseholdQualityAlert';
import { HouseholdMonitoringPanel } from '../../monitoring/HouseholdMonitoringPanel';
import { HouseholdExitPanel } from '../../exit/HouseholdExitPanel';
import { HouseholdRulesPanel } from '../../rules/HouseholdRulesPanel';
import { MeasuresSection } from '../MeasuresSection';
import { isDangerousHousing, MonitoredTag, StatusTag, useCodeLabel } from '../shared';
import { HouseholdFormDrawer, IncomeFormDrawer, MemberFormDrawer, MoveMemberModal, StatusFormDrawer } from '../forms';
import { useHhText } from '../messages';
import { HouseholdHistory } from '../HouseholdHistory';
import { DESC_COLUMNS, text, YesNo } from './fields';
import { MembersSection } from './MembersSection';
import { IncomeSection } from './IncomeSection';
import { ConditionsSection, SecuritySection, StatusSection } from './ConditionsSections';
import { useDialogs } from './dialogs';
import '../households.css';

// ------------------------------------------------------------------------------------------

function NotFoundResult() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title={t('household.notFound')}
      subTitle={t('household.notFoundHint')}
      data-testid="household-not-found"
      extra={
        <Link to="/households">
          <Button type="primary" icon={<ArrowLeftOutlined />}>
            {t('household.back')}
          </Button>
        </Link>
      }
    />
  );
}

export default function HouseholdDetailPage() {
  const params = useParams<{ countyCode: string; id: string }>();
  const { can } = useAuth();
  const { t, errorText } = useI18n();
  const codeLabel = useCodeLabel();
  const { modal } = App.useApp();
  const isMobile = useIsMobile();
  const navigate = useNavigate();

  const countyCode = params.countyCode ?? '';
  const id = Number(params.id);
  const validParams = /^\d{6}$/.test(countyCode) && Number.isInteger(id) && id >= 1 && /^\d+$/.test(params.id ?? '');

  const [reveal, setReveal] = useState(false);
  const client = useQueryClient();
  const input = { params: { countyCode, id }, query: reveal ? { reveal: true as const } : {} };
  // the shown record stays while another one (full numbers, or the next household) loads, as before
  const record = useApiQuery(api.householdGet, validParams ? input : null, { keepPrevious: true });
  const data = record.data ?? null;
  const loading = record.isFetching;
  const error = record.error && !record.isFetching ? { notFound: isApiError(record.error) && record.error.status === 404, text: errorText(record.error) } : null;
  const canReveal = can('households:reveal');
  const canWrite = can('households:write');
  const canWriteMembers = can('members:write');
  const canWriteMeasures = can('measures:write');
  const tt = useHhText();
  /** The one open form (household, member, move, income, status) or none. */
  const dialogs = useDialogs();
  /** The open tab lives in the address (?tab=income): kept across reloads, and shareable. */
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get('tab');
  const setTab = (key: string) =>
    setSearchParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (key === 'members') next.delete('tab');
        else next.set('tab', key);
        return next;
      },
      { replace: true },
    );
  const [savedIncomeYear, setSavedIncomeYear] = useState<number | undefined>(undefined);
  /** A saved change: show the answer, or load again when full numbers are shown (the answer is masked). */
  const onSaved = (d: HouseholdDetail) => {
    dialogs.close();
    if (reveal) void record.refetch();
    else client.setQueryData(queryKeyOf(api.householdGet, input), d);
  };

  if (!validParams || error?.notFound) return <NotFoundResult />;

  const askReveal = () => {
    modal.confirm({
      title: t('household.revealTitle'),
      content: t('household.revealWarn'),
      okText: t('household.revealOk'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'household-reveal-ok' },
      onOk: () => setReveal(true),
    });
  };

  const backButton = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/households'))} data-testid="household-back">
      {t('household.back')}
    </Button>
  );

  if (error) {
    return (
      <div data-testid="household-page">
        <PageHeader title={t('menu.households')} extra={backButton} />
        <Alert
          type="error"
          showIcon
          title={error.text}
          action={
            <Button size="small" icon={<ReloadOutlined />} onClick={() => void record.refetch()}>
              {t('common.refresh')}
            </Button>
          }
        />
      </div>
    );
  }

  if (!data) {
    return (
      <div data-testid="household-page">
        <Card variant="borderless">
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </div>
    );
  }

  const f = data.fields;
  const head = data.members.find((m) => m.active && m.relation === 'head');
  const latest = [...data.statuses].sort((a, b) => b.year - a.year)[0];
  const activeCount = data.members.filter((m) => m.active).length;
  const attribute = f.attribute;
  const rating = f.housingRating;
  const otherCauses = f.otherCauses;
  const identifiedYear = f.identifiedYear;
  const exitYear = f.exitYear;

  const header = (
    <PageHeader
      title={
        <span className="tp-hh-head-title">
          <span data-testid="household-head">{head?.name ?? t('households.noHead')}</span>
          <Typography.Text type="secondary" className="tp-mono" style={{ fontSize: 14, fontWeight: 'normal' }} data-testid="household-no">
            {data.householdNo}
          </Typography.Text>
        </span>
      }
      subtitle={
        <>
          <span data-testid="household-village">{data.village.fullName}</span>
          <span className="tp-hh-head-tags">
            {latest ? (
              <>
                <Typography.Text type="secondary">{t('household.statusOfYear', { year: latest.year })}</Typography.Text>
                <StatusTag status={latest.status} testId="household-status" />
                {latest.monitored && <MonitoredTag type={latest.monitoredType} testId="household-monitored" />}
              </>
            ) : (
              <StatusTag status={null} testId="household-status" />
            )}
            {attribute && <Tag style={{ marginInlineEnd: 0 }}>{codeLabel(HOUSEHOLD_ATTRIBUTES, attribute)}</Tag>}
            {isDangerousHousing(rating) && (
              <Tag color="red" style={{ marginInlineEnd: 0 }}>
                {t('cond.dangerous')} · {codeLabel(HOUSING_RATINGS, rating)}
              </Tag>
            )}
          </span>
        </>
      }
      extra={
        <Space wrap>
          {backButton}
          {canWrite && (
            <Button icon={<EditOutlined />} onClick={() => dialogs.open({ kind: 'household' })} data-testid="household-edit">
              {tt('hh.edit')}
            </Button>
          )}
          {canWriteMembers && (
            <Button icon={<PlusOutlined />} onClick={() => dialogs.open({ kind: 'member', member: null })} data-testid="member-add">
              {tt('member.add')}
            </Button>
          )}
          {canReveal &&
            (reveal ? (
              <Button icon={<EyeInvisibleOutlined />} onClick={() => setReveal(false)} data-testid="household-hide">
                {t('household.hide')}
              </Button>
            ) : (
              <Button icon={<EyeOutlined />} onClick={askReveal} loading={loading} data-testid="household-reveal">
                {t('household.reveal')}
              </Button>
            ))}
        </Space>
      }
    />
  );

  const basic = (
    <Card variant="borderless" title={t('household.basic')} size="small" style={{ marginBottom: 16 }}>
      <Descriptions
        size="small"
        column={DESC_COLUMNS}
        items={[
          { key: 'no', label: t('household.householdNo'), children: <span className="tp-mono">{data.householdNo}</span> },
          { key: 'size', label: t('household.size'), children: t('households.persons', { n: activeCount }) },
          { key: 'attribute', label: t('household.attribute'), children: codeLabel(HOUSEHOLD_ATTRIBUTES, attribute) },
          { key: 'cause', label: t('household.mainCause'), children: codeLabel(POVERTY_CAUSES, f.mainCause) },
          {
            key: 'other',
            label: t('household.otherCauses'),
            children: otherCauses.length > 0 ? otherCauses.map((c) => codeLabel(POVERTY_CAUSES, c)).join('、') : '—',
          },
          { key: 'identified', label: t('household.identifiedYear'), children: identifiedYear ?? '—' },
          { key: 'exit', label: t('household.exitYear'), children: exitYear ?? '—' },
          { key: 'phone', label: t('household.phone'), children: <span className="tp-mono">{text(f.phone) ?? '—'}</span> },
          { key: 'military', label: t('household.military'), children: <YesNo value={f.isMilitaryFamily} /> },
          { key: 'address', label: t('household.address'), children: text(f.address) ?? '—' },
        ]}
      />
    </Card>
  );

  const sections: { key: string; label: string; children: ReactNode }[] = [
    {
      key: 'members',
      label: t('household.tab.members'),
      children: (
        <MembersSection
          members={data.members}
          actions={canWriteMembers ? { onEdit: (m) => dialogs.open({ kind: 'member', member: m }), onMove: (m) => dialogs.open({ kind: 'move', member: m }) } : null}
        />
      ),
    },
    {
      key: 'income',
      label: t('household.tab.income'),
      children: (
        <IncomeSection
          incomes={data.incomes}
          lines={data.incomeLines}
          shownYear={savedIncomeYear}
          actions={canWrite ? { onAdd: () => dialogs.open({ kind: 'income', year: null }), onEdit: (year) => dialogs.open({ kind: 'income', year }) } : null}
        />
      ),
    },
    { key: 'conditions', label: t('household.tab.conditions'), children: <ConditionsSection f={f} /> },
    { key: 'security', label: t('household.tab.security'), children: <SecuritySection f={f} members={data.members} /> },
    {
      key: 'status',
      label: t('household.tab.status'),
      children: (
        <StatusSection
          statuses={data.statuses}
          actions={canWrite ? { onAdd: () => dialogs.open({ kind: 'status', year: null }), onEdit: (year) => dialogs.open({ kind: 'status', year }) } : null}
        />
      ),
    },
    {
      key: 'measures',
      label: t('household.tab.measures'),
      children: <MeasuresSection countyCode={data.countyCode} id={data.id} canWrite={canWriteMeasures} />,
    },
    {
      key: 'history',
      label: t('household.tab.history'),
      children: <HouseholdHistory household={data} version={data} />,
    },
  ];

  return (
    <div data-testid="household-page">
      {header}
      {reveal && (
        <Alert type="warning" showIcon title={t('household.revealed')} style={{ marginBottom: 16 }} data-testid="household-revealed" />
      )}
      <HouseholdQualityAlert countyCode={data.countyCode} id={data.id} version={data} />
      <HouseholdMonitoringPanel countyCode={data.countyCode} id={data.id} />
      <HouseholdRulesPanel countyCode={data.countyCode} id={data.id} version={data} />
      <HouseholdExitPanel countyCode={data.countyCode} id={data.id} version={data} />
      {basic}
      {(canWrite || canWriteMembers) && (
        <>
          <HouseholdFormDrawer open={dialogs.household} household={data} onClose={dialogs.close} onSaved={onSaved} />
          <MemberFormDrawer open={dialogs.member !== null} household={data} member={dialogs.member?.member ?? null} onClose={dialogs.close} onSaved={onSaved} />
          <MoveMemberModal open={dialogs.moving !== null} household={data} member={dialogs.moving} onClose={dialogs.close} onSaved={onSaved} />
          <IncomeFormDrawer
            open={dialogs.income !== null}
            household={data}
            year={dialogs.income?.year ?? null}
            onClose={dialogs.close}
            onSaved={(d, year) => {
              setSavedIncomeYear(year);
              onSaved(d);
            }}
          />
          <StatusFormDrawer open={dialogs.status !== null} household={data} year={dialogs.status?.year ?? null} onClose={dialogs.close} onSaved={onSaved} />
        </>
      )}
      {isMobile ? (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {sections.map((s) => (
            <Card key={s.key} variant="borderless" size="small" title={s.label} data-testid={`household-section-${s.key}`}>
              {s.children}
            </Card>
          ))}
        </Space>
      ) : (
        <Card variant="borderless" styles={{ body: { paddingTop: 4 } }}>
          <Tabs
            items={sections}
            activeKey={sections.some((x) => x.key === tab) ? (tab as string) : 'members'}
            onChange={setTab}
            destroyOnHidden={false}
            data-testid="household-tabs"
          />
        </Card>
      )}
    </div>
  );
}
