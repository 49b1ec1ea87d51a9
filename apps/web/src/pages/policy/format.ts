/** Display and input helpers of the policy settings page: units, shares as percentages, value checks in the UI language. */
import { checkPolicyRanges, checkPolicyValue, POLICY_KEYS, POLICY_RANGES, policyDefinition, type PolicyDefinition, type PolicyValues } from '@tuopin/domain';
import type { Lang, MsgKey, Vars } from '../../i18n';

type T = (key: MsgKey, vars?: Vars) => string;

export function fmtNumber(v: number, lang: Lang): string {
  return v.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 4 });
}

/** A share (0.3) as a percentage number (30), without floating-point noise. */
export const shareToPercent = (share: number): number => Math.round(share * 1_000_000) / 10_000;
/** A percentage (30) as the stored share (0.3); extra decimals are kept for the domain check to report. */
export const percentToShare = (pct: number): number => Math.round(pct * 1_000_000) / 100_000_000;

/** A value with its unit: "7,260 元", "30%", "15 天"; a setting that did not exist yet in the year: "未设立（2021 年起）". */
export function fmtValue(d: PolicyDefinition, v: number | null, lang: Lang, t: T): string {
  if (v === null) return t('policy.notYet', { since: d.since ?? '' });
  if (d.unit === 'share') return `${fmtNumber(shareToPercent(v), lang)}%`;
  return `${fmtNumber(v, lang)} ${t(`policy.unit.${d.unit}` as MsgKey)}`;
}

/** What the value input works in: percentages for shares, the stored unit otherwise. */
export interface InputSpec {
  min: number;
  max: number;
  step: number;
  /** Decimals the box rounds to: whole numbers for integer settings; otherwise free, the domain check allows four */
  precision: number | undefined;
  /** Stored value → shown in the input */
  toInput: (v: number) => number;
  /** Input → stored value */
  fromInput: (v: number) => number;
  suffix: string;
}

export function inputSpec(d: PolicyDefinition, t: T): InputSpec {
  if (d.unit === 'share') {
    return { min: shareToPercent(d.min), max: shareToPercent(d.max), step: 1, precision: undefined, toInput: shareToPercent, fromInput: percentToShare, suffix: '%' };
  }
  const id = (v: number) => v;
  return {
    min: d.min,
    max: d.max,
    step: d.unit === 'yuan' ? 100 : 1,
    precision: d.integer ? 0 : undefined,
    toInput: id,
    fromInput: id,
    suffix: t(`policy.unit.${d.unit}` as MsgKey),
  };
}

/** Parses what is typed in the value box; NaN when it is not a number, null when empty. */
export function parseTyped(text: string): number | null {
  const s = text.replace(/[,，\s%]/g, '');
  if (s === '') return null;
  return /^-?(\d+\.?\d*|\.\d+)$/.test(s) ? Number(s) : NaN;
}

/**
 * The problem with a new value, in the UI language: the domain's checkPolicyValue decides, the message names
 * the setting and shows the range in the unit of the input (percentages for shares). Then the ordered pairs
 * (age ranges) against the other values in force.
 */
export function valueProblem(d: PolicyDefinition, stored: number | null, inForce: PolicyValues, lang: Lang, t: T): string | null {
  const name = lang === 'zh' ? d.zh : d.en;
  const problem = checkPolicyValue(d.key, stored ?? NaN);
  if (problem) {
    if (stored === null || !Number.isFinite(stored)) return t('policy.err.number', { name });
    if (d.integer && !Number.isInteger(stored)) return t('policy.err.integer', { name });
    if (stored < d.min || stored > d.max) return t('policy.err.range', { name, min: fmtValue(d, d.min, lang, t), max: fmtValue(d, d.max, lang, t) });
    return t('policy.err.decimals', { name });
  }
  const values = { ...inForce, [d.key]: stored } as PolicyValues;
  if (checkPolicyRanges(values)) {
    for (const [lo, hi] of RANGE_PAIRS) {
      if (Number(values[lo.key as keyof PolicyValues]) > Number(values[hi.key as keyof PolicyValues])) {
        return t('policy.err.order', {
          low: lang === 'zh' ? lo.zh : lo.en,
          lowValue: values[lo.key as keyof PolicyValues] ?? '',
          high: lang === 'zh' ? hi.zh : hi.en,
          highValue: values[hi.key as keyof PolicyValues] ?? '',
        });
      }
    }
  }
  return null;
}

const RANGE_PAIRS = POLICY_RANGES.map(([lo, hi]) => [policyDefinition(lo)!, policyDefinition(hi)!] as const);

/** The values of a response's settings as the domain's PolicyValues. */
export function valuesOf(settings: readonly { key: string; value: number | null }[]): PolicyValues {
  const out: Record<string, number | null> = {};
  for (const k of POLICY_KEYS) out[k] = settings.find((s) => s.key === k)?.value ?? NaN;
  return out as PolicyValues;
}
