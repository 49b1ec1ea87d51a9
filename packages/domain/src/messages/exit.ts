/** Exit assessment messages. */
import { defineMessages } from './define';

export const exitMessages = defineMessages('exit', {
  'exit.householdNotFound': { status: 404, kind: 'NOT_FOUND', zh: '农户不存在或不在您的管辖范围内', en: 'The household does not exist or is outside your region' },
  // What exactly is unmet of an exit item (assessExit; the security items also of checkElimination). {names} lists members.
  'exit.unmet.noMembers': { zh: '家庭没有成员', en: 'The household has no members' },
  'exit.unmet.noIncome': { zh: '没有本年度收入信息', en: 'No income is recorded for this year' },
  'exit.unmet.incomeBelowLine': { zh: '人均纯收入 {income} 元，未超过脱贫标准 {line} 元', en: 'Per-capita net income {income} yuan, not above the poverty line of {line} yuan' },
  'exit.unmet.education': { zh: '{names} 处于义务教育年龄（{min}–{max} 周岁）但未在校，且不是因病因残', en: '{names}: of compulsory-school age ({min}–{max}) but not in school, and not for illness or disability' },
  'exit.unmet.medical': { zh: '{names} 未参加基本医疗保险', en: '{names}: no basic medical insurance' },
  'exit.unmet.housingUnrated': { zh: '住房未鉴定安全等级', en: 'The house has no safety rating' },
  'exit.unmet.housingRating': { zh: '住房鉴定为 {rating} 级，且不是已交钥匙的搬迁户', en: 'The house is rated {rating}, and the household is not a relocated one that has received its keys' },
  'exit.unmet.waterUnsafe': { zh: '饮水不安全', en: 'The drinking water is not safe' },
  'exit.unmet.waterUnknown': { zh: '饮水安全情况未填写', en: 'The safety of the drinking water is not recorded' },
});
