import type { Static, TSchema } from 'typebox';
import { Type } from 'typebox';
import type { Permission } from '../roles';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call an endpoint: 'public' (no session), 'session' (any logged-in user,
 * including one who must still change the password), 'user' (a logged-in user in good
 * standing), or a named permission. Checked in one place by the server's auth hook.
 */
export type Access = 'public' | 'session' | 'user' | Permission;

/**
 * One API endpoint: the single source of truth for the server's route schema,
 * the OpenAPI document and the web client's types.
 */
export interface Endpoint {
  method: HttpMethod;
  url: string;
  summary: string;
  tags: readonly string[];
  access: Access;
  /** Requests that change state; the server requires the CSRF header for them. */
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: TSchema;
  status?: 200 | 201;
}

export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

type StaticOr<T, F> = T extends TSchema ? Static<T> : F;
export type EndpointParams<E extends Endpoint> = StaticOr<E['params'], undefined>;
export type EndpointQuery<E extends Endpoint> = StaticOr<E['querystring'], undefined>;
export type EndpointBody<E extends Endpoint> = StaticOr<E['body'], undefined>;
export type EndpointResponse<E extends Endpoint> = Static<E['response']>;

/**
 * The one error shape of the API. `code` is the specific code of the message catalogue (packages/domain/src/messages,
 * e.g. 'import.busy'), `kind` the generic kind (VALIDATION, NOT_FOUND, CONFLICT, …); `message` is Chinese, rendered
 * from the catalogue with `params`; details name the bad fields, each with its own code and params where it comes
 * from the catalogue. Clients translate by code + params and fall back to the message.
 */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: "Message code of the catalogue, e.g. 'import.busy' (or a generic kind for a message without one)" }),
    kind: Type.Optional(Type.String({ description: 'Generic kind: VALIDATION, NOT_FOUND, CONFLICT, FORBIDDEN, …' })),
    message: Type.String({ description: 'Human-readable message (zh-CN)' }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "The message's parameters" })),
    details: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
          code: Type.Optional(Type.String()),
          params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
      ),
    ),
  },
  { title: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const ERROR_CODES = [
  'VALIDATION',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CSRF',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'LOCKED',
  'PASSWORD_CHANGE_REQUIRED',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const Ok = Type.Object({ ok: Type.Literal(true) });
