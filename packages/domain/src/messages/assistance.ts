/** Assistance measure messages (validateMeasure, the assistance service). */
import { defineMessages } from './define';

export const assistanceMessages = defineMessages('assistance', {
  'assistance.measureNotFound': { status: 404, kind: 'NOT_FOUND', zh: '帮扶措施不存在或不在您的管辖范围内', en: 'The measure does not exist or is outside your region' },
  'assistance.measureEnded': { status: 409, kind: 'CONFLICT', zh: '该措施已于 {date} 结束', en: 'This measure ended on {date}' },
  'assistance.familyRequired': { status: 400, kind: 'VALIDATION', zh: '请选择帮扶措施类别', en: 'Choose the family of the measure' },
  'assistance.titleRequired': { status: 400, kind: 'VALIDATION', zh: '请填写措施内容', en: 'Describe the measure' },
  'assistance.titleTooLong': { status: 400, kind: 'VALIDATION', zh: '措施内容不能超过 {max} 个字', en: 'The measure must be described in at most {max} characters' },
  'assistance.startInvalid': { status: 400, kind: 'VALIDATION', zh: '开始日期不正确', en: 'The start date is not a valid date' },
  'assistance.startAfterToday': { status: 400, kind: 'VALIDATION', zh: '开始日期不能晚于今天', en: 'The start date cannot be after today' },
  'assistance.endRequired': { status: 400, kind: 'VALIDATION', zh: '请填写结束日期', en: 'Enter the end date' },
  'assistance.endInvalid': { status: 400, kind: 'VALIDATION', zh: '结束日期不正确', en: 'The end date is not a valid date' },
  'assistance.endBeforeStart': { status: 400, kind: 'VALIDATION', zh: '结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  'assistance.endAfterToday': { status: 400, kind: 'VALIDATION', zh: '结束日期不能晚于今天', en: 'The end date cannot be after today' },
  'assistance.amountNegative': { status: 400, kind: 'VALIDATION', zh: '投入资金应为不小于 0 的金额', en: 'The funds must be an amount of at least 0' },
  'assistance.amountTooLarge': { status: 400, kind: 'VALIDATION', zh: '投入资金不能超过 1 亿元', en: 'The funds cannot exceed 100 million yuan' },
  'assistance.amountDecimals': { status: 400, kind: 'VALIDATION', zh: '投入资金最多保留两位小数', en: 'The funds can have at most two decimals' },
  'assistance.noteTooLong': { status: 400, kind: 'VALIDATION', zh: '备注不能超过 {max} 个字', en: 'The note must have at most {max} characters' },
});
