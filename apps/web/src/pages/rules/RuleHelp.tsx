import { useMemo, useState } from 'react';
import { Button, Collapse, Input, Tag, Tooltip, Typography } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { RULE_MESSAGES, RULE_VARIABLES, type RuleField, type RuleVariable } from '@tuopin/domain';
import { useI18n, type MsgKey } from '../../i18n';

/** The iteration variable the help panel uses for member fields (as in members.exists(m, m.age < 16)). */
const MEMBER_VAR = 'm';
const MACROS = [`members.exists(${MEMBER_VAR}, )`, `members.all(${MEMBER_VAR}, )`, `members.filter(${MEMBER_VAR}, ).size()`] as const;

interface Props {
  /** Inserts text at the cursor of the expression; the cursor ends `cursorBack` characters before its end. */
  onInsert?: (text: string, cursorBack?: number) => void;
}

/**
 * The variables a rule may use and their fields, from the rule environment: name, CEL type, Chinese or
 * English description, unit, whether it may be missing, and the codes of code fields. A click inserts the
 * field (or a code) at the cursor.
 */
export function RuleHelp({ onInsert }: Props) {
  const { t, label } = useI18n();
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();

  const groups = useMemo(
    () =>
      RULE_VARIABLES.map((v) => {
        const fields = RULE_MESSAGES[v.message].fields.filter(
          (f) => !needle || f.name.toLowerCase().includes(needle) || f.zh.includes(needle) || f.en.toLowerCase().includes(needle) || `${v.name}.${f.name}`.toLowerCase().includes(needle),
        );
        return { v, fields };
      }).filter((g) => g.fields.length > 0),
    [needle],
  );

  const prefix = (v: RuleVariable) => (v.list ? MEMBER_VAR : v.name);

  const fieldRow = (v: RuleVariable, f: RuleField) => {
    const path = `${prefix(v)}.${f.name}`;
    return (
      <div key={f.name} className="tp-r-field" data-testid="rule-help-field" data-path={`${v.name}.${f.name}`}>
        <div className="tp-r-field-head">
          <Tooltip title={onInsert ? t('rules.helpInsertMacro', { macro: path }) : undefined}>
            <button type="button" className="tp-r-field-name tp-mono" disabled={!onInsert} onClick={() => onInsert?.(path)} data-testid="rule-help-insert">
              {path}
            </button>
          </Tooltip>
          <span className="tp-r-field-type">
            {t(`rules.type.${f.type}` as MsgKey)}
            {f.unit ? ` · ${t(`rules.unit.${f.unit}` as MsgKey)}` : ''}
            {f.nullable ? ` · ${t('rules.helpNullable')}` : ''}
          </span>
        </div>
        <div className="tp-r-field-desc">{label(f)}</div>
        {f.codes && (
          <div className="tp-r-codes">
            {f.codes.map((c) => (
              <Tooltip key={c.code} title={label(c)}>
                <Tag className="tp-r-code" onClick={() => onInsert?.(`'${c.code}'`)} data-testid="rule-help-code">
                  <span className="tp-mono">{c.code}</span> {label(c)}
                </Tag>
              </Tooltip>
            ))}
          </div>
        )}
      </div>
    );
  };

  return (
    <div className="tp-r-help" data-testid="rule-help">
      <Typography.Paragraph type="secondary" className="tp-r-help-hint">
        {t('rules.helpHint', { example: "household.status == 'exited'" })}
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary" className="tp-r-help-hint">
        {t('rules.helpNull')}
      </Typography.Paragraph>
      <Input allowClear prefix={<SearchOutlined />} placeholder={t('rules.helpSearch')} value={q} onChange={(e) => setQ(e.target.value)} data-testid="rule-help-search" />
      <Collapse
        size="small"
        className="tp-r-help-groups"
        defaultActiveKey={['household', 'income']}
        {...(needle ? { activeKey: groups.map((g) => g.v.name) } : {})}
        items={groups.map(({ v, fields }) => ({
          key: v.name,
          label: (
            <span className="tp-r-var">
              <span className="tp-mono tp-r-var-name">{v.name}</span>
              <span className="tp-r-var-desc">{label(v)}</span>
            </span>
          ),
          children: (
            <>
              {v.list && (
                <div className="tp-r-macros">
                  <Typography.Text type="secondary" className="tp-r-var-list">
                    {t('rules.helpList')}
                  </Typography.Text>
                  {onInsert &&
                    MACROS.map((m) => (
                      <Button key={m} size="small" className="tp-mono" onClick={() => onInsert(m, m.endsWith('.size()') ? 8 : 1)} data-testid="rule-help-macro">
                        {m.replace(', )', ', …)')}
                      </Button>
                    ))}
                </div>
              )}
              {fields.map((f) => fieldRow(v, f))}
            </>
          ),
        }))}
      />
    </div>
  );
}
