import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { Spin, Tag, TreeSelect } from 'antd';
import type { RegionNode } from '@tuopin/domain';
import { cachedNode, loadChildren, loadRoots, searchRegions, useRegionNode } from '../api/regionCache';
import { useI18n } from '../i18n';

export type RegionPickerProps = {
  /** A 12-digit region code. */
  value?: string | null;
  onChange?: (code: string | undefined, node?: RegionNode) => void;
  /** Only regions of these levels can be chosen (others are shown to navigate, greyed). */
  allowedLevels?: readonly number[];
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
  id?: string;
  'data-testid'?: string;
};

type TreeItem = {
  key: string;
  value: string;
  title: React.ReactNode;
  isLeaf: boolean;
  selectable: boolean;
  children?: TreeItem[];
};

/**
 * Region chooser: an async tree (regionRoots / regionChildren) and, while typing,
 * server-side search results (regionSearch). The value is a 12-digit code; the box shows the
 * full name of the chosen region.
 */
export function RegionPicker(props: RegionPickerProps) {
  const { value, onChange, allowedLevels, placeholder, allowClear = true, disabled, style, id } = props;
  const { t, levelLabel } = useI18n();
  const maxLevel = allowedLevels && allowedLevels.length > 0 ? Math.max(...allowedLevels) : 5;
  const allowed = useCallback(
    (level: number) => !allowedLevels || allowedLevels.length === 0 || allowedLevels.includes(level),
    [allowedLevels],
  );

  const [roots, setRoots] = useState<RegionNode[] | null>(null);
  const [children, setChildren] = useState<Record<string, RegionNode[]>>({});
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<RegionNode[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [expanded, setExpanded] = useState<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const abort = useRef<AbortController | null>(null);
  const selectedNode = useRegionNode(value ?? undefined);

  useEffect(() => {
    let alive = true;
    loadRoots()
      .then((r) => {
        if (!alive) return;
        setRoots(r);
        // open the single root so that its children are visible at once
        if (r.length === 1 && r[0] && r[0].childCount > 0 && r[0].level < maxLevel) setExpanded([r[0].code]);
      })
      .catch(() => alive && setRoots([]));
    return () => {
      alive = false;
    };
  }, [maxLevel]);

  useEffect(() => () => {
    clearTimeout(timer.current);
    abort.current?.abort();
  }, []);

  const onSearch = (q: string) => {
    setSearch(q);
    clearTimeout(timer.current);
    abort.current?.abort();
    const text = q.trim();
    if (!text) {
      setResults(null);
      setSearching(false);
      return;
    }
    setSearching(true);
    timer.current = setTimeout(() => {
      const ctl = new AbortController();
      abort.current = ctl;
      searchRegions(text, maxLevel, ctl.signal)
        .then((list) => {
          if (!ctl.signal.aborted) setResults(list);
        })
        .catch(() => {
          if (!ctl.signal.aborted) setResults([]);
        })
        .finally(() => {
          if (!ctl.signal.aborted) setSearching(false);
        });
    }, 250);
  };

  const title = useCallback(
    (n: RegionNode, full: boolean) => (
      <span
        data-testid={`region-option-${n.code}`}
        style={allowed(n.level) ? undefined : { color: 'var(--ant-color-text-tertiary, #999)' }}
      >
        {full ? n.fullName : n.name}
        {full && (
          <Tag style={{ marginInlineStart: 6 }} variant="filled">
            {levelLabel(n.level)}
          </Tag>
        )}
      </span>
    ),
    [allowed, levelLabel],
  );

  const treeData = useMemo<TreeItem[]>(() => {
    if (search.trim()) {
      return (results ?? []).map((n) => ({
        key: n.code,
        value: n.code,
        title: title(n, true),
        isLeaf: true,
        selectable: allowed(n.level),
      }));
    }
    const build = (n: RegionNode): TreeItem => {
      const kids = children[n.code];
      const leaf = n.childCount === 0 || n.level >= maxLevel;
      return {
        key: n.code,
        value: n.code,
        title: title(n, false),
        isLeaf: leaf,
        selectable: allowed(n.level),
        children: kids && !leaf ? kids.map(build) : undefined,
      };
    };
    return (roots ?? []).map(build);
  }, [search, results, roots, children, maxLevel, allowed, title]);

  const loadData = async (node: { key?: React.Key | null; value?: unknown }) => {
    const code = String(node.value ?? node.key ?? '');
    if (children[code]) return;
    const kids = await loadChildren(code);
    setChildren((c) => ({ ...c, [code]: kids }));
  };

  const label = value ? (selectedNode?.fullName ?? cachedNode(value)?.fullName ?? value) : undefined;

  return (
    <TreeSelect<{ value: string; label: React.ReactNode } | undefined>
      id={id}
      data-testid={props['data-testid']}
      style={{ minWidth: 200, ...style }}
      disabled={disabled}
      allowClear={allowClear}
      placeholder={placeholder ?? t('region.pickerPlaceholder')}
      labelInValue
      value={value ? { value, label } : undefined}
      onChange={(v) => {
        const code = v?.value ? String(v.value) : undefined;
        setSearch('');
        setResults(null);
        onChange?.(code, code ? cachedNode(code) : undefined);
      }}
      treeData={treeData}
      loadData={search.trim() ? undefined : loadData}
      treeExpandedKeys={search.trim() ? [] : expanded}
      onTreeExpand={(keys) => setExpanded(keys.map(String))}
      treeExpandAction="click"
      showSearch={{
        searchValue: search,
        onSearch,
        filterTreeNode: false,
        autoClearSearchValue: true,
      }}
      notFoundContent={searching || roots === null ? <Spin size="small" /> : t('common.noMatch')}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: 280, maxWidth: 'calc(100vw - 24px)' } } }}
      listHeight={320}
    />
  );
}
