/**
 * Submitting a plain antd form (the users page's modals, and any form without the registry's live domain checks):
 * antd's rules → save through a mutation (TanStack Query; the given query areas are invalidated on success) →
 * the server's refusals at their fields (applyFormErrors, the one mapper) and the rest above the form → onSaved.
 * The registry forms use their own hook (pages/households/forms/useRecordForm) on the same mapper.
 *
 *   const f = useFormSubmit({ form, save: (v) => call(api.userUpdate, …), onSaved, invalidates: [keys.users] });
 *   <Modal onOk={f.submit} confirmLoading={f.saving}>{f.error && <Alert title={f.error} />}…
 */
import { useEffect, useState } from 'react';
import type { FormInstance } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Endpoint } from '../api/client';
import { invalidate } from '../api/queries';
import { useI18n } from '../i18n';
import { applyFormErrors } from './formErrors';

export function useFormSubmit<V, R>({ form, save, onSaved, invalidates = [], resetFor }: {
  form: FormInstance<V>;
  /** Sends the change; null when there was nothing to send (the form said so itself). */
  save: (values: V) => Promise<R | null>;
  onSaved: (saved: R) => void;
  /** Query areas (keys.*) or endpoints that the change makes stale. */
  invalidates?: (readonly string[] | Endpoint)[];
  /** A modal's subject (the user it is opened for): when it is set, the form and its error start empty. */
  resetFor?: unknown;
}) {
  const { serverText, errorText } = useI18n();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (resetFor == null) return;
    form.resetFields();
    setError(null);
  }, [resetFor, form]);
  const mutation = useMutation<R | null, Error, V>({
    mutationFn: save,
    onSuccess: async (r) => {
      if (r !== null && invalidates.length > 0) await invalidate(client, ...invalidates);
    },
  });

  const submit = async () => {
    let v: V;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    try {
      const r = await mutation.mutateAsync(v);
      if (r !== null) onSaved(r);
    } catch (e) {
      const rest = applyFormErrors(form, e, serverText);
      if (rest === null || rest.length > 0) setError(rest && rest.length > 0 ? rest.join(' ') : errorText(e));
    }
  };

  return {
    submit: () => void submit(),
    saving: mutation.isPending,
    /** The refusal that names no field of the form (or the error), shown above it. */
    error,
    setError,
  };
}
