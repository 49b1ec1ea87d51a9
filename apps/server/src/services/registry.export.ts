/**
 * The columns of the members export (成员名单), one definition for CSV and XLSX: the current members of the
 * households of the filtered list, with their household's number and village, codes as their Chinese labels, ages
 * at the reference date of the list's year (31 December of a past year, today in the current one), and ID numbers
 * and phones through the export's privacy (full only for roles that may reveal them; the export is logged).
 */
import {
  ageAt, DIBAO_TYPES, DISABILITY_CATEGORIES, DISABILITY_GRADES, DROPOUT_REASONS, EDUCATION_LEVELS, ETHNICITIES, HEALTH_CONDITIONS, ID_TYPES,
  label, LABOUR_SKILLS, MEDICAL_INSURANCES, RELATIONS, SCHOOL_STATUSES, SEXES, TEKUN_TYPES, WORK_PLACES,
} from '@tuopin/domain';
import type { MemberRow } from '../repositories/registry.mapping';
import type { HouseholdListRow } from '../repositories/registry.repository';
import type { Privacy } from './privacy';

type Table = Parameters<typeof label>[0];
const lab = (table: Table, code: unknown) => (code === null || code === undefined || code === '' ? '' : (label(table, String(code)) ?? String(code)));
const yesNo = (v: unknown) => (v ? '是' : '否');

export interface MemberExportRow {
  household: HouseholdListRow;
  member: MemberRow;
  /** Reference date of the list's year, for ages */
  referenceDate: string;
}

export const MEMBER_EXPORT_COLUMNS: { header: string; width: number; value: (r: MemberExportRow, p: Privacy) => string | number | null }[] = [
  { header: '户编号', width: 18, value: (r) => r.household.household_no },
  { header: '所在村', width: 40, value: (r) => r.household.village_full_name },
  { header: '村代码', width: 14, value: (r) => r.household.village_code },
  { header: '姓名', width: 10, value: (r) => r.member.name },
  { header: '证件类型', width: 12, value: (r) => lab(ID_TYPES, r.member.id_type) },
  { header: '证件号码', width: 22, value: (r, p) => p.idNumber(r.member.id_number) },
  { header: '与户主关系', width: 10, value: (r) => lab(RELATIONS, r.member.relation) },
  { header: '性别', width: 6, value: (r) => lab(SEXES, r.member.sex) },
  { header: '出生日期', width: 12, value: (r) => r.member.birth_date_text },
  { header: '年龄', width: 6, value: (r) => ageAt(r.member.birth_date_text, r.referenceDate) },
  { header: '民族', width: 8, value: (r) => lab(ETHNICITIES, r.member.ethnicity) },
  { header: '文化程度', width: 12, value: (r) => lab(EDUCATION_LEVELS, r.member.education) },
  { header: '在校生状况', width: 14, value: (r) => lab(SCHOOL_STATUSES, r.member.school_status) },
  { header: '失学或辍学原因', width: 14, value: (r) => lab(DROPOUT_REASONS, r.member.dropout_reason) },
  { header: '健康状况', width: 16, value: (r) => (r.member.health ?? []).map((c) => lab(HEALTH_CONDITIONS, c)).join('、') },
  { header: '残疾类别', width: 10, value: (r) => lab(DISABILITY_CATEGORIES, r.member.disability_category) },
  { header: '残疾等级', width: 8, value: (r) => lab(DISABILITY_GRADES, r.member.disability_grade) },
  { header: '劳动技能', width: 14, value: (r) => lab(LABOUR_SKILLS, r.member.labour) },
  { header: '务工月数', width: 8, value: (r) => r.member.work_months },
  { header: '务工地点', width: 12, value: (r) => lab(WORK_PLACES, r.member.work_place) },
  { header: '务工单位', width: 20, value: (r) => r.member.employer },
  { header: '基本医疗保险', width: 16, value: (r) => lab(MEDICAL_INSURANCES, r.member.medical_insurance) },
  { header: '大病保险', width: 8, value: (r) => yesNo(r.member.critical_illness_insurance) },
  { header: '养老保险', width: 8, value: (r) => yesNo(r.member.pension_insurance) },
  { header: '医疗救助', width: 8, value: (r) => yesNo(r.member.medical_aid) },
  { header: '低保', width: 10, value: (r) => lab(DIBAO_TYPES, r.member.dibao) },
  { header: '特困供养', width: 10, value: (r) => lab(TEKUN_TYPES, r.member.tekun) },
  { header: '联系电话', width: 14, value: (r, p) => p.phone(r.member.phone) },
];
export const MEMBER_EXPORT_HEADERS = MEMBER_EXPORT_COLUMNS.map((c) => c.header);
