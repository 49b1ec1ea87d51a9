/**
 * The one form hook of the web: every form that sends a change (the users page's modals, the policy dialogs, the
 * rule editor, and — through the live domain checks of pages/households/forms/useRecordForm, a layer on top of this
 * hook — the registry forms) submits through it:
 *
 *   validate (antd's rules, or the form's own `validate`)
 *   → save through a mutation (TanStack Query; the given query areas are invalidated on success)
 *   → put the server's refusals at their fields (utils/formErrors, the one mapper) and the rest above the form
 *   → notify (the `notice` of the saved answer; `onUnchanged` when there was nothing to send)
 *   → onSaved (the page closes the form and shows the saved record).
 *
 *   const f = useFormSubmit({ form, open: !!user, invalidates: [keys.users], onSaved,
 *     save: async (v) => ({ saved: await call(api.userUpdate, …), notice: t('users.saved') }) });
 *   <Modal onOk={f.submit} confirmLoading={f.saving}>{f.error && <Alert title={f.error} />}…
 */
import { useEffect, useState } from 'react';
import { App, Form, type FormInstance } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Endpoint } from '../api/client';
import { invalidate } from '../api/queries';
import { useI18n } from '../i18n';
import { applyFormErrors, serverFieldErrors } from './formErrors';

/** What a save returns: the saved record and the notice to show, or null when there was nothing to send. */
export type Saved<R> = { saved: R; notice?: string } | null;

export function useFormSubmit<V, R>({
  form: given, open, initial, validate, save, onSaved, onUnchanged, invalidates = [], fieldErrors = 'form',
}: {
  /** The antd form (default: one the hook creates, returned as `form`). */
  form?: FormInstance<V>;
  /** A modal's or drawer's open state: when it turns true the form starts again from `initial` (keep `initial` stable). */
  open?: boolean;
  /** The values the form opens with. */
  initial?: Partial<V>;
  /** The form's own check before saving: the values to send, or null (default: antd's rules of every field); `fail` shows an error above the form. */
  validate?: (fail: (error: string) => void) => Promise<V | null> | V | null;
  /** Sends the change: the saved record with the notice to show, or null when there was nothing to send. */
  save: (values: V) => Promise<Saved<R>>;
  /** After a successful save. */
  onSaved: (saved: R, values: V) => void;
  /** When `save` returned null (e.g. "nothing changed"). */
  onUnchanged?: () => void;
  /** Query areas (keys.*) or endpoints that the change makes stale. */
  invalidates?: (readonly string[] | Endpoint)[];
  /**
   * Where the server's refusals by field go: 'form' onto the antd fields (setFields; those naming no field of the
   * form above it), 'state' into `server` (a form that shows its fields' problems itself) with the error above it.
   */
  fieldErrors?: 'form' | 'state';
}) {
  const { serverText, errorText } = useI18n();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [own] = Form.useForm<V>();
  const form = given ?? own;
  const [error, setError] = useState<string | null>(null);
  /** The server's last refusals by field ('state' mode), and those naming no field. */
  const [server, setServer] = useState<{ byField: Record<string, string[]>; rest: string[] }>(NONE);
  const mutation = useMutation<Saved<R>, Error, V>({
    mutationFn: save,
    onSuccess: async (r) => {
      if (r !== null && invalidates.length > 0) await invalidate(client, ...invalidates);
    },
  });
  const { reset } = mutation;

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (initial) form.setFieldsValue(initial as Parameters<typeof form.setFieldsValue>[0]);
    setServer(NONE);
    setError(null);
    reset();
  }, [open, initial, form, reset]);

  const submit = async () => {
    const v = validate ? await validate(setError) : await form.validateFields().then((x) => x, () => null);
    if (v === null) return;
    setError(null);
    try {
      const r = await mutation.mutateAsync(v);
      if (r === null) {
        onUnchanged?.();
        return;
      }
      if (r.notice) void message.success(r.notice);
      onSaved(r.saved, v);
    } catch (e) {
      if (fieldErrors === 'state') {
        setServer(serverFieldErrors(e, serverText) ?? NONE);
        setError(errorText(e));
        return;
      }
      const rest = applyFormErrors(form, e, serverText);
      setError(rest && rest.length > 0 ? rest.join(' ') : rest === null ? errorText(e) : null);
    }
  };

  return {
    form,
    submit: () => void submit(),
    saving: mutation.isPending,
    /** The refusal that names no field of the form (or the error), shown above it. */
    error,
    setError,
    /** The server's last refusals by form field ('state' mode) and those naming no field. */
    server,
    /** Forgets the server's refusals (the user changed a value). */
    clearServer: () => setServer((s) => (s === NONE ? s : NONE)),
  };
}

const NONE: { byField: Record<string, string[]>; rest: string[] } = { byField: {}, rest: [] };
