/**
 * One web dictionary per area, both languages in one file (see the comment at the top of ./index.tsx).
 *
 *   export const monitoring = defineArea({ zh: { 'mon.title': '防返贫监测' }, en: { 'mon.title': 'Monitoring' } });
 *
 * The Chinese half fixes the keys; the English half must have exactly the same keys (a missing or an extra key is
 * a type error).
 */
export type AreaDict<K extends string> = { zh: Record<K, string>; en: Record<K, string> };

export function defineArea<const Z extends Record<string, string>>(dict: {
  zh: Z;
  /** The same keys as zh: a missing key is an error, an extra key too (excess-property check of the literal). */
  en: { [K in keyof Z]: string };
}): AreaDict<Extract<keyof Z, string>> {
  return dict as AreaDict<Extract<keyof Z, string>>;
}
