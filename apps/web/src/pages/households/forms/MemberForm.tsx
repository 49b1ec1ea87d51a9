// 新增成员 / 编辑成员
import { useMemo } from 'react';
import { App, Col, DatePicker, Divider, Form, Row, Select } from 'antd';
import { MEMBER_MOVE_IN_KINDS, MEMBER_MOVE_LABELS, validateMember, type HouseholdDetail } from '@tuopin/domain';
import { api, call } from '../../../api/client';
import { keys } from '../../../api/queries';
import { useI18n } from '../../../i18n';
import { afterChinaToday, chinaToday } from '../../../utils/chinaDate';
import { useHhText } from '../messages';
import { blank, byField, dateText, fillFromId, isMasked, MEMBER_FIELDS, memberOf, memberValues, today, type DetailMember, type Values } from './model';
import { useRecordForm, type Hide } from './useRecordForm';
import { FormDrawer, FormError, half, MemberFields, ReasonField } from './widgets';

export function MemberFormDrawer({ open, household, member, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail; member: DetailMember | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { lang, serverText } = useI18n();
  const { message } = App.useApp();
  const adding = member === null;
  const initial = useMemo(() => ({ ...memberValues(member), ...(adding ? { kind: 'birth', date: chinaToday() } : {}) }), [member, adding]);
  const masked = useMemo(
    () => ({ idNumber: member && isMasked(member.idNumber) ? member.idNumber : undefined, phone: member && isMasked(member.phone) ? (member.phone ?? undefined) : undefined }),
    [member],
  );

  const save = async (v: Values) => {
    const reason = String(v.reason).trim();
    const m = memberOf(v) as Values;
    if (adding) {
      const body = Object.fromEntries(Object.entries(m).filter(([, x]) => x !== null));
      const saved = await call(api.memberAdd, {
        params: { countyCode: household.countyCode, id: household.id },
        body: { member: body, kind: v.kind as (typeof MEMBER_MOVE_IN_KINDS)[number], date: dateText(v.date) ?? today(), reason },
      });
      return { saved, notice: t('member.added', { name: String(m.name) }) };
    }
    const before = memberOf(initial) as Values;
    const changes: Values = {};
    for (const k of MEMBER_FIELDS) {
      if ((k === 'idNumber' && masked.idNumber && m[k] === null) || (k === 'phone' && masked.phone && m[k] === null)) continue;
      if (JSON.stringify(before[k]) !== JSON.stringify(m[k])) changes[k] = m[k];
    }
    if (Object.keys(changes).length === 0) return null;
    const saved = await call(api.memberUpdate, {
      params: { countyCode: household.countyCode, id: household.id, memberId: member.id },
      body: { changes, reason },
    });
    return { saved, notice: t('hh.saved') };
  };

  /** What is validated: the typed values, with masked numbers that were left empty taken as unchanged. */
  const skipOf = (vals: Values) => {
    const s = new Set<string>();
    if (masked.idNumber && !blank(vals.idNumber)) s.add('idNumber').add('sex').add('birthDate');
    if (masked.phone && !blank(vals.phone)) s.add('phone');
    return s;
  };
  /** The domain's problems of the typed values (all of them, or without those `hide` holds back). */
  const check = (vals: Values, hide?: Hide) => {
    const ref = { referenceDate: today(), regionCode: household.village.code };
    const base = adding ? [] : validateMember(memberOf(initial), ref);
    return byField(validateMember(memberOf(vals), ref), base, '', t('form.existing'), serverText, skipOf(vals), hide);
  };

  const f = useRecordForm<HouseholdDetail>({
    open, initial, check, holdBackUntouched: adding, rules: ['reason', ...(adding ? ['date'] : [])], save,
    onSaved: (saved) => onSaved(saved), invalidates: [keys.householdChange],
  });
  const { form, problems } = f;

  return (
    <FormDrawer
      open={open}
      title={adding ? t('member.addTitle') : t('member.editTitle', { name: member.name })}
      onClose={onClose}
      onSave={f.submit}
      saving={f.saving}
      testId="member-form"
    >
      <FormError error={f.error} />
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values) => {
          if ('idNumber' in changed) fillFromId(form, '', changed.idNumber, () => message.info(t('member.idFromNumber'), 1.5));
          f.changed(changed);
        }}
      >
        {adding && (
          <Row gutter={12}>
            <Col {...half}>
              <Form.Item name="kind" label={t('member.addKind')} rules={[{ required: true }]}>
                <Select
                  options={MEMBER_MOVE_IN_KINDS.map((k) => ({ value: k, label: MEMBER_MOVE_LABELS[k][lang] }))}
                  data-testid="member-kind"
                />
              </Form.Item>
            </Col>
            <Col {...half}>
              <Form.Item
                name="date"
                label={t('member.addDate')}
                rules={[{ required: true }]}
                help={problems.date?.errors.join(' ')}
                validateStatus={problems.date?.errors.length ? 'error' : undefined}
              >
                <DatePicker style={{ width: '100%' }} format="YYYY-MM-DD" disabledDate={afterChinaToday} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <MemberFields form={form} problems={problems} masked={masked} />
        <Divider />
        <ReasonField isNew={adding} />
      </Form>
    </FormDrawer>
  );
}
