/**
 * One background run (GET /api/runs/:id), polled until it is finished, and its retry. Every page that starts a run
 * (imports, data quality, warning runs, and the kinds to come) shows it through this hook and RunProgress.
 *
 *   const { run, retry, retrying } = useRun(info.runId, { onFinished: () => refetchImport() });
 */
import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { RUN_FINISHED, type RunInfo } from '@tuopin/domain';
import { api } from '../../api/client';
import { queryKeyOf, useApiMutation, useApiQuery } from '../../api/queries';

const POLL_MS = 500;

export const isRunFinished = (run: RunInfo | null | undefined) => !!run && RUN_FINISHED.includes(run.status);

export function useRun(runId: number | null | undefined, opts: { onFinished?: (run: RunInfo) => void; onRetried?: (run: RunInfo) => void } = {}) {
  const client = useQueryClient();
  const query = useApiQuery(api.runGet, runId ? { params: { id: runId } } : null, {
    refetchInterval: (q) => (isRunFinished(q.state.data) ? false : POLL_MS),
    staleTime: 0,
  });
  const run = query.data ?? null;
  // onFinished when this hook sees the run go from waiting or running to finished (not for a run finished long ago)
  const previous = useRef<{ id: number; finished: boolean } | null>(null);
  const onFinished = opts.onFinished;
  useEffect(() => {
    if (!run) return;
    const finished = isRunFinished(run);
    const prev = previous.current;
    previous.current = { id: run.id, finished };
    if (finished && prev && prev.id === run.id && !prev.finished) onFinished?.(run);
  }, [run, onFinished]);

  const mutation = useApiMutation(api.runRetry, {
    onSuccess: async (queued) => {
      client.setQueryData(queryKeyOf(api.runGet, { params: { id: queued.id } }), queued);
      if (runId) await client.invalidateQueries({ queryKey: queryKeyOf(api.runGet, { params: { id: runId } }) });
      opts.onRetried?.(queued);
    },
  });
  return {
    run,
    error: query.error,
    retry: () => (runId ? mutation.mutateAsync({ params: { id: runId } }) : Promise.reject(new Error('no run'))),
    retrying: mutation.isPending,
  };
}
