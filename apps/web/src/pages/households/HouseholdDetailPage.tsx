import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Result,
  Segmented,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { DescriptionsProps, TableColumnsType } from 'antd';
import { ArrowLeftOutlined, EditOutlined, EyeInvisibleOutlined, EyeOutlined, LogoutOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import {
  DIBAO_TYPES,
  DISABILITY_CATEGORIES,
  DISABILITY_GRADES,
  DROPOUT_REASONS,
  EDUCATION_LEVELS,
  ETHNICITIES,
  explainIncome,
  formatYuan,
  FUELS,
  HEALTH_CONDITIONS,
  HOUSEHOLD_ATTRIBUTES,
  HOUSING_RATINGS,
  INCOME_GROUPS,
  INCOME_ITEMS,
  incomeTotals,
  LABOUR_SKILLS,
  MEDICAL_INSURANCES,
  POVERTY_CAUSES,
  RELATIONS,
  RISK_TYPES,
  ROAD_TYPES,
  SCHOOL_STATUSES,
  SEXES,
  TEKUN_TYPES,
  WATER_PROBLEMS,
  WORK_PLACES,
  type HouseholdDetail,
} from '@tuopin/domain';
import { api, call, isApiError } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { useI18n } from '../../i18n';
import { PageHeader } from '../../components/PageHeader';
import { EChart, type EChartsCoreOption } from '../../components/EChart';
import { useIsMobile } from '../../utils/hooks';
import { HouseholdQualityAlert } from '../quality/HouseholdQualityAlert';
import { HouseholdMonitoringPanel } from '../monitoring/HouseholdMonitoringPanel';
import { HouseholdExitPanel } from '../exit/HouseholdExitPanel';
import { HouseholdRulesPanel } from '../rules/HouseholdRulesPanel';
import { MeasuresSection } from './MeasuresSection';
import { isDangerousHousing, MonitoredTag, Money, StatusTag, useCodeLabel } from './shared';
import { HouseholdFormDrawer, IncomeFormDrawer, MemberFormDrawer, MoveMemberModal, StatusFormDrawer } from './forms';
import { useHhText } from './messages';
import { HouseholdHistory } from './HouseholdHistory';
import './households.css';

// the line of each year (exit standard / monitoring line) over the bars
echarts.use([LineChart]);

type Member = HouseholdDetail['members'][number];
type IncomeYear = HouseholdDetail['incomes'][number];
type StatusYear = HouseholdDetail['statuses'][number];
type Fields = Record<string, unknown>;

const DESC_COLUMNS: DescriptionsProps['column'] = { xs: 1, sm: 2, lg: 3 };

// ------------------------------------------------------------------------------------------
// Field helpers

const str = (f: Fields, k: string): string | null => (typeof f[k] === 'string' && f[k] !== '' ? (f[k] as string) : null);
const numOf = (f: Fields, k: string): number | null => (typeof f[k] === 'number' ? (f[k] as number) : null);
const boolOf = (f: Fields, k: string): boolean | null => (typeof f[k] === 'boolean' ? (f[k] as boolean) : null);
const arr = (f: Fields, k: string): string[] => (Array.isArray(f[k]) ? (f[k] as unknown[]).filter((x): x is string => typeof x === 'string') : []);

function YesNo({ value, badWhen }: { value: boolean | null; badWhen?: boolean }) {
  const { t } = useI18n();
  if (value === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const text = value ? t('common.yes') : t('common.no');
  return badWhen !== undefined && value === badWhen ? <span className="tp-hh-danger">{text}</span> : <>{text}</>;
}

const dash = <Typography.Text type="secondary">—</Typography.Text>;

// ------------------------------------------------------------------------------------------
// 家庭成员

function HealthTags({ m }: { m: Member }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  if (m.health.length === 0) return dash;
  return (
    <Space size={[4, 4]} wrap>
      {m.health.map((h) => {
        const disability =
          h === 'disabled' && (m.disabilityCategory !== null || m.disabilityGrade !== null)
            ? ` · ${t('member.disability', {
                category: m.disabilityCategory !== null ? codeLabel(DISABILITY_CATEGORIES, m.disabilityCategory) : '',
                grade: m.disabilityGrade !== null ? codeLabel(DISABILITY_GRADES, m.disabilityGrade) : '',
              }).trim()}`
            : '';
        return (
          <Tag key={h} color={h === 'healthy' ? 'green' : h === 'serious_illness' ? 'red' : 'orange'} style={{ marginInlineEnd: 0 }}>
            {codeLabel(HEALTH_CONDITIONS, h)}
            {disability}
          </Tag>
        );
      })}
    </Space>
  );
}

function Insurance({ m }: { m: Member }) {
  const codeLabel = useCodeLabel();
  const uninsured = m.medicalInsurance === null || m.medicalInsurance === 'none';
  return (
    <span className={uninsured ? 'tp-hh-danger' : undefined} data-testid="member-insurance">
      {m.medicalInsurance === null ? codeLabel(MEDICAL_INSURANCES, 'none') : codeLabel(MEDICAL_INSURANCES, m.medicalInsurance)}
    </span>
  );
}

function Work({ m }: { m: Member }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  const parts: string[] = [];
  if (m.workPlace) parts.push(codeLabel(WORK_PLACES, m.workPlace));
  if (m.workMonths !== null && m.workMonths > 0) parts.push(t('member.workMonths', { n: m.workMonths }));
  if (m.employer) parts.push(m.employer);
  if (m.publicWelfareMonths !== null && m.publicWelfareMonths > 0) parts.push(t('member.publicWelfare', { n: m.publicWelfareMonths }));
  return parts.length > 0 ? <span>{parts.join(' · ')}</span> : dash;
}

function School({ m }: { m: Member }) {
  const codeLabel = useCodeLabel();
  if (!m.schoolStatus) return dash;
  return (
    <span>
      {codeLabel(SCHOOL_STATUSES, m.schoolStatus)}
      {m.dropoutReason && <Typography.Text type="danger">（{codeLabel(DROPOUT_REASONS, m.dropoutReason)}）</Typography.Text>}
    </span>
  );
}

function LeftNote({ m }: { m: Member }) {
  const { t } = useI18n();
  return (
    <div className="tp-hh-left-note">
      <Tag style={{ marginInlineEnd: 4 }}>{t('member.leftBadge')}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
        {m.leftOn ? t('member.leftOn', { date: m.leftOn }) : ''}
        {m.leftReason ? `${m.leftOn ? '：' : ''}${m.leftReason}` : ''}
      </Typography.Text>
    </div>
  );
}

/** Edit / move buttons of an active member, for roles that may change the registry. */
type MemberActions = { onEdit: (m: Member) => void; onMove: (m: Member) => void } | null;

function MemberButtons({ m, actions }: { m: Member; actions: MemberActions }) {
  const tt = useHhText();
  if (!actions || !m.active) return null;
  return (
    <Space size={4} wrap>
      <Button size="small" icon={<EditOutlined />} onClick={() => actions.onEdit(m)} data-testid="member-edit">
        {tt('member.edit')}
      </Button>
      <Button size="small" icon={<LogoutOutlined />} onClick={() => actions.onMove(m)} data-testid="member-move">
        {tt('member.move')}
      </Button>
    </Space>
  );
}

function MembersSection({ members, actions }: { members: Member[]; actions: MemberActions }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  const isMobile = useIsMobile();
  const active = members.filter((m) => m.active);
  const left = members.filter((m) => !m.active);

  if (members.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('member.none')} />;

  if (isMobile) {
    const card = (m: Member) => (
      <div key={m.id} className={m.active ? 'tp-hh-member-card' : 'tp-hh-member-card tp-hh-left'} data-testid="member-card">
        <div className="tp-hh-member-card-top">
          <Typography.Text strong style={m.active ? undefined : { color: 'inherit' }}>
            {m.name}
          </Typography.Text>
          <span>
            {codeLabel(RELATIONS, m.relation)} · {codeLabel(SEXES, m.sex)}
            {m.age !== null ? ` · ${t('member.ageN', { n: m.age })}` : ''}
          </span>
        </div>
        {!m.active && <LeftNote m={m} />}
        <dl>
          <dt>{t('member.idNumber')}</dt>
          <dd className="tp-mono" data-testid="member-id">
            {m.idNumber}
          </dd>
          <dt>{t('member.health')}</dt>
          <dd>
            <HealthTags m={m} />
          </dd>
          <dt>{t('member.labour')}</dt>
          <dd>{codeLabel(LABOUR_SKILLS, m.labour)}</dd>
          <dt>{t('member.school')}</dt>
          <dd>
            <School m={m} />
          </dd>
          <dt>{t('member.insurance')}</dt>
          <dd>
            <Insurance m={m} />
          </dd>
          <dt>{t('member.work')}</dt>
          <dd>
            <Work m={m} />
          </dd>
          {m.phone && (
            <>
              <dt>{t('member.phone')}</dt>
              <dd className="tp-mono">{m.phone}</dd>
            </>
          )}
        </dl>
        {actions && m.active && (
          <div style={{ marginTop: 8 }}>
            <MemberButtons m={m} actions={actions} />
          </div>
        )}
      </div>
    );
    return (
      <Space orientation="vertical" size={10} style={{ width: '100%' }} data-testid="members">
        <Typography.Text type="secondary">{t('member.active', { n: active.length })}</Typography.Text>
        {active.map(card)}
        {left.length > 0 && <Typography.Text type="secondary">{t('member.left', { n: left.length })}</Typography.Text>}
        {left.map(card)}
      </Space>
    );
  }

  const columns: TableColumnsType<Member> = [
    {
      title: t('member.name'),
      dataIndex: 'name',
      width: 96,
      fixed: 'left',
      render: (v: string, m) => (
        <div>
          <Typography.Text strong={m.active} style={m.active ? undefined : { color: 'inherit' }}>
            {v}
          </Typography.Text>
          {!m.active && <LeftNote m={m} />}
        </div>
      ),
    },
    { title: t('member.relation'), dataIndex: 'relation', width: 64, render: (v: string) => codeLabel(RELATIONS, v) },
    {
      title: t('member.sexAge'),
      key: 'sexAge',
      width: 84,
      render: (_: unknown, m) => `${codeLabel(SEXES, m.sex)} · ${m.age !== null ? t('member.ageN', { n: m.age }) : '—'}`,
    },
    {
      title: t('member.idNumber'),
      dataIndex: 'idNumber',
      width: 158,
      render: (v: string) => (
        <span className="tp-mono tp-hh-id" data-testid="member-id">
          {v}
        </span>
      ),
    },
    { title: t('member.health'), key: 'health', width: 124, render: (_: unknown, m) => <HealthTags m={m} /> },
    { title: t('member.labour'), dataIndex: 'labour', width: 90, render: (v: string | null) => codeLabel(LABOUR_SKILLS, v) },
    { title: t('member.school'), key: 'school', width: 80, render: (_: unknown, m) => <School m={m} /> },
    { title: t('member.insurance'), key: 'insurance', width: 104, render: (_: unknown, m) => <Insurance m={m} /> },
    { title: t('member.work'), key: 'work', width: 120, render: (_: unknown, m) => <Work m={m} /> },
    // not fixed to the right: a fixed action column covered 医疗保险 and 务工情况 at 1366 px; the buttons stack instead
    ...(actions
      ? [{ title: t('common.actions'), key: 'actions', width: 92, render: (_: unknown, m: Member) => <MemberButtons m={m} actions={actions} /> }]
      : []),
  ];

  return (
    <div data-testid="members">
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 8 }}>
        {t('member.active', { n: active.length })}
        {left.length > 0 && ` · ${t('member.left', { n: left.length })}`}
      </Typography.Text>
      <Table<Member>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={members}
        pagination={false}
        scroll={{ x: actions ? 1060 : 968 }}
        rowClassName={(m) => (m.active ? '' : 'tp-hh-member-left')}
        onRow={(m) => ({ 'data-testid': m.active ? 'member-row' : 'member-row-left' }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowRender: (m) => <MemberMore m={m} />,
        }}
      />
    </div>
  );
}

/** Less used member fields, in the expanded row. */
function MemberMore({ m }: { m: Member }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, sm: 2, lg: 4 }}
      items={[
        { key: 'ethnicity', label: t('member.ethnicity'), children: codeLabel(ETHNICITIES, m.ethnicity) },
        { key: 'education', label: t('member.education'), children: codeLabel(EDUCATION_LEVELS, m.education) },
        { key: 'birth', label: t('member.birthDate'), children: m.birthDate ?? '—' },
        { key: 'phone', label: t('member.phone'), children: m.phone ? <span className="tp-mono">{m.phone}</span> : '—' },
        { key: 'pension', label: t('security.pension'), children: <YesNo value={m.pensionInsurance} /> },
        { key: 'critical', label: t('security.critical'), children: <YesNo value={m.criticalIllnessInsurance} /> },
        { key: 'commercial', label: t('security.commercial'), children: <YesNo value={m.commercialMedicalInsurance} /> },
        { key: 'aid', label: t('security.medicalAid'), children: <YesNo value={m.medicalAid} /> },
      ]}
    />
  );
}

// ------------------------------------------------------------------------------------------
// 收入情况

/** Add / edit buttons of the income and status tabs, for roles that may change the registry. */
type YearActions = { onAdd: () => void; onEdit: (year: number) => void } | null;

type IncomeLine = HouseholdDetail['incomeLines'][number];

/**
 * The income of each year, measured against the line that matters in that year (policy settings of the county):
 * the monitoring line from 2021, the exit standard (脱贫标准) before.
 */
function IncomeSection({ incomes, lines, actions, shownYear }: { incomes: IncomeYear[]; lines: IncomeLine[]; actions: YearActions; shownYear?: number }) {
  const { t, lang } = useI18n();
  const tt = useHhText();
  const years = useMemo(() => [...incomes].sort((a, b) => b.year - a.year), [incomes]);
  const [year, setYear] = useState<number | undefined>(shownYear ?? years[0]?.year);
  // a year just saved is shown
  useEffect(() => {
    if (shownYear !== undefined) setYear(shownYear);
  }, [shownYear, incomes]);
  const current = years.find((y) => y.year === year) ?? years[0];
  const lineOf = useMemo(() => {
    const byYear = new Map(lines.map((l) => [l.year, l]));
    const latest = lines[lines.length - 1];
    return (y: number) => byYear.get(y) ?? (latest && y > latest.year ? latest : undefined);
  }, [lines]);

  const chart = useMemo<EChartsCoreOption | null>(() => {
    if (years.length < 2) return null;
    const asc = [...years].reverse();
    const yearLine = asc.map((y) => lineOf(y.year)?.value ?? null);
    const top = Math.max(0, ...yearLine.map((v) => v ?? 0));
    return {
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${formatYuan(v)} ${t('income.yuan')}` : '—'),
      },
      xAxis: { type: 'category', data: asc.map((y) => String(y.year)) },
      // keep the lines in view even when every year is far below them
      yAxis: { type: 'value', max: (v: { max: number }) => (v.max < top * 1.1 ? Math.ceil(top * 1.1) : null) },
      series: [
        {
          type: 'bar',
          name: t('income.perCapita'),
          barMaxWidth: 48,
          data: asc.map((y, i) => ({
            value: y.perCapitaNetIncome,
            itemStyle: { color: y.perCapitaNetIncome !== null && yearLine[i] !== null && y.perCapitaNetIncome < yearLine[i]! ? '#ff7875' : '#1677ff' },
          })),
          label: {
            show: true,
            position: 'top',
            formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? formatYuan(p.value) : ''),
          },
        },
        {
          // the line of each year: the exit standard up to 2020, the monitoring line from 2021
          type: 'line',
          name: t('income.line.series'),
          step: 'middle',
          symbol: 'none',
          silent: true,
          lineStyle: { color: '#cf1322', type: 'dashed', width: 1.5 },
          data: asc.map((y, i) => ({
            value: yearLine[i],
            name: lineOf(y.year) ? t(`income.line.${lineOf(y.year)!.key}`) : '',
          })),
        },
      ],
    };
  }, [years, t, lineOf]);
  const line = current ? lineOf(current.year) : undefined;
  const lineName = line ? t(`income.line.${line.key}`) : undefined;

  const addButton = actions && (
    <Button icon={<PlusOutlined />} onClick={actions.onAdd} data-testid="income-add">
      {tt('income.add')}
    </Button>
  );
  if (!current) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('income.none')}>
        {addButton}
      </Empty>
    );
  }

  const totals = incomeTotals(current.items);
  const explanation = lang === 'zh' ? current.explanation : explainIncome(current.items, current.size, lang);
  const itemLabel = (i: (typeof INCOME_ITEMS)[number]) => (lang === 'zh' ? i.zh : i.en);

  return (
    <div data-testid="income">
      <div className="tp-hh-income-bar">
        {years.length > 1 ? (
          <Segmented<number>
            value={current.year}
            onChange={setYear}
            options={years.map((y) => ({ value: y.year, label: t('household.yearN', { year: y.year }) }))}
            className="tp-hh-year-switch"
            data-testid="income-year"
          />
        ) : (
          <Typography.Text strong>{t('income.yearTitle', { year: current.year })}</Typography.Text>
        )}
        {actions && (
          <Space wrap>
            <Button icon={<EditOutlined />} onClick={() => actions.onEdit(current.year)} data-testid="income-edit">
              {tt('income.edit', { year: current.year })}
            </Button>
            {addButton}
          </Space>
        )}
      </div>
      <div className="tp-hh-kpis">
        <div>
          <Typography.Text type="secondary">{t('income.perCapita')}</Typography.Text>
          <div style={{ fontSize: 22, fontWeight: 600 }}>
            <Money value={current.perCapitaNetIncome} warn testId="income-per-capita" line={line?.value} lineLabel={lineName} />
          </div>
        </div>
        {line && (
          <div data-testid="income-line" data-key={line.key}>
            <Typography.Text type="secondary">{t('income.line.kpi', { year: current.year, line: lineName ?? '' })}</Typography.Text>
            <div style={{ fontSize: 22, fontWeight: 600 }}>
              <Money value={line.value} testId="income-line-value" />
            </div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="income-line-note">
              {line.key === 'monitoringLine'
                ? t('income.line.note.monitoringLine', { poverty: formatYuan(line.povertyLine) })
                : t('income.line.note.povertyLine', { year: current.year })}
            </Typography.Text>
          </div>
        )}
        <div>
          <Typography.Text type="secondary">{t('income.net')}</Typography.Text>
          <div style={{ fontSize: 22, fontWeight: 600 }}>
            <Money value={totals.net} />
          </div>
        </div>
        <div>
          <Typography.Text type="secondary">{t('household.size')}</Typography.Text>
          <div style={{ fontSize: 22, fontWeight: 600 }}>{t('households.persons', { n: current.size })}</div>
        </div>
      </div>
      <div className="tp-hh-income-groups">
        {INCOME_GROUPS.map((g) => {
          const items = INCOME_ITEMS.filter((i) => i.group === g.code);
          return (
            <div key={g.code} className="tp-hh-income-group" data-testid={`income-group-${g.code}`}>
              <div className={items.length > 1 ? 'tp-hh-income-group-head tp-hh-income-group-split' : 'tp-hh-income-group-head'}>
                <span>
                  {lang === 'zh' ? g.zh : g.en}
                  {g.code === 'expense' && <div className="tp-hh-income-note">{t('income.subtracted')}</div>}
                  {g.code === 'outOfPocket' && <div className="tp-hh-income-note">{t('income.notCounted')}</div>}
                </span>
                <Money value={totals[g.code]} />
              </div>
              {items.length > 1 &&
                items.map((i) => (
                  <div key={i.key} className="tp-hh-income-item">
                    <span>{itemLabel(i)}</span>
                    <Money value={current.items[i.key] ?? 0} />
                  </div>
                ))}
            </div>
          );
        })}
      </div>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('income.explanation')}
      </Typography.Title>
      <pre className="tp-hh-explain tp-mono" data-testid="income-explanation">
        {explanation.join('\n')}
      </pre>
      {chart && (
        <>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('income.chart')}
          </Typography.Title>
          <EChart option={chart} height={260} testId="income-chart" />
        </>
      )}
    </div>
  );
}

// ------------------------------------------------------------------------------------------
// 生产生活条件 / 社会保障 / 状态历史

function ConditionsSection({ f }: { f: Fields }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  const mu = (k: string) => {
    const v = numOf(f, k);
    return v === null ? dash : t('cond.mu', { n: v.toFixed(2) });
  };
  const rating = str(f, 'housingRating');
  const area = numOf(f, 'housingArea');
  const distance = numOf(f, 'roadDistanceKm');
  const relocated = boolOf(f, 'relocated');
  const safeWater = boolOf(f, 'safeWater');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="conditions">
      <Descriptions
        title={t('cond.land')}
        size="small"
        bordered
        column={DESC_COLUMNS}
        items={(['landCultivated', 'landForest', 'landReturnedForest', 'landOrchard', 'landPasture', 'landWaterSurface'] as const).map((k) => ({
          key: k,
          label: t(`cond.${k}`),
          children: mu(k),
        }))}
      />
      <Descriptions
        title={t('cond.housing')}
        size="small"
        bordered
        column={DESC_COLUMNS}
        items={[
          {
            key: 'rating',
            label: t('cond.housingRating'),
            children: rating ? (
              <span className={isDangerousHousing(rating) ? 'tp-hh-danger' : undefined} data-testid="housing-rating">
                {codeLabel(HOUSING_RATINGS, rating)}
              </span>
            ) : (
              dash
            ),
          },
          { key: 'area', label: t('cond.housingArea'), children: area === null ? dash : t('cond.sqm', { n: area.toFixed(2) }) },
          { key: 'relocated', label: t('cond.relocated'), children: <YesNo value={relocated} /> },
          ...(relocated
            ? [{ key: 'keys', label: t('cond.relocationKeys'), children: <YesNo value={boolOf(f, 'relocationKeysReceived')} badWhen={false} /> }]
            : []),
        ]}
      />
      <Descriptions
        title={t('cond.living')}
        size="small"
        bordered
        column={DESC_COLUMNS}
        items={[
          {
            key: 'water',
            label: t('cond.safeWater'),
            children: (
              <span>
                <YesNo value={safeWater} badWhen={false} />
                {safeWater === false && str(f, 'waterProblem') && (
                  <Typography.Text type="secondary">（{codeLabel(WATER_PROBLEMS, str(f, 'waterProblem'))}）</Typography.Text>
                )}
              </span>
            ),
          },
          {
            key: 'road',
            label: t('cond.roadType'),
            children: (
              <span>
                {codeLabel(ROAD_TYPES, str(f, 'roadType'))}
                {distance !== null && (
                  <Typography.Text type="secondary">
                    {' '}
                    · {t('cond.roadDistance')} {t('cond.km', { n: distance })}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          { key: 'electricity', label: t('cond.electricity'), children: <YesNo value={boolOf(f, 'electricity')} badWhen={false} /> },
          { key: 'toilet', label: t('cond.toilet'), children: <YesNo value={boolOf(f, 'sanitaryToilet')} /> },
          { key: 'fuel', label: t('cond.fuel'), children: codeLabel(FUELS, str(f, 'fuel')) },
        ]}
      />
    </Space>
  );
}

function SecuritySection({ f, members }: { f: Fields; members: Member[] }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  const active = members.filter((m) => m.active);
  const columns: TableColumnsType<Member> = [
    { title: t('member.name'), dataIndex: 'name', width: 90, fixed: 'left' },
    { title: t('security.medicalInsurance'), key: 'insurance', width: 190, render: (_: unknown, m) => <Insurance m={m} /> },
    { title: t('security.critical'), dataIndex: 'criticalIllnessInsurance', width: 90, render: (v: boolean) => <YesNo value={v} /> },
    { title: t('security.commercial'), dataIndex: 'commercialMedicalInsurance', width: 120, render: (v: boolean) => <YesNo value={v} /> },
    { title: t('security.pension'), dataIndex: 'pensionInsurance', width: 110, render: (v: boolean) => <YesNo value={v} /> },
    { title: t('security.medicalAid'), dataIndex: 'medicalAid', width: 90, render: (v: boolean) => <YesNo value={v} /> },
    { title: t('security.memberDibao'), dataIndex: 'dibao', width: 80, render: (v: string) => codeLabel(DIBAO_TYPES, v) },
    { title: t('security.memberTekun'), dataIndex: 'tekun', width: 80, render: (v: string) => codeLabel(TEKUN_TYPES, v) },
  ];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="security">
      <Descriptions
        title={t('security.household')}
        size="small"
        bordered
        column={DESC_COLUMNS}
        items={[
          { key: 'dibao', label: t('security.dibao'), children: codeLabel(DIBAO_TYPES, str(f, 'dibao')) },
          { key: 'tekun', label: t('security.tekun'), children: codeLabel(TEKUN_TYPES, str(f, 'tekun')) },
          { key: 'whole', label: t('security.wholeNoLabour'), children: <YesNo value={boolOf(f, 'wholeNoLabour')} /> },
        ]}
      />
      <div>
        <Typography.Title level={5} style={{ marginTop: 0 }}>
          {t('security.members')}
        </Typography.Title>
        <Table<Member> rowKey="id" size="small" columns={columns} dataSource={active} pagination={false} scroll={{ x: 850 }} />
      </div>
    </Space>
  );
}

function StatusSection({ statuses, actions }: { statuses: StatusYear[]; actions: YearActions }) {
  const { t } = useI18n();
  const tt = useHhText();
  const codeLabel = useCodeLabel();
  const sorted = [...statuses].sort((a, b) => b.year - a.year);
  const addButton = actions && (
    <Button icon={<PlusOutlined />} onClick={actions.onAdd} data-testid="status-add">
      {tt('status.set')}
    </Button>
  );
  if (sorted.length === 0) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('statusHistory.none')}>
        {addButton}
      </Empty>
    );
  }
  return (
    <div>
      {addButton && <div style={{ marginBottom: 16 }}>{addButton}</div>}
    <Timeline
      data-testid="status-history"
      items={sorted.map((s) => ({
        key: s.year,
        color: s.status === 'returned' || s.status === 'poor' ? 'red' : s.monitored ? 'orange' : s.status === 'exited' ? 'green' : 'gray',
        content: (
          <div data-testid="status-item">
            <Space size={[8, 4]} wrap>
              <Typography.Text strong>{t('household.yearN', { year: s.year })}</Typography.Text>
              <StatusTag status={s.status} />
              {s.exitYear !== null && <Typography.Text type="secondary">{t('statusHistory.exitYear', { year: s.exitYear })}</Typography.Text>}
              {s.monitored ? (
                <MonitoredTag type={s.monitoredType} />
              ) : (
                <Typography.Text type="secondary">{t('statusHistory.notMonitored')}</Typography.Text>
              )}
              {actions && (
                <Button size="small" type="link" icon={<EditOutlined />} onClick={() => actions.onEdit(s.year)} data-testid="status-edit">
                  {tt('status.edit')}
                </Button>
              )}
            </Space>
            {s.riskTypes.length > 0 && (
              <div style={{ marginTop: 6 }}>
                <Typography.Text type="secondary">{t('statusHistory.risks')}</Typography.Text>
                <ol className="tp-hh-risks">
                  {s.riskTypes.map((r, i) => (
                    <li key={`${r}-${i}`}>{codeLabel(RISK_TYPES, r)}</li>
                  ))}
                </ol>
              </div>
            )}
          </div>
        ),
      }))}
    />
    </div>
  );
}

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

  const [data, setData] = useState<HouseholdDetail | null>(null);
  const [loading, setLoading] = useState(validParams);
  const [error, setError] = useState<{ notFound: boolean; text: string } | null>(null);
  const [reveal, setReveal] = useState(false);
  const [reload, setReload] = useState(0);
  const canReveal = can('households:reveal');
  const canWrite = can('households:write');
  const canWriteMembers = can('members:write');
  const canWriteMeasures = can('measures:write');
  const tt = useHhText();
  const [editingHousehold, setEditingHousehold] = useState(false);
  const [memberForm, setMemberForm] = useState<{ member: Member | null } | null>(null);
  const [moving, setMoving] = useState<Member | null>(null);
  /** The income / status form: null closed, { year: null } a new year, { year } that year. */
  const [incomeForm, setIncomeForm] = useState<{ year: number | null } | null>(null);
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
  const [statusForm, setStatusForm] = useState<{ year: number | null } | null>(null);
  /** A saved change: show the answer, or load again when full numbers are shown (the answer is masked). */
  const onSaved = (d: HouseholdDetail) => {
    setEditingHousehold(false);
    setMemberForm(null);
    setMoving(null);
    setIncomeForm(null);
    setStatusForm(null);
    if (reveal) setReload((r) => r + 1);
    else setData(d);
  };

  useEffect(() => {
    if (!validParams) return;
    const ctl = new AbortController();
    setLoading(true);
    setError(null);
    call(api.householdGet, { params: { countyCode, id }, query: reveal ? { reveal: true } : {}, signal: ctl.signal })
      .then((d) => setData(d))
      .catch((e: unknown) => {
        if (ctl.signal.aborted) return;
        setError({ notFound: isApiError(e) && e.status === 404, text: errorText(e) });
      })
      .finally(() => !ctl.signal.aborted && setLoading(false));
    return () => ctl.abort();
  }, [validParams, countyCode, id, reveal, reload, errorText]);

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
            <Button size="small" icon={<ReloadOutlined />} onClick={() => setReload((r) => r + 1)}>
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
  const attribute = str(f, 'attribute');
  const rating = str(f, 'housingRating');
  const otherCauses = arr(f, 'otherCauses');
  const identifiedYear = numOf(f, 'identifiedYear');
  const exitYear = numOf(f, 'exitYear');

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
            <Button icon={<EditOutlined />} onClick={() => setEditingHousehold(true)} data-testid="household-edit">
              {tt('hh.edit')}
            </Button>
          )}
          {canWriteMembers && (
            <Button icon={<PlusOutlined />} onClick={() => setMemberForm({ member: null })} data-testid="member-add">
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
          { key: 'cause', label: t('household.mainCause'), children: codeLabel(POVERTY_CAUSES, str(f, 'mainCause')) },
          {
            key: 'other',
            label: t('household.otherCauses'),
            children: otherCauses.length > 0 ? otherCauses.map((c) => codeLabel(POVERTY_CAUSES, c)).join('、') : '—',
          },
          { key: 'identified', label: t('household.identifiedYear'), children: identifiedYear ?? '—' },
          { key: 'exit', label: t('household.exitYear'), children: exitYear ?? '—' },
          { key: 'phone', label: t('household.phone'), children: <span className="tp-mono">{str(f, 'phone') ?? '—'}</span> },
          { key: 'military', label: t('household.military'), children: <YesNo value={boolOf(f, 'isMilitaryFamily')} /> },
          { key: 'address', label: t('household.address'), children: str(f, 'address') ?? '—' },
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
          actions={canWriteMembers ? { onEdit: (m) => setMemberForm({ member: m }), onMove: (m) => setMoving(m) } : null}
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
          actions={canWrite ? { onAdd: () => setIncomeForm({ year: null }), onEdit: (year) => setIncomeForm({ year }) } : null}
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
          actions={canWrite ? { onAdd: () => setStatusForm({ year: null }), onEdit: (year) => setStatusForm({ year }) } : null}
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
          <HouseholdFormDrawer open={editingHousehold} household={data} onClose={() => setEditingHousehold(false)} onSaved={onSaved} />
          <MemberFormDrawer open={memberForm !== null} household={data} member={memberForm?.member ?? null} onClose={() => setMemberForm(null)} onSaved={onSaved} />
          <MoveMemberModal open={moving !== null} household={data} member={moving} onClose={() => setMoving(null)} onSaved={onSaved} />
          <IncomeFormDrawer
            open={incomeForm !== null}
            household={data}
            year={incomeForm?.year ?? null}
            onClose={() => setIncomeForm(null)}
            onSaved={(d, year) => {
              setSavedIncomeYear(year);
              onSaved(d);
            }}
          />
          <StatusFormDrawer open={statusForm !== null} household={data} year={statusForm?.year ?? null} onClose={() => setStatusForm(null)} onSaved={onSaved} />
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
