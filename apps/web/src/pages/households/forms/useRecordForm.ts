/**
 * The registry forms (new household, household, member, member move, income, status): the live domain checks as a
 * layer on the one form hook (utils/useFormSubmit), which saves, maps the server's refusals and notifies:
 *
 *   validate (the domain's checks as the user types, antd's rules of the plain fields)
 *   → save through a mutation (TanStack Query; the given query areas are invalidated on success)
 *   → put the server's refusals at their fields (utils/formErrors, the one mapper)
 *   → notify (a success message, or "no changes")
 *   → close (onSaved: the page closes the drawer and shows the saved record).
 *
 * A form supplies its initial values, its domain check, and `save`, which sends the change and returns the
 * saved record with the notice to show (or null when nothing changed); the hook keeps the values, the
 * problems by field, the error above the form and the saving state.
 */
import { useEffect, useState } from 'react';
import { App, Form } from 'antd';
import type { Endpoint } from '../../../api/client';
import { useFormSubmit, type Saved } from '../../../utils/useFormSubmit';
import { useHhText } from '../messages';
import { errorCount, merge, pathsOf, type Problems, type Values } from './model';

export type Hide = (key: string, check: string) => boolean;

/**
 * Which fields of a new record were touched, and whether saving was tried: until then an empty required field
 * nobody has touched is not shown as an error (every other problem is, as the user types).
 */
function useTouched(open: boolean) {
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);
  useEffect(() => {
    if (!open) return;
    setTouched(new Set());
    setTried(false);
  }, [open]);
  return {
    touch: (changed: Values) => setTouched((old) => new Set([...old, ...pathsOf(changed)])),
    tried: () => setTried(true),
    hide: (key: string, check: string) => !tried && check === 'required' && !touched.has(key),
  };
}

export type { Saved };

export function useRecordForm<R>({
  open, initial, check, holdBackUntouched = false, rules = ['reason'], save, onSaved, invalidates = [],
}: {
  open: boolean;
  /** The values the form opens with. */
  initial: Values;
  /** The domain's problems of the typed values; `hide` holds back the untouched required fields of a new record. */
  check?: (values: Values, hide?: Hide) => Problems;
  /** A new record: an empty required field nobody touched is not an error until saving is tried. */
  holdBackUntouched?: boolean;
  /** Fields checked by antd's rules before saving (default: the reason); 'all' for every field. */
  rules?: string[] | 'all';
  /** Sends the change: the saved record and the notice to show, or null when nothing changed. */
  save: (values: Values) => Promise<Saved<R>>;
  /** After a successful save (the page closes the form). */
  onSaved: (saved: R, values: Values) => void;
  /** Query areas (keys.*) or endpoints that the change makes stale. */
  invalidates?: (readonly string[] | Endpoint)[];
}) {
  const t = useHhText();
  const { message } = App.useApp();
  const touched = useTouched(open);
  const [values, setValues] = useState<Values>({});
  useEffect(() => {
    if (open) setValues(initial);
  }, [open, initial]);
  /** The problems of some values: the domain's and the server's last refusal. */
  const problemsOf = (vals: Values, hide?: Hide) => merge(check ? check(vals, hide) : {}, serverProblems);

  const [form] = Form.useForm<Values>();
  const f = useFormSubmit<Values, R>({
    form, open, initial, invalidates, save, onSaved, fieldErrors: 'state',
    onUnchanged: () => void message.info(t('hh.noChanges')),
    validate: async (fail) => {
      touched.tried();
      const n = errorCount(problemsOf(form.getFieldsValue(true) as Values));
      const ok = await (rules === 'all' ? form.validateFields() : form.validateFields(rules)).then(() => true, () => false);
      if (!ok && n === 0) return null;
      if (n > 0) {
        fail(t('form.fixErrors', { n }));
        return null;
      }
      return form.getFieldsValue(true) as Values;
    },
  });
  const serverProblems: Problems = Object.fromEntries(
    Object.entries(f.server.byField).map(([key, errors]): [string, Problems[string]] => [key, { errors, warnings: [] }]),
  );

  return {
    form,
    /** The typed values (what the problems are computed of). */
    values,
    /** The problems by field as shown now. */
    problems: problemsOf(values, holdBackUntouched ? touched.hide : undefined),
    /** The server's refusals by field (forms without a domain check show these). */
    server: serverProblems,
    error: f.error,
    saving: f.saving,
    submit: f.submit,
    /** To call from the form's onValuesChange (after any field it fills itself). */
    changed: (changed: Values, all?: Values) => {
      f.clearServer();
      touched.touch(changed);
      setValues({ ...(form.getFieldsValue(true) as Values), ...all });
    },
  };
}
