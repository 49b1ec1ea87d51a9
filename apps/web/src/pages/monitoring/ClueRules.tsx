import { Tag, Typography } from 'antd';
import { RISK_TYPES, RULE_MESSAGES, ruleVariable, label, type ClueItem, type RuleField } from '@tuopin/domain';
import { useI18n } from '../../i18n';

type Lang = 'zh' | 'en';
type Hit = ClueItem['rules'][number];

export const SEVERITY_COLORS: Record<Hit['severity'], string> = { high: 'red', medium: 'orange', low: 'default' };

/** The snapshot keys that are not paths of the rule environment (always in a rule's facts). */
const BASE_KEYS: Record<string, { zh: string; en: string; field?: RuleField }> = {
  householdNo: { zh: '户编号', en: 'Household number' },
  status: { zh: '户状态', en: 'Status', field: RULE_MESSAGES.Household.fields.find((f) => f.name === 'status') },
  size: { zh: '家庭人口数', en: 'Household size', field: RULE_MESSAGES.Household.fields.find((f) => f.name === 'size') },
};

/** The field of a fact's key: 'income.perCapitaNet' (variable.field) for households, the field name for members. */
function fieldOf(key: string, member: boolean): { zh: string; en: string; field?: RuleField } | null {
  if (member) {
    const f = RULE_MESSAGES.Member.fields.find((x) => x.name === key);
    return f ? { zh: f.zh, en: f.en, field: f } : null;
  }
  if (BASE_KEYS[key]) return BASE_KEYS[key];
  const [v, name] = key.split('.');
  const variable = v ? ruleVariable(v) : undefined;
  const f = variable && name ? RULE_MESSAGES[variable.message].fields.find((x) => x.name === name) : undefined;
  if (!variable || !f) return null;
  const last = variable.name === 'lastIncome';
  return { zh: `${last ? '上年度' : ''}${f.zh}`, en: `${last ? 'Last year: ' : ''}${f.en}`, field: f };
}

const UNITS: Record<string, { zh: string; en: string }> = {
  yuan: { zh: ' 元', en: ' yuan' }, years: { zh: '', en: '' }, months: { zh: ' 个月', en: ' months' }, persons: { zh: ' 人', en: ' persons' },
  days: { zh: ' 天', en: ' days' }, m2: { zh: ' 平方米', en: ' m²' }, mu: { zh: ' 亩', en: ' mu' }, share: { zh: '', en: '' },
};

/** A fact value in words: codes as their labels, yes/no, "not recorded" for null, amounts with their unit. */
export function factValue(value: unknown, field: RuleField | undefined, lang: Lang): string {
  if (value === null || value === undefined) return lang === 'zh' ? '未记录' : 'not recorded';
  if (typeof value === 'boolean') return value ? (lang === 'zh' ? '是' : 'yes') : (lang === 'zh' ? '否' : 'no');
  if (Array.isArray(value)) {
    if (!value.length) return lang === 'zh' ? '无' : 'none';
    return value.map((v) => (field?.codes ? (label(field.codes, String(v), lang) ?? String(v)) : String(v))).join(lang === 'zh' ? '、' : ', ');
  }
  if (typeof value === 'string') return field?.codes ? (label(field.codes, value, lang) ?? value) : value;
  if (typeof value === 'number') {
    const unit = field?.unit ? UNITS[field.unit]?.[lang] ?? '' : '';
    if (field?.unit === 'share') return `${Math.round(value * 1000) / 10}%`;
    return `${value.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 2 })}${unit}`;
  }
  return String(value);
}

function FactLines({ facts, member }: { facts: Record<string, unknown>; member: boolean }) {
  const { lang } = useI18n();
  // the household number is the row's; a member's id is only a key, the name heads the member's line
  const entries = Object.entries(facts).filter(([k]) => k !== 'memberId' && k !== 'householdNo' && !(member && k === 'name'));
  return (
    <>
      {entries.map(([k, v]) => {
        const f = fieldOf(k, member);
        return (
          <span key={k} className="clue-fact" data-testid="clue-fact">
            <span className="k">{f ? f[lang] : k}</span>
            {lang === 'zh' ? '：' : ': '}
            {factValue(v, f?.field, lang)}
          </span>
        );
      })}
    </>
  );
}

/** One rule that fired, with the facts it read (household fields, then each member's). */
export function ClueRuleFacts({ hit }: { hit: Hit }) {
  const { t, lang } = useI18n();
  const facts = hit.facts as { household?: Record<string, unknown>; members?: Record<string, unknown>[] | null };
  return (
    <div className="clue-rule" data-testid="clue-rule" data-rule={hit.ruleId}>
      <div className="clue-rule-head">
        <Tag color={SEVERITY_COLORS[hit.severity]}>{t(`mon.severity.${hit.severity}` as 'mon.severity.high')}</Tag>
        <Typography.Text strong>{hit.name}</Typography.Text>
        <Typography.Text type="secondary">
          {' · '}{label(RISK_TYPES, hit.riskType, lang) ?? hit.riskType}{' · '}{t('mon.rule.version', { n: hit.version })}{' · '}{hit.foundOn}
        </Typography.Text>
      </div>
      <div className="clue-facts">
        {facts.household && <FactLines facts={facts.household} member={false} />}
      </div>
      {facts.members && facts.members.length > 0 && (
        <div className="clue-facts">
          {facts.members.map((m, i) => (
            <div key={String(m.memberId ?? i)} className="clue-member">
              <span className="k">{typeof m.name === 'string' && m.name ? m.name : t('mon.rule.member', { n: i + 1 })}</span>
              <FactLines facts={m} member />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Every rule of a platform clue with its facts (the inbox's expanded row and the phone card). */
export function ClueRules({ clue }: { clue: ClueItem }) {
  return (
    <div className="clue-rules" data-testid="clue-rules">
      {clue.rules.map((h) => <ClueRuleFacts key={h.ruleId} hit={h} />)}
    </div>
  );
}
