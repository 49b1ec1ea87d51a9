/** Policy settings messages. */
import { defineMessages } from './define';

export const policyMessages = defineMessages('policy', {
  'policy.writeDenied': { status: 403, kind: 'FORBIDDEN', zh: '只有系统管理员和县级及以上管理员可以设置政策参数', en: 'Only system administrators and administrators of a county or above can set policy parameters' },
  'policy.unknownKey': { status: 400, kind: 'VALIDATION', zh: '没有名为“{key}”的政策参数', en: 'There is no policy parameter named “{key}”' },
  'policy.notNumber': { status: 400, kind: 'VALIDATION', zh: '{name}应为数字', en: '{name} must be a number' },
  'policy.notInteger': { status: 400, kind: 'VALIDATION', zh: '{name}应为整数', en: '{name} must be a whole number' },
  'policy.outOfRange': { status: 400, kind: 'VALIDATION', zh: '{name}应在 {min} 到 {max} 之间', en: '{name} must be between {min} and {max}' },
  'policy.tooManyDecimals': { status: 400, kind: 'VALIDATION', zh: '{name}最多保留四位小数', en: '{name} can have at most four decimals' },
  'policy.rangeOrder': { status: 400, kind: 'VALIDATION', zh: '{low}（{lowValue}）不能大于{high}（{highValue}）', en: '{low} ({lowValue}) cannot be greater than {high} ({highValue})' },
  'policy.regionLevel': { status: 400, kind: 'VALIDATION', zh: '政策参数只能在全国、省、市、县四级设置，乡镇和村沿用所在县的设置', en: 'Policy parameters are set for the nation, a province, a city or a county; townships and villages use their county’s' },
  'policy.sinceYear': { status: 400, kind: 'VALIDATION', zh: '{name}自 {since} 年起设立，不能设置 {year} 年的值', en: '{name} exists since {since}; it cannot be set for {year}' },
  'policy.saveFailed': { status: 500, kind: 'INTERNAL', zh: '保存政策参数失败', en: 'Saving the policy parameter failed' },
  'policy.settingNotFound': { status: 404, kind: 'NOT_FOUND', zh: '{region} {year} 年的“{name}”设置不存在或不在您的管辖范围内', en: 'No setting of “{name}” for {region} in {year}, or it is outside your region' },
});
