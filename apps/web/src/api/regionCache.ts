/**
 * Per-session cache of the region tree (regions do not change while the app runs).
 * Cleared on login / logout because every user sees a different part of the tree.
 */
import { useEffect, useState } from 'react';
import type { RegionDetail, RegionNode } from '@tuopin/domain';
import { api, call } from './client';

const nodes = new Map<string, RegionNode>();
const childLists = new Map<string, Promise<RegionNode[]>>();
const details = new Map<string, Promise<RegionDetail>>();
let roots: Promise<RegionNode[]> | null = null;
let generation = 0;

function remember(list: RegionNode[]): RegionNode[] {
  for (const n of list) nodes.set(n.code, n);
  return list;
}

export function clearRegionCache(): void {
  nodes.clear();
  childLists.clear();
  details.clear();
  roots = null;
  generation++;
}

export function cachedNode(code: string): RegionNode | undefined {
  return nodes.get(code);
}

export function loadRoots(): Promise<RegionNode[]> {
  if (!roots) {
    const p = call(api.regionRoots).then(remember);
    p.catch(() => {
      if (roots === p) roots = null;
    });
    roots = p;
  }
  return roots;
}

export function loadChildren(code: string): Promise<RegionNode[]> {
  let p = childLists.get(code);
  if (!p) {
    p = call(api.regionChildren, { params: { code } }).then(remember);
    const mine = p;
    p.catch(() => {
      if (childLists.get(code) === mine) childLists.delete(code);
    });
    childLists.set(code, p);
  }
  return p;
}

export function loadDetail(code: string): Promise<RegionDetail> {
  let p = details.get(code);
  if (!p) {
    p = call(api.region, { params: { code } }).then((d) => {
      remember([d.region, ...d.path]);
      return d;
    });
    const mine = p;
    p.catch(() => {
      if (details.get(code) === mine) details.delete(code);
    });
    details.set(code, p);
  }
  return p;
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
