/**
 * Texts of the household forms, exports and history, in Chinese and English. Kept with the household pages; the
 * app-wide dictionary (src/i18n) holds the texts shared by several pages.
 */
import { useCallback } from 'react';
import { HOUSEHOLD_COLUMNS, INCOME_COLUMNS, MEMBER_COLUMNS, type Column } from '@tuopin/domain';
import { useI18n, type Vars } from '../../i18n';

const zh = {
  'hh.new': '新增户',
  'hh.newTitle': '新增农户',
  'hh.edit': '编辑户信息',
  'hh.editTitle': '编辑户信息 · {no}',
  'hh.sectionBasic': '基本信息',
  'hh.sectionHead': '户主信息',
  'hh.sectionLand': '土地（亩）',
  'hh.sectionLiving': '住房与生活条件',
  'hh.sectionSecurity': '社会保障',
  'hh.village': '所在村',
  'hh.villagePlaceholder': '选择或搜索村（社区）',
  'hh.created': '已新增农户 {no}',
  'hh.saved': '已保存',
  'hh.noChanges': '没有修改任何内容',
  'member.add': '新增成员',
  'member.addTitle': '新增成员',
  'member.edit': '编辑',
  'member.editTitle': '编辑成员 · {name}',
  'member.move': '迁出',
  'member.moveTitle': '成员迁出 · {name}',
  'member.moveKind': '迁出类型',
  'member.moveDate': '日期',
  'member.moveTarget': '迁入农户',
  'member.moveTargetPlaceholder': '输入户编号、户主姓名或证件号码搜索',
  'member.moveRelation': '与新户主关系',
  'member.moveHint': '迁出后成员记录和修改历史都会保留，显示为“已迁出”。',
  'member.moved': '{name} 已迁出',
  'member.addKind': '加入方式',
  'member.addDate': '加入日期',
  'member.added': '已新增成员 {name}',
  'member.idFromNumber': '已按证件号码填写出生日期和性别',
  'member.section.identity': '身份信息',
  'member.section.education': '教育',
  'member.section.health': '健康与劳动',
  'member.section.work': '务工',
  'member.section.security': '保险与保障',
  'form.reason': '修改原因',
  'form.reasonNew': '登记说明',
  'form.reasonPlaceholder': '例如：入户核实、材料更正（记入修改记录）',
  'form.reasonRequired': '请填写修改原因',
  'form.save': '保存',
  'form.cancel': '取消',
  'form.fixErrors': '还有 {n} 处错误，请先改正（标红的字段）',
  'form.existing': '（原有问题，本次可不改）',
  'form.keepMasked': '现为 {value}，留空表示不修改',
  'form.yes': '是',
  'form.no': '否',
  'form.required': '{field}不能为空',
  'export.button': '导出',
  'export.csv': '导出 CSV',
  'export.xlsx': '导出 Excel（XLSX）',
  'export.maskedNote': '证件号码和电话已脱敏',
  'export.fullNote': '含完整证件号码和电话，导出记入操作日志',
  'history.member': '成员 {name}',
  'history.memberN': '成员 #{id}',
  'history.revealed': '查看了完整的{fields}',
  'history.exported': '导出了{format}文件',
  'history.entity.households': '农户',
  'history.entity.members': '成员',
  'history.entity.member_moves': '成员变动',
  'history.entity.income_records': '收入',
  'history.entity.household_year_status': '年度状态',
  'history.entity.assistance_measures': '帮扶措施',
  'history.action.insert': '新增',
  'history.action.update': '修改',
  'history.action.delete': '删除',
  'history.action.reveal': '查看完整证件号',
  'history.action.export': '导出',
  'history.moveKind.transfer_in': '由其他农户转入',
  'income.add': '录入收入',
  'income.edit': '编辑 {year} 年收入',
  'income.newTitle': '录入年度收入',
  'income.editTitle': '{year} 年度收入',
  'income.year': '年度',
  'income.yearHasRecord': '{year} 年已有收入记录，已填入原数据；保存后替换原记录（修改记录中可查）',
  'income.itemsHint': '单位：元。生产经营性收入亏损时可填负数；空着的项目按 0 计算。合规自付支出（如医疗费用）单独记录，不计入纯收入。',
  'income.live': '按当前填写计算',
  'income.sizeOfYear': '{year} 年末家庭人口 {n} 人',
  'income.fixFirst': '改正标红的项目后显示计算结果',
  'income.saved': '已保存 {year} 年度收入',
  'status.set': '设置年度状态',
  'status.edit': '修改',
  'status.newTitle': '设置年度状态',
  'status.editTitle': '{year} 年度状态',
  'status.yearHasRecord': '{year} 年已有状态记录，已填入原数据',
  'status.monitoring': '监测信息',
  'status.monitoringNote': '是否监测对象、监测对象类别和风险类型由防返贫监测程序（识别、风险消除）设置，这里只能查看。',
  'status.saved': '已保存 {year} 年度状态',
  'status.exitHint': '已脱贫户、返贫户填写脱贫年度',
  'hh.sectionStatus': '当年状态（{year} 年）',
  'list.persons': '{n} 人',
  'list.withIncome': '有收入记录 {n} 户',
  'list.average': '人均纯收入平均 {value} 元',
  'list.averageHint': '只计有当年收入记录的户；没有收入记录的户显示“—”，不按 0 计入平均和收入区间筛选',
  'audit.exportFull': '，含完整证件号码和联系电话',
  'audit.exportMasked': '，证件号码和电话已脱敏',
  'audit.exportYear': '（{year} 年度）',
} as const;

export type HhKey = keyof typeof zh;

const en: Record<HhKey, string> = {
  'hh.new': 'New household',
  'hh.newTitle': 'New household',
  'hh.edit': 'Edit household',
  'hh.editTitle': 'Edit household · {no}',
  'hh.sectionBasic': 'Basic information',
  'hh.sectionHead': 'Head of household',
  'hh.sectionLand': 'Land (mu)',
  'hh.sectionLiving': 'Housing and living conditions',
  'hh.sectionSecurity': 'Social security',
  'hh.village': 'Village',
  'hh.villagePlaceholder': 'Choose or search a village',
  'hh.created': 'Household {no} created',
  'hh.saved': 'Saved',
  'hh.noChanges': 'Nothing was changed',
  'member.add': 'Add member',
  'member.addTitle': 'Add member',
  'member.edit': 'Edit',
  'member.editTitle': 'Edit member · {name}',
  'member.move': 'Move out',
  'member.moveTitle': 'Member leaves · {name}',
  'member.moveKind': 'Kind',
  'member.moveDate': 'Date',
  'member.moveTarget': 'Target household',
  'member.moveTargetPlaceholder': 'Search by household number, head or ID number',
  'member.moveRelation': 'Relation to the new head',
  'member.moveHint': 'The member record and its history are kept and shown as “moved out”.',
  'member.moved': '{name} moved out',
  'member.addKind': 'How the member joins',
  'member.addDate': 'Date joined',
  'member.added': 'Member {name} added',
  'member.idFromNumber': 'Birth date and sex filled from the ID number',
  'member.section.identity': 'Identity',
  'member.section.education': 'Education',
  'member.section.health': 'Health and labour',
  'member.section.work': 'Work',
  'member.section.security': 'Insurance and assistance',
  'form.reason': 'Reason for the change',
  'form.reasonNew': 'Note on the registration',
  'form.reasonPlaceholder': 'e.g. home visit, document correction (kept in the history)',
  'form.reasonRequired': 'Please give a reason',
  'form.save': 'Save',
  'form.cancel': 'Cancel',
  'form.fixErrors': '{n} error(s) left: please correct the fields marked red',
  'form.existing': ' (existing problem, may stay for now)',
  'form.keepMasked': 'Now {value}; leave empty to keep it',
  'form.yes': 'Yes',
  'form.no': 'No',
  'form.required': '{field} is required',
  'export.button': 'Export',
  'export.csv': 'Export CSV',
  'export.xlsx': 'Export Excel (XLSX)',
  'export.maskedNote': 'ID numbers and phones are masked',
  'export.fullNote': 'Includes full ID numbers and phones; the export is logged',
  'history.member': 'Member {name}',
  'history.memberN': 'Member #{id}',
  'history.revealed': 'Viewed the full {fields}',
  'history.exported': 'Exported a {format} file',
  'history.entity.households': 'Household',
  'history.entity.members': 'Member',
  'history.entity.member_moves': 'Member move',
  'history.entity.income_records': 'Income',
  'history.entity.household_year_status': 'Year status',
  'history.entity.assistance_measures': 'Assistance measure',
  'history.action.insert': 'added',
  'history.action.update': 'changed',
  'history.action.delete': 'deleted',
  'history.action.reveal': 'full ID numbers viewed',
  'history.action.export': 'exported',
  'history.moveKind.transfer_in': 'Moved in from another household',
  'income.add': 'Enter income',
  'income.edit': 'Edit income of {year}',
  'income.newTitle': 'Income of a year',
  'income.editTitle': 'Income of {year}',
  'income.year': 'Year',
  'income.yearHasRecord': 'There is an income record for {year}; its values are filled in and saving replaces it (see the history)',
  'income.itemsHint': 'In yuan. Operating income may be negative (a loss); empty items count as 0. Compliant out-of-pocket spending (e.g. medical bills) is recorded but not part of net income.',
  'income.live': 'Computed from the values entered',
  'income.sizeOfYear': '{n} members at the end of {year}',
  'income.fixFirst': 'Correct the items marked red to see the result',
  'income.saved': 'Income of {year} saved',
  'status.set': 'Set status of a year',
  'status.edit': 'Change',
  'status.newTitle': 'Status of a year',
  'status.editTitle': 'Status of {year}',
  'status.yearHasRecord': 'There is a status for {year}; its values are filled in',
  'status.monitoring': 'Monitoring',
  'status.monitoringNote': 'Whether monitored, the monitored type and the risk types are set by the monitoring procedures (identification, risk elimination) and are read-only here.',
  'status.saved': 'Status of {year} saved',
  'status.exitHint': 'For exited and returned households: the year of exit',
  'hh.sectionStatus': 'Status of the current year ({year})',
  'list.persons': '{n} persons',
  'list.withIncome': '{n} with income records',
  'list.average': 'average per-capita net income {value} yuan',
  'list.averageHint': 'Only households with an income record of the year; households without one show “—” and are not counted as 0 in the average or the income band',
  'audit.exportFull': ', with full ID numbers and phones',
  'audit.exportMasked': ', ID numbers and phones masked',
  'audit.exportYear': ' (year {year})',
};

/** The household pages' texts in the current language. */
export function useHhText() {
  const { lang } = useI18n();
  return useCallback(
    (key: HhKey, vars?: Vars) => {
      let s: string = (lang === 'zh' ? zh : en)[key];
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
  riskTypes: 'Risk types', idType: 'ID type', idNumber: 'ID number', name: 'Name', relation: 'Relation to head', sex: 'Sex', birthDate: 'Birth date',
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
