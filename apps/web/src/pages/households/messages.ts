/**
 * The household pages' texts (their dictionary is the area i18n/households.ts) and the labels of the registry's fields.
 */
import { useCallback } from 'react';
import { HOUSEHOLD_COLUMNS, INCOME_COLUMNS, MEMBER_COLUMNS, type Column } from '@tuopin/domain';
import { useI18n, type Vars } from '../../i18n';
import { households } from '../../i18n/households';

export type HhKey = keyof typeof households.zh;

/** The household pages' texts in the current language. */
export function useHhText() {
  const { lang } = useI18n();
  return useCallback(
    (key: HhKey, vars?: Vars) => {
      let s: string = households[lang][key];
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
      return s;
    },
    [lang],
  );
}

// ------------------------------------------------------------------------------------------
// Field labels: Chinese from the registry's column definitions (the same names the import template and the
// validation messages use), English here.

const EN_FIELDS: Record<string, string> = {
  householdNo: 'Household number', villageCode: 'Village', address: 'Address', phone: 'Phone', attribute: 'Attribute',
  isMilitaryFamily: 'Military/martyr family', identifiedYear: 'Year identified', exitYear: 'Year exited', mainCause: 'Main cause of poverty',
  otherCauses: 'Other causes', 'land.cultivated': 'Cultivated land (mu)', 'land.forest': 'Forest land (mu)', 'land.returnedForest': 'Returned to forest (mu)',
  'land.orchard': 'Orchards (mu)', 'land.pasture': 'Pasture (mu)', 'land.waterSurface': 'Water surface (mu)', housingRating: 'Housing safety rating',
  housingArea: 'Housing area (m²)', relocated: 'Relocated household', relocationKeysReceived: 'Moved into the new home', safeWater: 'Safe drinking water',
  waterProblem: 'Water problem', roadType: 'Road type', roadDistanceKm: 'Distance to the village road (km)', electricity: 'Electricity',
  sanitaryToilet: 'Sanitary toilet', fuel: 'Main fuel', dibao: 'Minimum living allowance', tekun: 'Destitute-person support',
  wholeNoLabour: 'Whole household without labour capacity', year: 'Year', status: 'Status', monitored: 'Monitored', monitoredType: 'Monitored type',
  riskTypes: 'Risk types', identifiedOn: 'Date identified as monitored', idType: 'ID type', idNumber: 'ID number', name: 'Name', relation: 'Relation to head', sex: 'Sex', birthDate: 'Birth date',
  ethnicity: 'Ethnicity', education: 'Education', schoolStatus: 'School status', dropoutReason: 'Reason for not attending school', health: 'Health',
  disabilityCategory: 'Disability category', disabilityGrade: 'Disability grade', labour: 'Labour skill', workMonths: 'Months worked',
  workPlace: 'Place of work', employer: 'Employer', publicWelfareMonths: 'Months in a public-welfare post', monthlyWorkIncome: 'Monthly work income (yuan)',
  medicalInsurance: 'Basic medical insurance', criticalIllnessInsurance: 'Critical-illness insurance', commercialMedicalInsurance: 'Supplementary medical insurance',
  pensionInsurance: 'Resident pension insurance', medicalAid: 'Medical aid', active: 'Member now', leftOn: 'Left on', leftReason: 'Reason for leaving',
  kind: 'Kind', movedOn: 'Date', reason: 'Reason', fromHouseholdId: 'From household', toHouseholdId: 'To household', toCountyCode: 'To county',
  householdId: 'Household', countyCode: 'County', id: 'Record number', memberId: 'Member',
  family: 'Measure family', title: 'Measure', startedOn: 'Start date', endedOn: 'End date', amount: 'Funds (yuan)', note: 'Note', createdByName: 'Recorded by',
};

const ZH_EXTRA: Record<string, string> = {
  active: '现为成员', leftOn: '迁出日期', leftReason: '迁出原因', kind: '变动类型', movedOn: '变动日期', reason: '原因', fromHouseholdId: '迁出农户',
  toHouseholdId: '迁入农户', toCountyCode: '迁入县', householdId: '农户', countyCode: '县', id: '编号', memberId: '成员', villageCode: '所在村',
  family: '措施类别', title: '措施内容', startedOn: '开始日期', endedOn: '结束日期', amount: '投入资金（元）', note: '备注', createdByName: '登记人',
};

const zhOf = (columns: readonly Column[]) => new Map(columns.map((c) => [c.key, c.header]));
const ZH_HOUSEHOLD = zhOf([...HOUSEHOLD_COLUMNS, ...INCOME_COLUMNS]);
const ZH_MEMBER = zhOf(MEMBER_COLUMNS);

/** The label of a registry field (camelCase, land areas as land.cultivated) of a household or member. */
export function fieldLabel(entity: 'household' | 'member', key: string, lang: 'zh' | 'en'): string {
  if (lang === 'en') return EN_FIELDS[key] ?? key;
  const primary = entity === 'member' ? ZH_MEMBER : ZH_HOUSEHOLD;
  return ZH_EXTRA[key] ?? primary.get(key) ?? (entity === 'member' ? ZH_HOUSEHOLD : ZH_MEMBER).get(key) ?? key;
}

/** A database column name (land_cultivated, id_number) as the domain's field key (land.cultivated, idNumber). */
export function fieldKeyOfColumn(column: string): string {
  const camel = column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return /^land[A-Z]/.test(camel) ? `land.${camel[4]!.toLowerCase()}${camel.slice(5)}` : camel;
}
