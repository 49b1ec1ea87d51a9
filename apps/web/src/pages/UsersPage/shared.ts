/** Types and checks shared by the users page and its modals. */
import type { EndpointBody, EndpointQuery } from '@tuopin/domain';
import type { api } from '../../api/client';

export type Query = NonNullable<EndpointQuery<typeof api.userList>>;
export type CreateBody = EndpointBody<typeof api.userCreate>;
export type UpdateBody = EndpointBody<typeof api.userUpdate>;

export const PHONE_RE = /^1\d{10}$/;
