// 新增户 / 编辑户信息
import { useMemo } from 'react';
import { Col, Divider, Form, Input, Row } from 'antd';
import { validateHousehold, validateMember, validateYearStatus, type HouseholdDetail, type HouseholdStatusCode } from '@tuopin/domain';
import { api, call } from '../../../api/client';
import { keys } from '../../../api/queries';
import { RegionPicker } from '../../../components/RegionPicker';
import { useI18n } from '../../../i18n';
import { useHhText } from '../messages';
import {
  blank, byField, fillFromId, HOUSEHOLD_FIELDS, householdOf, householdValues, isMasked, LAND_KEYS, memberOf, merge, thisYear, today,
  yearStatusOf, type Values,
} from './model';
import { useRecordForm, type Hide } from './useRecordForm';
import { Field, FormDrawer, FormError, half, HouseholdFields, MemberFields, ReasonField, StatusFields } from './widgets';

export function HouseholdFormDrawer({ open, household, onClose, onSaved }: {
  open: boolean; household: HouseholdDetail | null; onClose: () => void; onSaved: (d: HouseholdDetail) => void;
}) {
  const t = useHhText();
  const { serverText } = useI18n();
  const creating = household === null;
  const initial = useMemo(() => householdValues(household), [household]);

  /** The domain's problems of the typed values (all of them, or without those `hide` holds back). */
  const check = (vals: Values, hide?: Hide) => {
    const ref = { referenceDate: today() };
    const base = { householdNo: creating ? String(vals.householdNo ?? '').trim() : household.householdNo, villageCode: creating ? String(vals.villageCode ?? '') : household.village.code };
    const note = t('form.existing');
    const hh = byField(
      validateHousehold(householdOf(vals, base), ref),
      creating ? [] : validateHousehold(householdOf(initial, base), ref),
      '', note, serverText, new Set(['countyCode']), hide,
    );
    if (!creating) return hh;
    const head = memberOf((vals.head ?? {}) as Values);
    const m = byField(validateMember(head, { ...ref, regionCode: base.villageCode || undefined }), [], 'head.', note, serverText, new Set(), hide);
    const st = byField(validateYearStatus(yearStatusOf((vals.status ?? {}) as Values, thisYear(), undefined), ref), [], 'status.', note, serverText, new Set(['status.year']), hide);
    return merge(hh, m, st);
  };

  const save = async (v: Values) => {
    if (creating) {
      const h = householdOf(v, { householdNo: String(v.householdNo ?? '').trim(), villageCode: String(v.villageCode ?? '') });
      const body: Values = { householdNo: h.householdNo, villageCode: h.villageCode };
      for (const k of HOUSEHOLD_FIELDS) if (h[k] !== null && !(Array.isArray(h[k]) && (h[k] as unknown[]).length === 0)) body[k] = h[k];
      const land = Object.fromEntries(Object.entries(h.land ?? {}).filter(([, x]) => x !== null));
      if (Object.keys(land).length > 0) body.land = land;
      const head = Object.fromEntries(Object.entries(memberOf((v.head ?? {}) as Values)).filter(([, x]) => x !== null));
      const st = (v.status ?? {}) as Values;
      const status = { status: String(st.status ?? 'ordinary') as HouseholdStatusCode, exitYear: (blank(st.exitYear) as number | null) ?? null };
      const saved = await call(api.householdCreate, { body: { household: body, head: { ...head, relation: 'head' }, status, reason: String(v.reason).trim() } });
      return { saved, notice: t('hh.created', { no: saved.householdNo }) };
    }
    const base = { householdNo: household.householdNo, villageCode: household.village.code };
    const before = householdOf(initial, base) as Values;
    const after = householdOf(v, base) as Values;
    const changes: Values = {};
    for (const k of HOUSEHOLD_FIELDS) {
      if (k === 'phone' && isMasked(household.fields.phone) && after[k] === null) continue;
      if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) changes[k] = after[k];
    }
    const land: Values = {};
    for (const k of LAND_KEYS) {
      const b = (before.land as Values)[k];
      const a = (after.land as Values)[k];
      if (b !== a) land[k] = a;
    }
    if (Object.keys(land).length > 0) changes.land = land;
    if (Object.keys(changes).length === 0) return null;
    const saved = await call(api.householdUpdate, {
      params: { countyCode: household.countyCode, id: household.id },
      body: { changes, reason: String(v.reason).trim() },
    });
    return { saved, notice: t('hh.saved') };
  };

  const f = useRecordForm<HouseholdDetail>({
    open, initial, check, holdBackUntouched: creating, save, onSaved: (saved) => onSaved(saved), invalidates: [keys.householdChange],
  });
  const { form, problems } = f;

  return (
    <FormDrawer
      open={open}
      title={creating ? t('hh.newTitle') : t('hh.editTitle', { no: household.householdNo })}
      onClose={onClose}
      onSave={f.submit}
      saving={f.saving}
      testId="household-form"
    >
      <FormError error={f.error} />
      <Form
        form={form}
        layout="vertical"
        onValuesChange={(changed: Values, all: Values) => {
          const head = changed.head as Values | undefined;
          if (head && 'idNumber' in head) fillFromId(form, 'head.', head.idNumber, () => undefined);
          f.changed(changed, all);
        }}
      >
        {creating && (
          <>
            <Divider titlePlacement="start" plain>{t('hh.sectionBasic')}</Divider>
            <Row gutter={12}>
              <Col {...half}>
                <Field name="householdNo" entity="household" problems={problems}>
                  <Input maxLength={30} className="tp-mono" data-testid="household-householdNo" />
                </Field>
              </Col>
              <Col {...half}>
                <Field name="villageCode" entity="household" problems={problems}>
                  <RegionPicker allowedLevels={[5]} placeholder={t('hh.villagePlaceholder')} style={{ width: '100%' }} data-testid="household-form-village" />
                </Field>
              </Col>
            </Row>
            <Divider titlePlacement="start" plain>{t('hh.sectionStatus', { year: thisYear() })}</Divider>
            <StatusFields problems={problems} prefix="status." />
          </>
        )}
        <HouseholdFields problems={problems} />
        {creating && (
          <>
            <Divider titlePlacement="start">{t('hh.sectionHead')}</Divider>
            <MemberFields form={form} problems={problems} prefix="head." />
          </>
        )}
        <Divider />
        <ReasonField isNew={creating} />
      </Form>
    </FormDrawer>
  );
}
