import { Tag } from 'antd';
import {
  CLUE_CHANNELS, CLUE_STATUSES, ELIMINATION_TYPES, label, MONITORED_TYPES, PROCEDURE_STEPS, PROCEDURE_TITLES, RISK_TYPES, type ProcedureKind,
} from '@tuopin/domain';
import { useI18n } from '../../i18n';

type Lang = 'zh' | 'en';
const pick = (list: readonly { code: string; zh: string; en: string }[], code: string | null | undefined, lang: Lang) => {
  const hit = list.find((x) => x.code === code);
  return hit ? hit[lang] : (code ?? '—');
};

/** Labels of the monitoring code tables in the current language. */
export function useMonLabels() {
  const { lang } = useI18n();
  return {
    channel: (c: string) => pick(CLUE_CHANNELS, c, lang),
    clueStatus: (c: string) => pick(CLUE_STATUSES, c, lang),
    eliminationType: (c: string | null) => pick(ELIMINATION_TYPES, c, lang),
    kind: (k: ProcedureKind) => PROCEDURE_TITLES[k][lang],
    step: (k: ProcedureKind, code: string | null) => {
      const s = PROCEDURE_STEPS[k].find((x) => x.code === code);
      return s ? s[lang] : (code ?? '—');
    },
    monitoredType: (c: string | null) => (c ? (label(MONITORED_TYPES, c, lang) ?? c) : '—'),
    riskTypes: (cs: readonly string[]) => cs.map((c) => label(RISK_TYPES, c, lang) ?? c).join(lang === 'zh' ? '、' : ', ') || '—',
  };
}

const CLUE_COLORS: Record<string, string> = { open: 'blue', assigned: 'geekblue', verifying: 'gold', identified: 'red', rejected: 'default', dismissed: 'default' };
const PROC_COLORS: Record<string, string> = { active: 'processing', completed: 'success', rejected: 'default', withdrawn: 'default' };

export function ClueStatusTag({ status }: { status: string }) {
  const l = useMonLabels();
  return <Tag color={CLUE_COLORS[status]}>{l.clueStatus(status)}</Tag>;
}

export function ProcStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={PROC_COLORS[status]}>{t(`mon.status.${status}` as 'mon.status.active')}</Tag>;
}
