/** Background runs (后台任务): the generic state of an import's validation or commit, a data-quality run, a warning run. */
import { Type, type Static, type TSchema } from 'typebox';
import { endpoint } from './endpoint';
import { Id } from './schemas';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** The statuses a run no longer leaves by itself (a failed or cancelled one may be retried). */
export const RUN_FINISHED: readonly RunStatus[] = ['succeeded', 'failed', 'cancelled'];

export const RunInfo = Type.Object(
  {
    id: Type.Integer(),
    kind: Type.String({ description: 'import.validate, import.commit, quality.run, rules.run, …' }),
    regionCode: Type.String(),
    subjectId: Nullable(Type.Integer({ description: "The kind's own record (import, quality run, warning run)" })),
    status: Type.Enum(RUN_STATUSES),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    done: Nullable(Type.Integer()),
    total: Nullable(Type.Integer()),
    messageCode: Nullable(Type.String({ description: 'Message code for the UI (translated by code)' })),
    messageParams: Type.Record(Type.String(), Type.Unknown({ description: 'The params of messageCode: a value, a { zh, en } pair or a nested { code, params }' })),
    message: Nullable(Type.String({ description: 'The message in Chinese' })),
    createdBy: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    startedAt: Nullable(Type.String({ format: 'date-time' })),
    heartbeatAt: Nullable(Type.String({ format: 'date-time' })),
    finishedAt: Nullable(Type.String({ format: 'date-time' })),
    attempt: Type.Integer({ description: 'How many times it was started (a retry adds one)' }),
    // The failure's exception text is not sent (it names tables, columns, values): it is in the server log and in runs.error.
    retryable: Type.Boolean({ description: 'Failed or cancelled, and the caller may retry it (its kind\'s run permission, and the run\'s region within the caller\'s)' }),
  },
  { title: 'RunInfo' },
);
export type RunInfo = Static<typeof RunInfo>;

const RunParams = Type.Object({ id: Id });

export const runsApi = {
  runGet: endpoint({
    method: 'GET', url: '/api/runs/:id', summary: 'Status and progress of a background run (the read permission of its kind is checked by the service)', tags: ['runs'], access: 'user',
    params: RunParams,
    response: RunInfo,
  }),
  runRetry: endpoint({
    method: 'POST', url: '/api/runs/:id/retry', summary: 'Retry a failed run (queued again as its creator; an interrupted import commit is validated again first); the run permission of its kind is checked by the service', tags: ['runs'], access: 'user',
    params: RunParams,
    response: RunInfo,
  }),
} as const;
