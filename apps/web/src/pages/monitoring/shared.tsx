import { Tag } from 'antd';
import {
  CLUE_CHANNELS, CLUE_STATUSES, ELIMINATION_BLOCKERS, ELIMINATION_TYPES, EXIT_ITEMS, label, MONITORED_TYPES, PROCEDURE_STEPS, PROCEDURE_TITLES, RISK_TYPES,
  type ParamValue, type ProcedureKind, type UnmetItem,
} from '@tuopin/domain';
import { useI18n } from '../../i18n';
import type { ServerMessage } from '../../i18n/server';

/**
 * An unmet exit item or elimination condition as a message (monitoring.blockerItem: its name and its detail by code),
 * for serverText. A snapshot stored before the details were coded shows its Chinese detail.
 */
export function unmetMessage(u: Pick<UnmetItem, 'code' | 'zh' | 'detail' | 'detailCode' | 'detailParams'>): ServerMessage {
  const def = [...ELIMINATION_BLOCKERS, ...EXIT_ITEMS].find((x) => x.code === u.code);
  return { code: 'monitoring.blockerItem', params: { name: def ? { zh: def.zh, en: def.en } : u.zh, detail: unmetDetail(u) }, message: `${u.zh}：${u.detail}` };
}

/** The detail alone of an unmet item (what exactly is unmet) as a catalogue message, else its Chinese text. */
export function unmetDetail(u: Pick<UnmetItem, 'detail' | 'detailCode' | 'detailParams'>): ParamValue {
  return u.detailCode ? { code: u.detailCode, params: (u.detailParams ?? {}) as Record<string, ParamValue> } : u.detail;
}

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
