import type { AgeCurve, Weights } from './calibration';

/** 32-bit FNV-1a of a string, mixed with a number: seeds one stream per village. */
export function hashSeed(seed: number, key: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h, 0x01000193);
  h ^= Math.floor(seed / 0x100000000) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Deterministic PRNG (mulberry32): the same seed gives the same sequence on every platform.
 * Not for anything secret.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}

/** A weighted choice prepared once (cumulative weights), sampled in O(log n). */
export class Choice<T> {
  private readonly values: T[];
  private readonly cumulative: number[];
  private readonly total: number;
  constructor(weights: Weights<T>) {
    this.values = weights.map((w) => w[0]);
    let sum = 0;
    this.cumulative = weights.map((w) => (sum += w[1]));
    this.total = sum;
    if (!(sum > 0)) throw new Error('weights must sum to more than 0');
  }

  sample(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }
}

export function ageCurve(curve: AgeCurve, age: number): number {
  for (const [max, p] of curve) if (age < max) return p;
  return curve[curve.length - 1]![1];
}

/** Rounds to fen (two decimals). */
export function fen(yuan: number): number {
  return Math.round(yuan * 100) / 100;
}
