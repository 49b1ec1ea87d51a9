// 成员迁出
import { useMemo, useState } from 'react';
import { DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import { MEMBER_MOVE_LABELS, MEMBER_MOVE_OUT_KINDS, RELATIONS, type HouseholdDetail, type RelationCode } from '@tuopin/domain';
import { api, call } from '../../../api/client';
import { keys, useApiQuery } from '../../../api/queries';
import { useI18n } from '../../../i18n';
import { afterChinaToday, chinaToday } from '../../../utils/chinaDate';
import { useDebounced, useIsMobile } from '../../../utils/hooks';
import { useHhText } from '../messages';
import { dateText, today, type DetailMember, type Values } from './model';
import { useRecordForm } from './useRecordForm';
import { FormError, useCodeOptions } from './widgets';

export function MoveMemberModal({ open, household, member, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; member: DetailMember | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { lang } = useI18n();
  const isMobile = useIsMobile();
  const [search, setSearch] = useState('');
  const options = useCodeOptions();
  const initial = useMemo(() => ({ kind: 'marriage_out', date: chinaToday() }), []);

  const f = useRecordForm<HouseholdDetail>({
    open, initial, rules: 'all', invalidates: [keys.householdChange],
    save: async (v: Values) => {
      if (!member) return null;
      const [countyCode, householdId] = String(v.target ?? '').split(':');
      const saved = await call(api.memberMove, {
        params: { countyCode: household.countyCode, id: household.id, memberId: member.id },
        body: {
          kind: v.kind as (typeof MEMBER_MOVE_OUT_KINDS)[number],
          date: dateText(v.date) ?? today(),
          reason: String(v.reason).trim(),
          ...(v.kind === 'transfer' ? { target: { countyCode: countyCode!, householdId: Number(householdId), relation: v.relation as RelationCode } } : {}),
        },
      });
      return { saved, notice: t('member.moved', { name: member.name }) };
    },
    onSaved: (saved) => onSaved(saved),
  });
  const { form, server } = f;
  const kind = Form.useWatch('kind', form) as string | undefined;

  // the households a member may move to (searched by number or head as the user types)
  const q = useDebounced(search, 250);
  const found = useApiQuery(
    api.householdList,
    kind === 'transfer' && open ? { query: { q: q.trim() || undefined, limit: 20, withTotals: false } } : null,
    { keepPrevious: true },
  );
  const targets = (found.data?.items ?? []).filter((h) => !(h.countyCode === household.countyCode && h.id === household.id));

  if (!member) return null;

  const status = (k: string) => (server[k]?.errors.length ? { validateStatus: 'error' as const, help: server[k]!.errors.join(' ') } : {});
  return (
    <Modal
      open={open}
      title={t('member.moveTitle', { name: member.name })}
      onCancel={onClose}
      onOk={f.submit}
      okText={t('form.save')}
      cancelText={t('form.cancel')}
      confirmLoading={f.saving}
      width={isMobile ? '100%' : 560}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'move-save' }}
      data-testid="member-move-modal"
    >
      <Typography.Paragraph type="secondary">{t('member.moveHint')}</Typography.Paragraph>
      <FormError error={f.error} />
      <Form form={form} layout="vertical" onValuesChange={(changed: Values) => f.changed(changed)}>
        <Form.Item name="kind" label={t('member.moveKind')} rules={[{ required: true }]}>
          <Select options={MEMBER_MOVE_OUT_KINDS.map((k) => ({ value: k, label: MEMBER_MOVE_LABELS[k][lang] }))} data-testid="move-kind" />
        </Form.Item>
        <Form.Item name="date" label={t('member.moveDate')} rules={[{ required: true }]} {...status('date')}>
          <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={afterChinaToday} data-testid="move-date" />
        </Form.Item>
        {kind === 'transfer' && (
          <>
            <Form.Item name="target" label={t('member.moveTarget')} rules={[{ required: true }]} {...status('target')}>
              <Select
                showSearch={{ filterOption: false, onSearch: setSearch }}
                placeholder={t('member.moveTargetPlaceholder')}
                options={targets.map((h) => ({ value: `${h.countyCode}:${h.id}`, label: `${h.householdNo} · ${h.headName ?? ''} · ${h.village.name}` }))}
                data-testid="move-target"
              />
            </Form.Item>
            <Form.Item name="relation" label={t('member.moveRelation')} rules={[{ required: true }]} {...status('target.relation')}>
              <Select options={options(RELATIONS).filter((o) => o.value !== 'head')} data-testid="move-relation" />
            </Form.Item>
          </>
        )}
        <Form.Item name="reason" label={t('form.reason')} rules={[{ required: true, whitespace: true, message: t('form.reasonRequired') }, { max: 500 }]} {...status('reason')}>
          <Input.TextArea rows={2} maxLength={500} placeholder={t('form.reasonPlaceholder')} data-testid="move-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
