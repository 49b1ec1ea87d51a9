import { useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Drawer, Input, Select, Switch, Tag } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, SaveOutlined } from '@ant-design/icons';
import { checkRule, RISK_TYPES, RULE_SEVERITIES, type RuleRecord, type RuleSeverity } from '@tuopin/domain';
import { api, call } from '../../api/client';
import { keys } from '../../api/queries';
import { useI18n } from '../../i18n';
import { useIsMobile } from '../../utils/hooks';
import { useFormSubmit } from '../../utils/useFormSubmit';
import { DryRun } from './DryRun';
import { ErrorSnippet, ExpressionInput, type ExpressionHandle } from './ExpressionInput';
import { RuleHelp } from './RuleHelp';
import { SeverityTag } from './shared';

const ID_PATTERN = /^[a-z][a-z0-9_]{2,60}$/;

interface Draft {
  id: string;
  name: string;
  description: string;
  severity: RuleSeverity;
  riskType: string;
  active: boolean;
  expression: string;
  note: string;
}

const fromRule = (r: RuleRecord): Draft => ({
  id: r.id, name: r.name, description: r.description ?? '', severity: r.severity, riskType: r.riskType, active: r.active, expression: r.expression, note: '',
});

const newDraft = (): Draft => ({
  id: `custom_${Date.now().toString(36)}`, name: '', description: '', severity: 'medium', riskType: 'other', active: true, expression: '', note: '',
});

interface Props {
  /** the rule to edit or read; null for a new rule */
  rule: RuleRecord | null;
  /** false: read-only, only the dry run works */
  canWrite: boolean;
  /** why a rule the user may not change is read-only (a national or an upper region's rule); the general notice otherwise */
  readOnlyReason?: string;
  onClose: () => void;
  onSaved: (r: RuleRecord) => void;
}

/**
 * The rule editor (a drawer): fields, the expression type-checked as you type with every error under the
 * box at its line and column (marked in the box and with a caret line), the variables and fields to insert,
 * and the dry run. Saving an existing rule needs a reason; the saved version is shown.
 */
export function RuleEditor({ rule, canWrite, readOnlyReason, onClose, onSaved }: Props) {
  const { t, lang, label } = useI18n();
  const { message } = App.useApp();
  const isMobile = useIsMobile();
  const [base, setBase] = useState<RuleRecord | null>(rule);
  const [d, setD] = useState<Draft>(() => (rule ? fromRule(rule) : newDraft()));
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const expr = useRef<ExpressionHandle>(null);

  const check = useMemo(() => checkRule(d.expression), [d.expression]);
  const errors = check.ok ? [] : check.errors;
  const isNew = base === null;
  const readOnly = !canWrite;

  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((p) => ({ ...p, [k]: v }));
    setSaved(null);
    f.setError(null);
    f.clearServer();
  };

  const versioned = base !== null && (base.expression !== d.expression || base.severity !== d.severity || base.riskType !== d.riskType || base.name !== d.name.trim());
  const changed = base === null || versioned || base.active !== d.active || (base.description ?? '') !== d.description.trim();
  const problems = {
    id: isNew && !ID_PATTERN.test(d.id) ? t('rules.field.idInvalid') : null,
    name: d.name.trim() === '' ? t('rules.field.nameRequired') : null,
    note: !isNew && changed && d.note.trim() === '' ? t('rules.field.noteRequired') : null,
  };
  const shown = (k: keyof typeof problems) => (tried ? problems[k] : null);

  // Saving through the one form hook: the checks here, the change as a mutation (the rules refetched), the notice.
  const f = useFormSubmit<Draft, { rule: RuleRecord; text: string }>({
    fieldErrors: 'state',
    invalidates: [keys.rules],
    validate: () => {
      setTried(true);
      if (!changed) {
        void message.info(t('rules.unchanged'));
        return null;
      }
      if (!check.ok) {
        void message.error(t('rules.cannotSave'));
        return null;
      }
      return Object.values(problems).some(Boolean) ? null : d;
    },
    save: async (v) => {
      const body = {
        name: v.name.trim(),
        ...(v.description.trim() ? { description: v.description.trim() } : {}),
        severity: v.severity,
        riskType: v.riskType,
        expression: v.expression,
        active: v.active,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
      };
      const r = base === null ? await call(api.ruleCreate, { body: { id: v.id, ...body } }) : await call(api.ruleUpdate, { params: { id: base.id }, body });
      const text = t(versioned || isNew ? 'rules.saved' : 'rules.savedSame', { name: r.name, version: r.version });
      return { saved: { rule: r, text }, notice: text };
    },
    onSaved: ({ rule: r, text }) => {
      setSaved(text);
      setBase(r);
      setD(fromRule(r));
      setTried(false);
      onSaved(r);
    },
  });
  // the server's refusal: its details (each in the user's language), else the error
  const serverError = f.error && ([...Object.values(f.server.byField).flat(), ...f.server.rest].join('；') || f.error);

  const title = isNew ? t('rules.editorNew') : t(readOnly ? 'rules.editorView' : 'rules.editorEdit', { name: base.name });

  const field = (label: string, control: React.ReactNode, error?: string | null, hint?: string) => (
    <div className="tp-r-form-item">
      <label className="tp-r-label">{label}</label>
      {control}
      {error ? (
        <div className="tp-r-field-error" data-testid="rule-field-error">
          {error}
        </div>
      ) : (
        hint && <div className="tp-r-hint">{hint}</div>
      )}
    </div>
  );

  const errorList = (
    <div className="tp-r-check" data-testid="rule-check">
      {check.ok ? (
        <span className="tp-r-check-ok" data-testid="rule-check-ok">
          <CheckCircleFilled /> {t('rules.exprOk')}
        </span>
      ) : (
        <>
          <span className="tp-r-check-bad">
            <CloseCircleFilled /> {t('rules.exprErrors', { n: errors.length })}
          </span>
          <ul className="tp-r-errors">
            {errors.map((e, i) => (
              <li key={i} className="tp-r-error" data-testid="rule-error">
                <div className="tp-r-error-line">
                  <a
                    className="tp-r-error-pos"
                    onClick={() => expr.current?.select(e.position.offset, e.end.offset)}
                    title={t('rules.errorShow')}
                    data-testid="rule-error-position"
                  >
                    {t('rules.errorAt', { line: e.position.line, column: e.position.column })}
                  </a>
                  <span data-testid="rule-error-message">{lang === 'zh' ? e.message : e.messageEn}</span>
                </div>
                <ErrorSnippet source={d.expression} error={e} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );

  const form = (
    <div className="tp-r-form">
      {!canWrite && <Alert type="info" showIcon title={readOnlyReason ?? t('rules.readOnly')} className="tp-r-readonly" data-testid="rule-readonly" />}
      {isNew &&
        field(
          t('rules.field.id'),
          <Input value={d.id} onChange={(e) => set('id', e.target.value.trim())} className="tp-mono" maxLength={61} status={shown('id') ? 'error' : undefined} data-testid="rule-id" />,
          shown('id'),
          t('rules.field.idHint'),
        )}
      {field(
        t('rules.field.name'),
        <Input value={d.name} onChange={(e) => set('name', e.target.value)} maxLength={100} disabled={readOnly} status={shown('name') ? 'error' : undefined} data-testid="rule-name" />,
        shown('name'),
      )}
      <div className="tp-r-form-row">
        {field(
          t('rules.field.severity'),
          <Select<RuleSeverity>
            value={d.severity}
            onChange={(v) => set('severity', v)}
            disabled={readOnly}
            style={{ width: '100%' }}
            options={RULE_SEVERITIES.map((s) => ({ value: s.code, label: <SeverityTag severity={s.code} /> }))}
            data-testid="rule-severity-select"
          />,
        )}
        {field(
          t('rules.field.riskType'),
          <Select<string>
            value={d.riskType}
            onChange={(v) => set('riskType', v)}
            disabled={readOnly}
            style={{ width: '100%' }}
            showSearch={{ optionFilterProp: 'label' }}
            options={RISK_TYPES.map((r) => ({ value: r.code, label: label(r) }))}
            data-testid="rule-risk-type"
          />,
        )}
        {field(t('rules.field.active'), <Switch checked={d.active} onChange={(v) => set('active', v)} disabled={readOnly} data-testid="rule-active" />)}
      </div>
      {field(
        t('rules.field.description'),
        <Input.TextArea value={d.description} onChange={(e) => set('description', e.target.value)} autoSize={{ minRows: 1, maxRows: 4 }} maxLength={1000} disabled={readOnly} data-testid="rule-description" />,
      )}
      <div className="tp-r-form-item">
        <label className="tp-r-label">{t('rules.field.expression')}</label>
        <ExpressionInput ref={expr} value={d.expression} onChange={(v) => set('expression', v)} errors={errors} readOnly={readOnly} />
        {errorList}
      </div>
      {canWrite &&
        !isNew &&
        field(
          t('rules.field.note'),
          <Input.TextArea
            value={d.note}
            onChange={(e) => set('note', e.target.value)}
            autoSize={{ minRows: 1, maxRows: 4 }}
            maxLength={500}
            placeholder={t('rules.field.notePlaceholder')}
            status={shown('note') ? 'error' : undefined}
            data-testid="rule-note"
          />,
          shown('note'),
        )}
      {serverError && <Alert type="error" showIcon title={serverError} data-testid="rule-save-error" />}
      {saved && <Alert type="success" showIcon title={saved} data-testid="rule-saved" />}
    </div>
  );

  const saveLabel = isNew ? t('rules.saveNew') : versioned ? t('rules.saveVersion', { n: base.version + 1 }) : t('rules.save');

  return (
    <Drawer
      open
      onClose={onClose}
      title={
        <span className="tp-r-drawer-title" data-testid="rule-editor-title">
          {title}
          {base && <Tag className="tp-r-version-tag" data-testid="rule-editor-version">{t('rules.versionN', { n: base.version })}</Tag>}
        </span>
      }
      size={isMobile ? '100%' : 'min(1180px, 100vw)'}
      destroyOnHidden
      className="tp-r-drawer"
      extra={
        canWrite && (
          <Button type="primary" icon={<SaveOutlined />} loading={f.saving} onClick={f.submit} data-testid="rule-save">
            {saveLabel}
          </Button>
        )
      }
    >
      <div className="tp-r-editor" data-testid="rule-editor">
        <div className="tp-r-editor-main">
          {form}
          <Card size="small" title={t('rules.dry')} className="tp-r-dry-card-wrap">
            <DryRun expression={d.expression} valid={check.ok} ruleRegionCode={rule?.regionCode} />
          </Card>
        </div>
        <Card size="small" title={t('rules.help')} className="tp-r-editor-help">
          <RuleHelp onInsert={readOnly ? undefined : (text, back) => expr.current?.insert(text, back)} />
        </Card>
      </div>
    </Drawer>
  );
}
