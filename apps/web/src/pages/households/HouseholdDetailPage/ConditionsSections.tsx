/** 生产生活条件 / 社会保障 / 状态历史 sections of the household page. */
import { Button, Empty, Space, Table, Timeline, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { DIBAO_TYPES, FUELS, HOUSING_RATINGS, RISK_TYPES, ROAD_TYPES, TEKUN_TYPES, WATER_PROBLEMS } from '@tuopin/domain';
import { useI18n } from '../../../i18n';
import { isDangerousHousing, MonitoredTag, StatusTag, useCodeLabel } from '../shared';
import { useHhText } from '../messages';
import { type Member, type StatusYear, type Fields, FieldGroup, YesNo, dash } from './fields';
import { Insurance } from './MembersSection';
import { type YearActions } from './IncomeSection';

// ------------------------------------------------------------------------------------------
// 生产生活条件 / 社会保障 / 状态历史

export function ConditionsSection({ f }: { f: Fields }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  const mu = (v: number | null) => (v === null ? dash : t('cond.mu', { n: v.toFixed(2) }));
  const rating = f.housingRating;
  const area = f.housingArea;
  const distance = f.roadDistanceKm;
  const relocated = f.relocated;
  const safeWater = f.safeWater;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="conditions">
      <FieldGroup
        title={t('cond.land')}
        items={(['landCultivated', 'landForest', 'landReturnedForest', 'landOrchard', 'landPasture', 'landWaterSurface'] as const).map((k) => ({
          key: k,
          label: t(`cond.${k}`),
          children: mu(f[k]),
        }))}
      />
      <FieldGroup
        title={t('cond.housing')}
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
            ? [{ key: 'keys', label: t('cond.relocationKeys'), children: <YesNo value={f.relocationKeysReceived} badWhen={false} /> }]
            : []),
        ]}
      />
      <FieldGroup
        title={t('cond.living')}
        items={[
          {
            key: 'water',
            label: t('cond.safeWater'),
            children: (
              <span>
                <YesNo value={safeWater} badWhen={false} />
                {safeWater === false && f.waterProblem && (
                  <Typography.Text type="secondary">（{codeLabel(WATER_PROBLEMS, f.waterProblem)}）</Typography.Text>
                )}
              </span>
            ),
          },
          {
            key: 'road',
            label: t('cond.roadType'),
            children: (
              <span>
                {codeLabel(ROAD_TYPES, f.roadType)}
                {distance !== null && (
                  <Typography.Text type="secondary">
                    {' '}
                    · {t('cond.roadDistance')} {t('cond.km', { n: distance })}
                  </Typography.Text>
                )}
              </span>
            ),
          },
          { key: 'electricity', label: t('cond.electricity'), children: <YesNo value={f.electricity} badWhen={false} /> },
          { key: 'toilet', label: t('cond.toilet'), children: <YesNo value={f.sanitaryToilet} /> },
          { key: 'fuel', label: t('cond.fuel'), children: codeLabel(FUELS, f.fuel) },
        ]}
      />
    </Space>
  );
}

export function SecuritySection({ f, members }: { f: Fields; members: Member[] }) {
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
      <FieldGroup
        title={t('security.household')}
        items={[
          { key: 'dibao', label: t('security.dibao'), children: codeLabel(DIBAO_TYPES, f.dibao) },
          { key: 'tekun', label: t('security.tekun'), children: codeLabel(TEKUN_TYPES, f.tekun) },
          { key: 'whole', label: t('security.wholeNoLabour'), children: <YesNo value={f.wholeNoLabour} /> },
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

export function StatusSection({ statuses, actions }: { statuses: StatusYear[]; actions: YearActions }) {
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
