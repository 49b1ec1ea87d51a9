/**
 * Per-session cache of the region tree (regions do not change while the app runs): the answers are queries of the
 * app's TanStack Query client that never go stale (roots, children, detail), plus a map of every node seen, for
 * looking one up by code without a request. Cleared on login / logout because every user sees a different part of
 * the tree (clearQueries clears the answers, clearRegionCache the nodes).
 */
import { useEffect, useState } from 'react';
import type { RegionDetail, RegionNode } from '@tuopin/domain';
import { api, call } from './client';
import { queryClient } from './queryClient';

const nodes = new Map<string, RegionNode>();
let generation = 0;

/** The options of a region answer as a query that never goes stale (a failed one is asked again next time). */
const options = <T>(key: readonly unknown[], load: () => Promise<T>) =>
  ({ queryKey: ['regionCache', ...key], queryFn: load, staleTime: Infinity, gcTime: Infinity, retry: false }) as const;

function remember(list: RegionNode[]): RegionNode[] {
  for (const n of list) nodes.set(n.code, n);
  return list;
}

export function clearRegionCache(): void {
  nodes.clear();
  queryClient.removeQueries({ queryKey: ['regionCache'] });
  generation++;
}

export function cachedNode(code: string): RegionNode | undefined {
  return nodes.get(code);
}

/** The same region answers as query options, for pages that read them with useQuery (the regions page). */
export const regionQueries = {
  roots: () => options(['roots'], () => call(api.regionRoots).then(remember)),
  children: (code: string) => options(['children', code], () => call(api.regionChildren, { params: { code } }).then(remember)),
  detail: (code: string) =>
    options(['detail', code], () =>
      call(api.region, { params: { code } }).then((d) => {
        remember([d.region, ...d.path]);
        return d;
      }),
    ),
};

export function loadRoots(): Promise<RegionNode[]> {
  return queryClient.fetchQuery(regionQueries.roots());
}

export function loadChildren(code: string): Promise<RegionNode[]> {
  return queryClient.fetchQuery(regionQueries.children(code));
}

export function loadDetail(code: string): Promise<RegionDetail> {
  return queryClient.fetchQuery(regionQueries.detail(code));
}

export async function searchRegions(q: string, maxLevel?: number, signal?: AbortSignal): Promise<RegionNode[]> {
  const list = await call(api.regionSearch, { query: { q, limit: 30, maxLevel }, signal });
  return remember(list);
}

/** The node of a code, from the cache or fetched; undefined while loading or when not visible. */
export function useRegionNode(code: string | null | undefined): RegionNode | undefined {
  const [node, setNode] = useState<RegionNode | undefined>(() => (code ? nodes.get(code) : undefined));
  useEffect(() => {
    if (!code) {
      setNode(undefined);
      return;
    }
    const hit = nodes.get(code);
    setNode(hit);
    if (hit) return;
    let alive = true;
    const gen = generation;
    loadDetail(code)
      .then((d) => {
        if (alive && gen === generation) setNode(d.region);
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [code]);
  return node;
}
