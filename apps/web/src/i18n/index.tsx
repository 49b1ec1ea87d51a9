/**
 * The web's texts. Format (one dictionary per area, both languages in one file):
 *
 *   // src/i18n/<area>.ts, e.g. src/i18n/households.ts
 *   import { defineArea } from './area';
 *   export const households = defineArea({
 *     zh: { 'hh.new': '新增户', 'hh.editTitle': '编辑户信息 · {no}' },
 *     en: { 'hh.new': 'New household', 'hh.editTitle': 'Edit household · {no}' },
 *   });
 *
 * defineArea type-checks that zh and en have the same keys. Each area is listed once in AREAS below and reached with
 * `t(key, vars)` from useI18n(); placeholders are `{name}`. Keys keep an area prefix (hh., mon., rules., …) so they stay
 * unique across areas. Server errors are not in these dictionaries: they are rendered by code from the domain's message
 * catalogue (packages/domain/src/messages) with `errorText(err)` / `serverText(...)`. Labels of the domain's code tables
 * ({ zh, en } pairs) go through `label(pair)`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { REGION_LEVEL_LABELS, ROLE_LABELS, type RegionLevel, type Role } from '@tuopin/domain';
import { app } from './app';
import { audit } from './audit';
import { auth } from './auth';
import { dashboard } from './dashboard';
import { exit } from './exit';
import { households } from './households';
import { imports } from './imports';
import { monitoring } from './monitoring';
import { policy } from './policy';
import { quality } from './quality';
import { regions } from './regions';
import { registry } from './registry';
import { rules } from './rules';
import { runs } from './runs';
import { users } from './users';
import { isApiError } from '../api/client';
import { hasCatalogueCode, renderServerMessage, type ServerMessage } from './server';

export type Lang = 'zh' | 'en';
export type Vars = Record<string, string | number>;

/** Every area's dictionary, once. A key belongs to one area only (checked when the dictionaries are assembled). */
export const AREAS = { app, auth, users, regions, dashboard, registry, households, imports, audit, monitoring, exit, quality, policy, rules, runs } as const;

type AreaKeys<A> = A extends { zh: Record<infer K, string> } ? K : never;
export type MsgKey = { [N in keyof typeof AREAS]: AreaKeys<(typeof AREAS)[N]> }[keyof typeof AREAS];

function assemble(lang: Lang): Record<MsgKey, string> {
  const out: Record<string, string> = {};
  for (const [name, area] of Object.entries(AREAS)) {
    for (const [k, v] of Object.entries(area[lang] as Record<string, string>)) {
      if (k in out) throw new Error(`i18n: the key ${k} is in two areas (${name} and another)`);
      out[k] = v;
    }
  }
  return out as Record<MsgKey, string>;
}

const DICTS: Record<Lang, Record<MsgKey, string>> = { zh: assemble('zh'), en: assemble('en') };

/** Whether a text is a key of the dictionaries. */
export function hasKey(key: string): key is MsgKey {
  return Object.prototype.hasOwnProperty.call(DICTS.zh, key);
}
const STORAGE_KEY = 'tuopin.lang';

function initialLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh' || v === 'en') return v;
  } catch {
    // storage may be unavailable
  }
  return 'zh';
}

export function translate(lang: Lang, key: MsgKey, vars?: Vars): string {
  let s = DICTS[lang][key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

type I18n = {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: MsgKey, vars?: Vars) => string;
  /** The label of a domain code-table entry (any `{ zh, en }` pair) in the current language. */
  label: (pair: { zh: string; en: string } | null | undefined, fallback?: string) => string;
  roleLabel: (role: Role | string) => string;
  levelLabel: (level: number) => string;
  /**
   * A server or validator message in the current language: by its catalogue code and params (an error detail, a
   * validator's problem, a msg(...) of the domain); a plain text is shown as it is.
   */
  serverText: (message: string | ServerMessage) => string;
  /** The text to show for any thrown error. */
  errorText: (err: unknown) => string;
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = lang === 'zh' ? '脱贫 Tuopin' : 'Tuopin';
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);

  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // ignore
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const t = (key: MsgKey, vars?: Vars) => translate(lang, key, vars);
    const serverText = (m: string | ServerMessage) => renderServerMessage(lang, m);
    return {
      lang,
      setLang,
      t,
      label: (pair, fallback = '') => (pair ? pair[lang] : fallback),
      roleLabel: (role) => ROLE_LABELS[role as Role]?.[lang] ?? String(role),
      levelLabel: (level) => REGION_LEVEL_LABELS[level as RegionLevel]?.[lang] ?? String(level),
      serverText,
      errorText: (err) => {
        if (isApiError(err)) {
          if (lang === 'zh') return err.message;
          if (hasCatalogueCode(err)) return renderServerMessage(lang, err);
          switch (err.kind) {
            case 'NETWORK':
              return t('error.network');
            case 'UNAUTHENTICATED':
              return t('error.unauthenticated');
            case 'FORBIDDEN':
              return t('error.forbidden');
            case 'CSRF':
              return t('error.csrf');
            case 'NOT_FOUND':
              return t('error.notFound');
            case 'RATE_LIMITED':
              return t('error.rateLimited');
            case 'LOCKED':
              return t('error.locked');
            case 'PASSWORD_CHANGE_REQUIRED':
              return t('error.passwordChangeRequired');
            case 'INTERNAL':
              return t('error.internal');
            default:
              return err.kind === 'VALIDATION' ? t('error.validation') : err.message;
          }
        }
        if (err instanceof Error) return err.message;
        return String(err);
      },
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
