import type { FieldError } from '../errors';

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const TYPE_ZH: Record<string, string> = {
  string: '文本', integer: '整数', number: '数字', boolean: '是/否', object: '对象', array: '列表', null: '空值',
};

function fieldOf(context: string, e: AjvLikeError): string {
  const parts = e.instancePath.split('/').filter(Boolean);
  if (e.keyword === 'required' && typeof e.params.missingProperty === 'string') parts.push(e.params.missingProperty);
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') parts.push(e.params.additionalProperty);
  return [context, ...parts].join('.');
}

function messageOf(e: AjvLikeError): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required': return '缺少必填字段';
    case 'type': return `应为${TYPE_ZH[String(p.type)] ?? String(p.type)}`;
    case 'minLength': return Number(p.limit) === 1 ? '不能为空' : `长度不能少于 ${String(p.limit)} 个字符`;
    case 'maxLength': return `长度不能超过 ${String(p.limit)} 个字符`;
    case 'pattern': return '格式不正确';
    case 'format': return `格式不正确（应为 ${String(p.format)}）`;
    case 'minimum': return `不能小于 ${String(p.limit)}`;
    case 'maximum': return `不能大于 ${String(p.limit)}`;
    case 'enum': return `取值必须是以下之一：${(p.allowedValues as unknown[] | undefined)?.join('、') ?? ''}`;
    case 'const': return `取值必须为 ${String(p.allowedValue)}`;
    case 'additionalProperties': return '不允许的字段';
    default: return '取值不符合要求';
  }
}

/**
 * Turns schema-validation errors into field errors with Chinese messages. For union types ("string or null")
 * the most specific error per field is kept.
 */
export function fieldErrors(context: string, errors: readonly AjvLikeError[]): FieldError[] {
  const byField = new Map<string, FieldError & { rank: number }>();
  for (const e of errors) {
    const field = fieldOf(context, e);
    const rank = e.keyword === 'anyOf' ? 0 : e.keyword === 'type' || e.keyword === 'const' ? 1 : 2;
    const prev = byField.get(field);
    if (!prev || rank > prev.rank) byField.set(field, { field, message: messageOf(e), rank });
  }
  return [...byField.values()].map(({ field, message }) => ({ field, message }));
}
