/** 家庭成员: the members table of the household page (active and left), with the edit and move buttons. */
import { Button, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, LogoutOutlined } from '@ant-design/icons';
import { DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, HEALTH_CONDITIONS, LABOUR_SKILLS, MEDICAL_INSURANCES, RELATIONS, SCHOOL_STATUSES, SEXES, WORK_PLACES } from '@tuopin/domain';
import { useI18n } from '../../../i18n';
import { useIsMobile } from '../../../utils/hooks';
import { useCodeLabel } from '../shared';
import { useHhText } from '../messages';
import { type Member, YesNo, dash } from './fields';

// ------------------------------------------------------------------------------------------
// 家庭成员

export function HealthTags({ m }: { m: Member }) {
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

export function Insurance({ m }: { m: Member }) {
  const codeLabel = useCodeLabel();
  const uninsured = m.medicalInsurance === null || m.medicalInsurance === 'none';
  return (
    <span className={uninsured ? 'tp-hh-danger' : undefined} data-testid="member-insurance">
      {m.medicalInsurance === null ? codeLabel(MEDICAL_INSURANCES, 'none') : codeLabel(MEDICAL_INSURANCES, m.medicalInsurance)}
    </span>
  );
}

export function Work({ m }: { m: Member }) {
  const { t } = useI18n();
  const codeLabel = useCodeLabel();
  const parts: string[] = [];
  if (m.workPlace) parts.push(codeLabel(WORK_PLACES, m.workPlace));
  if (m.workMonths !== null && m.workMonths > 0) parts.push(t('member.workMonths', { n: m.workMonths }));
  if (m.employer) parts.push(m.employer);
  if (m.publicWelfareMonths !== null && m.publicWelfareMonths > 0) parts.push(t('member.publicWelfare', { n: m.publicWelfareMonths }));
  return parts.length > 0 ? <span>{parts.join(' · ')}</span> : dash;
}

export function School({ m }: { m: Member }) {
  const codeLabel = useCodeLabel();
  if (!m.schoolStatus) return dash;
  return (
    <span>
      {codeLabel(SCHOOL_STATUSES, m.schoolStatus)}
      {m.dropoutReason && <Typography.Text type="danger">（{codeLabel(DROPOUT_REASONS, m.dropoutReason)}）</Typography.Text>}
    </span>
  );
}

export function LeftNote({ m }: { m: Member }) {
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
export type MemberActions = { onEdit: (m: Member) => void; onMove: (m: Member) => void } | null;

export function MemberButtons({ m, actions }: { m: Member; actions: MemberActions }) {
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

export function MembersSection({ members, actions }: { members: Member[]; actions: MemberActions }) {
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
export function MemberMore({ m }: { m: Member }) {
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
