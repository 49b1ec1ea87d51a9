/**
 * Server and validator messages in the user's language, by code: the server's errors and their details carry
 * `code` + `params` of the domain's message catalogue (packages/domain/src/messages), and the domain validators used
 * in the forms return the same. Rendered from the catalogue in the current language; a message without a catalogue
 * code falls back to its (Chinese) text.
 */
import { isMessageCode, renderMessage, type MessageLang as Lang, type MessageRef, type ParamValue } from '@tuopin/domain';

/** A server or validator message: its catalogue code and params, and the server's Chinese text. */
export interface ServerMessage {
  code?: string | null;
  params?: Readonly<Record<string, unknown>> | null;
  message?: string | null;
}

/** Whether a message has a catalogue code the web can render (not the transitional free-text code). */
export function hasCatalogueCode(m: ServerMessage): boolean {
  return isMessageCode(m.code) && m.code !== 'common.untranslated';
}

/** The text of a server message (or of a plain text) in a language. */
export function renderServerMessage(lang: Lang, m: ServerMessage | MessageRef | string): string {
  if (typeof m === 'string') return m;
  const sm = m as ServerMessage;
  if (sm.code && hasCatalogueCode(sm)) {
    const text = renderMessage({ code: sm.code, params: (sm.params ?? {}) as Record<string, ParamValue> }, lang);
    if (text !== undefined) return text;
  }
  return sm.message ?? sm.code ?? '';
}
