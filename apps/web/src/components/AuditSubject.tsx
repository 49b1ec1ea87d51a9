/**
 * An audit entry in words: what it is about (户 张三（某某村）, 识别程序 #4 · 户 …, 规则 …, 用户 …) with a link to its
 * page, who did it (display name and user name), and a procedure step's signature. The names come resolved from the
 * server (AuditEntry.subject, actorDisplayName, signature), within the reader's scope.
 */
import { Link } from 'react-router-dom';
import { Typography } from 'antd';
import { CLUE_CHANNELS, MEASURE_FAMILIES, POLICY_DEFINITIONS, stepDefinition, type AuditEntry, type ProcedureKind } from '@tuopin/domain';
import { hasKey, useI18n, type MsgKey } from '../i18n';

type Household = NonNullable<NonNullable<AuditEntry['subject']>['household']>;

/** The page an entry's record is shown on, or null. */
export function subjectLink(e: AuditEntry): string | null {
  const h = e.subject?.household;
  if (e.entity === 'procedures' && h && e.entityId) return `/monitoring/procedures/${h.countyCode}/${e.entityId}`;
  if (h) return `/households/${h.countyCode}/${h.id}`;
  switch (e.entity) {
    case 'users': return '/users';
    case 'rules': return '/monitoring/rules';
    case 'rule_runs': return '/monitoring/rule-runs';
    case 'policy_values': return '/policy';
    case 'imports': return '/imports';
    case 'regions': return '/regions';
    case 'quality_runs': return '/quality';
    default: return null;
  }
}

export function useAuditSubjectText() {
  const { t, lang } = useI18n();
  const tk = (k: string, vars?: Record<string, string | number>) => (hasKey(k) ? t(k as MsgKey, vars) : null);
  const household = (h: Household) =>
    h.headName
      ? t('audit.subject.household', { head: h.headName, village: h.villageName ?? '—' })
      : t('audit.subject.householdNoHead', { no: h.householdNo, village: h.villageName ?? '—' });
  /** The record's kind and name, without the household */
  const what = (e: AuditEntry): string => {
    const s = e.subject;
    const id = e.entityId ? ` #${e.entityId}` : '';
    switch (e.entity) {
      case 'procedures':
        return (tk(`audit.subject.procedure.${s?.kind ?? ''}`) ?? t('audit.subject.procedures')) + id;
      case 'clues': {
        const ch = CLUE_CHANNELS.find((c) => c.code === s?.kind);
        return `${t('audit.subject.clues')}${id}${ch ? `（${ch[lang]}）` : ''}`;
      }
      case 'assistance_measures': {
        const f = MEASURE_FAMILIES.find((x) => x.code === s?.kind);
        return `${t('audit.subject.assistance_measures')}${f ? `（${f[lang]}）` : ''}`;
      }
      case 'income_records':
      case 'household_year_status': {
        const y = e.changes.find((c) => c.field === 'year');
        const year = y ? (y.after ?? y.before) : null;
        return `${t(`audit.subject.${e.entity}`)}${typeof year === 'number' ? ` · ${t('audit.subject.year', { year })}` : ''}`;
      }
      case 'members':
      case 'member_moves':
        return `${t(`audit.subject.${e.entity}`)} ${s?.name ?? ''}`.trim();
      case 'monitoring_records':
        return t('audit.subject.monitoring_records') + id;
      case 'users':
        return `${t('audit.subject.users')} ${s?.name ?? e.entityId ?? ''}${s?.username && s.username !== s.name ? `（${s.username}）` : ''}`.trim();
      case 'rules':
        return `${t('audit.subject.rules')} ${s?.name ?? e.entityId ?? ''}`.trim();
      case 'policy_values': {
        const def = POLICY_DEFINITIONS.find((d) => d.key === s?.name);
        const year = s?.year ? ` · ${t('audit.subject.year', { year: s.year })}` : '';
        return `${t('audit.subject.policy_values')} ${def ? def[lang] : (s?.name ?? e.entityId ?? '')}${year}`.trim();
      }
      case 'rule_runs':
        return `${t('audit.subject.rule_runs')}${id}${s?.period ? ` · ${s.period}` : ''}`;
      case 'imports':
        return `${t('audit.subject.imports')}${id}${s?.name ? ` · ${s.name}` : ''}`;
      default:
        return (tk(`audit.subject.${e.entity}`) ?? e.entity) + (e.entity === 'households' || e.entity === 'regions' || !e.entityId ? '' : id);
    }
  };
  return {
    household,
    what,
    /** The whole subject as one text (tests, titles) */
    text: (e: AuditEntry) => {
      const h = e.subject?.household;
      if (!h) return what(e);
      return e.entity === 'households' ? household(h) : t('audit.subject.of', { what: what(e), household: household(h) });
    },
    /** A signed step of a procedure in words: 签字：村民主评议 · 同意 · 意见 */
    signature: (e: AuditEntry): string | null => {
      const sg = e.signature;
      if (!sg) return null;
      const kind = (e.subject?.kind ?? 'identification') as ProcedureKind;
      const step = (code: string | null) => (code ? (stepDefinition(kind, code)?.[lang] ?? code) : '');
      const head = tk(`audit.signature.${sg.action}`, { step: step(sg.step), toStep: step(sg.toStep) }) ?? `${sg.action} ${step(sg.step)}`;
      const result = sg.result ? tk(`audit.signature.result.${sg.result}`) : null;
      return [head, result, sg.comment].filter(Boolean).join(' · ');
    },
  };
}

/** The subject cell: the record in words, linked to its page; the household on a second line for monitoring records. */
export function AuditSubjectCell({ e }: { e: AuditEntry }) {
  const text = useAuditSubjectText();
  const link = subjectLink(e);
  const h = e.subject?.household;
  const main = e.entity === 'households' && h ? text.household(h) : text.what(e);
  const body = (
    <span data-testid="audit-subject" data-entity={e.entity}>
      {link ? <Link to={link}>{main}</Link> : main}
      {h && e.entity !== 'households' && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
          <Link to={`/households/${h.countyCode}/${h.id}`}>{text.household(h)}</Link>
        </Typography.Text>
      )}
      {h && e.entity === 'households' && h.householdNo && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
          {h.householdNo}
        </Typography.Text>
      )}
    </span>
  );
  return body;
}

/** The actor: display name, and the user name beside it. */
export function AuditActor({ e }: { e: AuditEntry }) {
  const { t } = useI18n();
  if (!e.actorName) return <Typography.Text type="secondary">{t('history.system')}</Typography.Text>;
  const name = e.actorDisplayName && e.actorDisplayName !== e.actorName ? e.actorDisplayName : null;
  return (
    <span data-testid="audit-actor">
      {name ?? e.actorName}
      {name && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
          {e.actorName}
        </Typography.Text>
      )}
    </span>
  );
}
