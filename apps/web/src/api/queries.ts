/**
 * Server state through TanStack Query, on top of the typed client (client.ts).
 *
 *   const detail = useApiQuery(api.householdGet, { params: { countyCode, id } });
 *   const save = useApiMutation(api.householdUpdate, { invalidates: [keys.households] });
 *   await save.mutateAsync({ params, body });
 *
 * The query key of a call is [endpoint id, input]: every key of an area starts with that area's
 * endpoint ids, so `invalidate(keys.households)` refetches the list, the detail and the history of
 * households after a change. Pages do not write useEffect/useState loading by hand.
 */
import { useEffect, useRef } from 'react';
import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type QueryKey,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { EndpointResponse } from '@tuopin/domain';
import { api, call, type CallInput, type Endpoint } from './client';
import { queryClient } from './queryClient';

/** The input of a call without the transport options (they are not part of the key). */
type Input<E extends Endpoint> = Omit<CallInput<E>, 'signal' | 'quiet'>;

const idOf = new Map<Endpoint, string>(Object.entries(api).map(([name, e]) => [e as Endpoint, name]));

/** The name of an endpoint in the contract (api.householdList → 'householdList'). */
export function endpointId(endpoint: Endpoint): string {
  return idOf.get(endpoint) ?? `${endpoint.method} ${endpoint.url}`;
}

/** The query key of one call: [endpoint id, input]. */
export function queryKeyOf<E extends Endpoint>(endpoint: E, input?: Input<E>): QueryKey {
  return input === undefined ? [endpointId(endpoint)] : [endpointId(endpoint), input];
}

/**
 * The endpoints of each area whose cached answers a change in that area makes stale. An area is a list
 * of endpoint ids; invalidating it refetches every cached call of those endpoints (any input).
 */
const area = (...endpoints: Endpoint[]) => endpoints.map(endpointId);
export const keys = {
  households: area(api.householdList, api.householdGet, api.householdHistory, api.dashboard),
  /** What a change of one household makes stale besides its record (which the page replaces by the saved one). */
  householdChange: area(api.householdList, api.householdHistory, api.dashboard),
  measures: area(api.measureList, api.householdHistory),
  users: area(api.userList, api.auditList),
  /** The region tree (api/regionCache.ts keeps it under 'regionCache'), its search, and the dashboard. */
  regions: ['regionCache', ...area(api.regionSearch, api.dashboard)],
  audit: area(api.auditList),
  dashboard: area(api.dashboard),
  /** Warning rules: the list (and the household page's rule panel on it) and the versions. */
  rules: area(api.rulesList, api.ruleVersions),
  /** Warning runs: the list and one run. */
  ruleRuns: area(api.ruleRunList, api.ruleRunGet),
  /** Policy settings: the values in force and their history. */
  policy: area(api.policyEffective, api.policyHistory),
} as const;

/** Marks the cached answers of the given areas (or single endpoints) stale and refetches those on screen. */
export function invalidate(client: QueryClient, ...areas: (readonly string[] | Endpoint)[]): Promise<void> {
  const ids = new Set(areas.flatMap((a) => (Array.isArray(a) ? a : [endpointId(a as Endpoint)])));
  return client.invalidateQueries({ predicate: (q) => ids.has(String(q.queryKey[0])) });
}

/** Forgets all server state (login / logout: another user sees other data). */
export function clearQueries(): void {
  queryClient.clear();
}

type QueryOpts<E extends Endpoint> = Omit<UseQueryOptions<EndpointResponse<E>, Error>, 'queryKey' | 'queryFn'> & {
  /** Keep showing the previous answer while the next one loads (paging, filters). */
  keepPrevious?: boolean;
};

/** One GET of the contract as a query; `enabled: false` (or input null) waits. */
export function useApiQuery<E extends Endpoint>(endpoint: E, input: Input<E> | null | undefined = undefined, opts: QueryOpts<E> = {}) {
  const { keepPrevious, ...rest } = opts;
  return useQuery<EndpointResponse<E>, Error>({
    queryKey: queryKeyOf(endpoint, input ?? undefined),
    queryFn: ({ signal }) => (call as (e: E, i: object) => Promise<EndpointResponse<E>>)(endpoint, { ...(input ?? {}), signal }),
    ...(keepPrevious ? { placeholderData: keepPreviousData } : {}),
    ...rest,
    enabled: input !== null && (rest.enabled ?? true),
  });
}

type MutationOpts<E extends Endpoint> = Omit<UseMutationOptions<EndpointResponse<E>, Error, Input<E>>, 'mutationFn'> & {
  /** Areas (keys.*) or endpoints whose cached answers the change makes stale. */
  invalidates?: (readonly string[] | Endpoint)[];
};

/** One change of the contract as a mutation; on success it invalidates the given areas. */
export function useApiMutation<E extends Endpoint>(endpoint: E, opts: MutationOpts<E> = {}) {
  const client = useQueryClient();
  const { invalidates = [], onSuccess, ...rest } = opts;
  return useMutation<EndpointResponse<E>, Error, Input<E>>({
    mutationFn: (input) => (call as (e: E, i: object) => Promise<EndpointResponse<E>>)(endpoint, input),
    ...rest,
    onSuccess: async (...args) => {
      if (invalidates.length > 0) await invalidate(client, ...invalidates);
      await onSuccess?.(...args);
    },
  });
}

/**
 * Refetches a query when `version` changes after the first render (a panel of the household page reloads when the
 * household record shown is replaced, e.g. after a saved change).
 */
export function useRefetchOn(refetch: () => unknown, version: unknown): void {
  const seen = useRef(version);
  useEffect(() => {
    if (seen.current === version) return;
    seen.current = version;
    void refetch();
  }, [version, refetch]);
}

/** Puts a fresh answer (e.g. the record a change returned) into the cache of a call. */
export function setQueryAnswer<E extends Endpoint>(client: QueryClient, endpoint: E, input: Input<E>, data: EndpointResponse<E>): void {
  client.setQueryData(queryKeyOf(endpoint, input), data);
}
