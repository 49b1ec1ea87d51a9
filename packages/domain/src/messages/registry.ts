/** Household registry messages (households, members, incomes; the registry service). */
import { defineMessages } from './define';

export const registryMessages = defineMessages('registry', {
  'registry.householdNotFound': { status: 404, kind: 'NOT_FOUND', zh: '农户不存在或不在您的管辖范围内', en: 'The household does not exist or is outside your region' },
  'registry.memberNotFound': { status: 404, kind: 'NOT_FOUND', zh: '成员不存在或不在您的管辖范围内', en: 'The member does not exist or is outside your region' },
  'registry.incomeRange': { status: 400, kind: 'VALIDATION', zh: '收入上限不能小于下限', en: 'The income maximum cannot be below the minimum' },
  'registry.firstMemberHead': { status: 400, kind: 'VALIDATION', zh: '新建农户时第一位成员应为户主', en: 'The first member of a new household must be its head' },
  'registry.villageNotFound': { status: 400, kind: 'VALIDATION', zh: '所在村不存在或不在您的管辖范围内', en: 'The village does not exist or is outside your region' },
  'registry.chooseVillage': { status: 400, kind: 'VALIDATION', zh: '请选择到村（社区）一级', en: 'Choose a village (community)' },
  'registry.householdNoTaken': { status: 409, kind: 'CONFLICT', zh: '户编号 {no} 在本县已经登记，请换一个户编号', en: 'The household number {no} is already registered in this county; choose another one' },
  'registry.targetRequired': { status: 400, kind: 'VALIDATION', zh: '转入其他农户时必须指定目标农户', en: 'Choose the household the member moves to' },
  'registry.targetSelf': { status: 400, kind: 'VALIDATION', zh: '目标农户不能是本户', en: 'The target household cannot be this household' },
  'registry.targetRelation': { status: 400, kind: 'VALIDATION', zh: '与新户主关系不正确', en: 'The relation to the new head is not valid' },
  'registry.targetNotFound': { status: 400, kind: 'VALIDATION', zh: '目标农户不存在或不在您的管辖范围内', en: 'The target household does not exist or is outside your region' },
  'registry.targetOnlyForMove': { status: 400, kind: 'VALIDATION', zh: '只有“转入其他农户”需要目标农户', en: 'Only “moved to another household” takes a target household' },
  'registry.memberLeft': { status: 409, kind: 'CONFLICT', zh: '该成员已于 {date} 迁出，不能再修改', en: 'This member left on {date} and can no longer be changed' },
  'registry.dateBeforeBirth': { status: 400, kind: 'VALIDATION', zh: '日期不能早于出生日期', en: 'The date cannot be before the date of birth' },
  'registry.idNumberTaken': { status: 409, kind: 'CONFLICT', zh: '证件号码 {idNumber} 已登记在其他农户中，同一证件号码只能属于一户', en: 'The ID number {idNumber} is already registered in another household; an ID number belongs to one household only' },
});
