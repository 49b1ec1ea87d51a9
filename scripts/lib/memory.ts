/**
 * Peak memory of this process and its Node children (the import's parser process), sampled from /proc. PostgreSQL
 * processes (the embedded server is a child of a benchmark) are left out: the figure is the application's memory.
 */
import fs from 'node:fs';

const statusOf = (pid: number): string | null => {
  try {
    return fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
};
const kb = (status: string, key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);

/** Child processes of `pid` (any thread's), from /proc/<pid>/task/<tid>/children. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      for (const c of fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ')) if (c.trim()) out.push(Number(c));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Node processes descending from `root` (not `root` itself). */
function nodeDescendants(root: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of childrenOf(p)) {
      const name = /^Name:\s+(.*)$/m.exec(statusOf(c) ?? '')?.[1] ?? '';
      // Node's processes only: not PostgreSQL, not tsx's esbuild service
      if (name !== 'node' && name !== 'MainThread') continue;
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

export interface MemoryPeak {
  /** highest sampled RSS of this process plus its Node children at the same moment, MB */
  totalMb: number;
  /** highest sampled RSS of this process alone, MB */
  selfMb: number;
  /** RSS of this process when sampling started, MB */
  startMb: number;
  /** highest peak RSS (VmHWM, exact) of any one child process, MB */
  childMb: number;
  /** child processes seen */
  children: number;
}

/** Samples every `ms` until stopped; returns the peaks. */
export function sampleMemory(ms = 50): { stop: () => MemoryPeak } {
  const peak: MemoryPeak = { totalMb: 0, selfMb: 0, startMb: Math.round(kb(statusOf(process.pid) ?? '', 'VmRSS') / 1024), childMb: 0, children: 0 };
  const seen = new Set<number>();
  const sample = () => {
    const self = kb(statusOf(process.pid) ?? '', 'VmRSS');
    let total = self;
    for (const pid of nodeDescendants(process.pid)) {
      const s = statusOf(pid);
      if (!s) continue;
      seen.add(pid);
      total += kb(s, 'VmRSS');
      peak.childMb = Math.max(peak.childMb, Math.round(kb(s, 'VmHWM') / 1024));
    }
    peak.selfMb = Math.max(peak.selfMb, Math.round(self / 1024));
    peak.totalMb = Math.max(peak.totalMb, Math.round(total / 1024));
  };
  sample();
  const timer = setInterval(sample, ms);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      peak.children = seen.size;
      return { ...peak };
    },
  };
}
