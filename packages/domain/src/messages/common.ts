/**
 * Messages shared by every area: the reasons a field is refused (schema validation, database constraints, common
 * date rules), the "field: reason" wrapper and the transitional free-text message.
 */
import { defineMessages } from './define';

export const commonMessages = defineMessages('common', {
  /** A reason and the field it is about, as the top-level message of a one-field validation error. */
  'common.fieldProblem': { status: 400, kind: 'VALIDATION', zh: '{reason}（字段：{field}）', en: '{reason} (field: {field})' },
  /** Several problems in one message (each a nested message, joined). */
  'common.problems': { status: 400, kind: 'VALIDATION', zh: '{list}', en: '{list}' },
  /**
   * Transitional: a Chinese text from code that does not use a catalogue code yet. The web shows the generic text of
   * the error's kind in English.
   */
  'common.untranslated': { zh: '{text}', en: '{text}' },
  'common.required': { zh: '缺少必填字段', en: 'is required' },
  'common.type': { zh: '应为{type}', en: 'must be {type}' },
  'common.type.string': { zh: '文本', en: 'a text' },
  'common.type.integer': { zh: '整数', en: 'an integer' },
  'common.type.number': { zh: '数字', en: 'a number' },
  'common.type.boolean': { zh: '是/否', en: 'yes or no' },
  'common.type.object': { zh: '对象', en: 'an object' },
  'common.type.array': { zh: '列表', en: 'a list' },
  'common.type.null': { zh: '空值', en: 'empty' },
  'common.empty': { zh: '不能为空', en: 'must not be empty' },
  'common.blank': { zh: '不能为空（不能只有空格）', en: 'must not be empty (not only spaces)' },
  'common.minLength': { zh: '长度不能少于 {limit} 个字符', en: 'must have at least {limit} characters' },
  'common.maxLength': { zh: '长度不能超过 {limit} 个字符', en: 'must have at most {limit} characters' },
  'common.pattern': { zh: '格式不正确', en: 'has the wrong format' },
  'common.dateFormat': { zh: '应为有效日期（YYYY-MM-DD）', en: 'must be a valid date (YYYY-MM-DD)' },
  'common.format': { zh: '格式不正确（应为 {format}）', en: 'has the wrong format (expected {format})' },
  'common.minimum': { zh: '不能小于 {limit}', en: 'must be at least {limit}' },
  'common.maximum': { zh: '不能大于 {limit}', en: 'must be at most {limit}' },
  'common.enum': { zh: '取值必须是以下之一：{values}', en: 'must be one of: {values}' },
  'common.const': { zh: '取值必须为 {value}', en: 'must be {value}' },
  'common.notAllowedField': { zh: '不允许的字段', en: 'is not an allowed field' },
  'common.invalidValue': { zh: '取值不符合要求', en: 'has a value that is not allowed' },
  /*
   * A registry field refused by the contract's schema (built from the column declarations, api/columns-schema.ts),
   * named by its Chinese header (`label`) in the wording of the domain validation (registry/validate.ts).
   */
  'common.field.type': { zh: '{label}应为{type}', en: '{label} must be {type}' },
  'common.field.empty': { zh: '{label}不能为空', en: '{label} must not be empty' },
  'common.field.minimum': { zh: '{label}不能小于{limit}', en: '{label} must be at least {limit}' },
  'common.field.negative': { zh: '{label}不能为负数', en: '{label} must not be negative' },
  'common.field.maximum': { zh: '{label}不能大于{limit}', en: '{label} must be at most {limit}' },
  'common.field.maxLength': { zh: '{label}不能超过{limit}个字符', en: '{label} must have at most {limit} characters' },
  'common.field.maxItems': { zh: '{label}最多{limit}项', en: '{label} takes at most {limit} items' },
  'common.field.code': { zh: '{label}的值“{value}”不在代码表中', en: 'The value “{value}” of {label} is not in the code table' },
  'common.field.blankCode': { zh: '{label}不能是空白文本（未填写时应为空值 null）', en: '{label} must not be blank text (null when not recorded)' },
  'common.field.dateFormat': { zh: '{label}格式应为YYYY-MM-DD且为有效日期', en: '{label} must be a valid date (YYYY-MM-DD)' },
  'common.field.pattern': { zh: '{label}格式不正确', en: '{label} has the wrong format' },
  'common.badText': { zh: '包含不允许的字符（空字符或不完整的 Unicode 字符）', en: 'contains characters that are not allowed (a NUL character or an incomplete Unicode character)' },
  'common.badFieldName': { zh: '字段名包含不允许的字符（空字符或不完整的 Unicode 字符）', en: 'The field name contains characters that are not allowed (a NUL character or an incomplete Unicode character)' },
  'common.dateInvalid': { zh: '日期不正确', en: 'The date is not a valid date' },
  'common.dateAfterToday': { zh: '日期不能晚于今天', en: 'The date cannot be after today' },
  'common.yearAfter': { zh: '年度不能晚于{year}年', en: 'The year cannot be after {year}' },
  'common.referenceMissing': { zh: '引用的记录不存在', en: 'The referenced record does not exist' },
  'common.duplicate': { status: 409, kind: 'CONFLICT', zh: '已存在相同的记录', en: 'The same record already exists' },
  'common.textTooLong': { zh: '文本过长', en: 'The text is too long' },
  'common.numberOutOfRange': { zh: '数值超出允许范围', en: 'The number is out of range' },
  'common.dateTimeFormat': { zh: '日期或时间格式不正确', en: 'The date or time has the wrong format' },
  'common.dateTimeRange': { zh: '日期或时间超出范围', en: 'The date or time is out of range' },
  'common.divisionByZero': { zh: '除数为零', en: 'Division by zero' },
  'common.badCharacters': { zh: '包含不允许的字符', en: 'contains characters that are not allowed' },
  'common.badParameter': { zh: '参数取值不正确', en: 'A parameter has a wrong value' },
  'common.arrayIndex': { zh: '数组下标超出范围', en: 'An array index is out of range' },
  'common.badFormat': { zh: '格式不正确', en: 'has the wrong format' },
  'common.dataRejected': { zh: '数据不符合要求', en: 'The data is not acceptable' },
});
