/**
 * Labels of the data a procedure step is signed with, for the signed record on the procedure page: every field of
 * every step (the fields `validateStepData` of @tuopin/domain checks, plus the village review's proposal) in Chinese
 * and English, and its value in words — code values through the code tables, results, yes/no, the data comparison
 * checks and the objections with their answers.
 */
import { COMPARISON_CHECK_LABELS, ELIMINATION_TYPES, label, MONITORED_TYPES, RISK_TYPES, type StepCode } from '@tuopin/domain';
import type { Lang } from '../../i18n';

type Text = { zh: string; en: string };

/** Field labels per step, in the order they are shown. */
export const STEP_DATA_FIELDS: Record<StepCode, Record<string, Text>> = {
  verification: {
    verifiers: { zh: '核实人', en: 'Verifiers' },
    visitedOn: { zh: '入户日期', en: 'Visit date' },
    findings: { zh: '核实情况', en: 'Findings' },
    authorisationSigned: { zh: '核对授权书', en: 'Authorisation signed' },
  },
  comparison: {
    checks: { zh: '比对结果', en: 'Comparison' },
    findings: { zh: '发现情况说明', en: 'Findings' },
  },
  assessment: {
    eliminationType: { zh: '消除类型', en: 'Elimination type' },
    findings: { zh: '评估情况', en: 'Findings' },
  },
  village_review: {
    result: { zh: '评议结果', en: 'Result' },
    participants: { zh: '参加人数', en: 'Participants' },
    minutes: { zh: '会议记录', en: 'Minutes' },
    proposedMonitoredType: { zh: '拟认定监测类型', en: 'Proposed monitored type' },
    proposedRiskTypes: { zh: '拟认定风险类型', en: 'Proposed risk types' },
  },
  publicity: {
    startDate: { zh: '公示开始', en: 'Publicity from' },
    endDate: { zh: '公示结束', en: 'Publicity to' },
    objections: { zh: '异议及答复', en: 'Objections and answers' },
  },
  township_review: {
    result: { zh: '审核结果', en: 'Result' },
    reason: { zh: '不予通过的理由', en: 'Reason for rejection' },
  },
  county_approval: {
    result: { zh: '审定结果', en: 'Result' },
    reason: { zh: '不予通过的理由', en: 'Reason for rejection' },
  },
  announcement: {
    announcedOn: { zh: '公告日期', en: 'Announced on' },
    monitoredType: { zh: '监测对象类型', en: 'Monitored type' },
    riskTypes: { zh: '风险类型', en: 'Risk types' },
  },
};

const RESULTS: Record<string, Text> = {
  agree: { zh: '同意', en: 'Agree' },
  disagree: { zh: '不同意', en: 'Disagree' },
  approve: { zh: '通过', en: 'Approved' },
  reject: { zh: '不予通过', en: 'Rejected' },
};

const CHECK_LABELS_EN: Record<keyof typeof COMPARISON_CHECK_LABELS, string> = {
  vehicle: 'Vehicles', property: 'Urban property', company: 'Registered companies', publicServant: 'Public payroll', pension: 'Pensions', deposit: 'Large deposits',
};
/** The name of a data comparison check (车辆, 城镇房产 …) in the UI language. */
export function checkLabel(k: string, lang: Lang): string {
  const key = k as keyof typeof COMPARISON_CHECK_LABELS;
  return (lang === 'zh' ? COMPARISON_CHECK_LABELS[key] : CHECK_LABELS_EN[key]) ?? k;
}

const CHECK_RESULTS: Record<string, Text> = { none: { zh: '未发现', en: 'none' }, found: { zh: '发现', en: 'found' } };

const CONFIRMATION: Record<string, (x: { on?: string | null; by?: string }) => Text> = {
  signer: () => ({ zh: '签字人', en: 'signer' }),
  confirmed: (x) => ({ zh: `${x.on ?? ''} 已在系统中确认`, en: `confirmed ${x.on ?? ''}` }),
  pending: () => ({ zh: '待本人确认', en: 'to confirm' }),
  on_behalf: (x) => ({ zh: `由${x.by ?? ''}代录`, en: `entered by ${x.by ?? ''}` }),
};

/** A verifier of the home visit: the name and how their part was confirmed (older records hold typed names). */
function verifierText(x: unknown, lang: Lang): string {
  if (typeof x !== 'object' || x === null) return String(x);
  const v = x as { name?: string; confirmation?: string; confirmedOn?: string | null; enteredBy?: { name?: string } | null };
  const how = v.confirmation ? CONFIRMATION[v.confirmation]?.({ on: v.confirmedOn, by: v.enteredBy?.name })[lang] : undefined;
  return how ? (lang === 'zh' ? `${v.name ?? ''}（${how}）` : `${v.name ?? ''} (${how})`) : String(v.name ?? '');
}

const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** One value of a step's data in words. */
export function stepValueText(field: string, v: unknown, lang: Lang): string {
  const sep = lang === 'zh' ? '、' : ', ';
  if (empty(v)) return '—';
  switch (field) {
    case 'monitoredType':
    case 'proposedMonitoredType':
      return label(MONITORED_TYPES, String(v), lang) ?? String(v);
    case 'riskTypes':
    case 'proposedRiskTypes':
      return Array.isArray(v) ? v.map((c) => label(RISK_TYPES, String(c), lang) ?? String(c)).join(sep) : String(v);
    case 'verifiers':
      return Array.isArray(v) ? v.map((x) => verifierText(x, lang)).join(sep) : String(v);
    case 'eliminationType':
      return label(ELIMINATION_TYPES, String(v), lang) ?? String(v);
    case 'result':
      return RESULTS[String(v)]?.[lang] ?? String(v);
    case 'checks': {
      if (typeof v !== 'object' || v === null) return String(v);
      // In the order of the form (the stored jsonb does not keep the key order); unknown checks after them.
      const checks = v as Record<string, unknown>;
      const keys = [...Object.keys(COMPARISON_CHECK_LABELS).filter((k) => k in checks), ...Object.keys(checks).filter((k) => !(k in COMPARISON_CHECK_LABELS))];
      return keys.map((k) => [k, checks[k]] as const).map(([k, x]) => {
        return `${checkLabel(k, lang)}${lang === 'zh' ? '：' : ': '}${CHECK_RESULTS[String(x)]?.[lang] ?? String(x)}`;
      }).join(lang === 'zh' ? '；' : '; ');
    }
    case 'objections': {
      if (!Array.isArray(v)) return String(v);
      return v.map((o: Record<string, unknown>, i) => (lang === 'zh'
        ? `${i + 1}. ${String(o.content ?? '')}（答复：${String(o.answer ?? '')}）`
        : `${i + 1}. ${String(o.content ?? '')} (answer: ${String(o.answer ?? '')})`)).join(lang === 'zh' ? '；' : '; ');
    }
    default:
      break;
  }
  if (typeof v === 'boolean') return lang === 'zh' ? (v ? '是' : '否') : (v ? 'yes' : 'no');
  if (Array.isArray(v)) return v.map(String).join(sep);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * The data of a signed step as labelled lines, known fields first in their order; a field the table does not know
 * (older data) keeps its name rather than being hidden. Empty optional fields are left out.
 */
export function stepDataLines(step: string, data: Record<string, unknown>, lang: Lang): { field: string; label: string; value: string }[] {
  const known = STEP_DATA_FIELDS[step as StepCode] ?? {};
  const order = [...Object.keys(known), ...Object.keys(data).filter((k) => !(k in known))];
  return order
    .filter((k) => k in data && !empty(data[k]))
    .map((k) => ({ field: k, label: known[k]?.[lang] ?? k, value: stepValueText(k, data[k], lang) }));
}
