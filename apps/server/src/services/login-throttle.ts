/**
 * Login throttling by address, in memory (bounded), so that one person's mistakes do not shut out the other users
 * of a county office behind the same address:
 *
 * - per account and address: at most `perAccountPerMinute` attempts a minute for one user name from one address;
 * - per address: failures of all names from the address are free up to `addressFreeFailures` in 15 minutes; beyond
 *   that each attempt from the address waits a delay that doubles every 5 further failures (1 s, 2 s, 4 s … at
 *   most 60 s) instead of a wall. (The hard ceiling of attempts per address is the rate-limit plugin's.)
 *
 * The account's own lock-out (5 failures → 15 minutes) is in the database (AuthService), for known and unknown
 * names alike. Names are keyed normalised (trimmed, lower case), so an unknown name is throttled exactly like a
 * known one.
 */
const WINDOW_MS = 15 * 60_000;
const MAX_KEYS = 20_000;

interface Entry {
  /** Attempt times of the last minute (per account and address). */
  attempts: number[];
  failures: number;
  lastFailure: number;
}

export interface ThrottleSettings {
  perAccountPerMinute: number;
  addressFreeFailures: number;
}

export class LoginThrottle {
  private readonly pairs = new Map<string, Entry>();
  private readonly addresses = new Map<string, Entry>();

  constructor(private readonly s: ThrottleSettings, private readonly now: () => number = Date.now) {}

  /** Seconds to wait before an attempt of this name from this address may be tried, or 0; counts the attempt when allowed. */
  admit(ip: string | null, name: string): number {
    const t = this.now();
    const pair = this.entry(this.pairs, pairKey(ip, name), t);
    const address = this.entry(this.addresses, ip ?? '', t);
    const excess = address.failures - this.s.addressFreeFailures;
    if (excess >= 0) {
      const delay = Math.min(60_000, 1000 * 2 ** Math.floor(excess / 5));
      const wait = address.lastFailure + delay - t;
      if (wait > 0) return Math.ceil(wait / 1000);
    }
    pair.attempts = pair.attempts.filter((a) => a > t - 60_000);
    if (pair.attempts.length >= this.s.perAccountPerMinute) return Math.max(1, Math.ceil((pair.attempts[0]! + 60_000 - t) / 1000));
    pair.attempts.push(t);
    return 0;
  }

  failed(ip: string | null, name: string): void {
    const t = this.now();
    for (const e of [this.entry(this.pairs, pairKey(ip, name), t), this.entry(this.addresses, ip ?? '', t)]) {
      e.failures++;
      e.lastFailure = t;
    }
  }

  succeeded(ip: string | null, name: string): void {
    this.pairs.delete(pairKey(ip, name));
  }

  /** The entry of a key; failures older than the window are forgotten; the map never grows beyond MAX_KEYS. */
  private entry(map: Map<string, Entry>, key: string, t: number): Entry {
    let e = map.get(key);
    if (e && e.failures > 0 && e.lastFailure < t - WINDOW_MS) {
      e.failures = 0;
    }
    if (!e) {
      if (map.size >= MAX_KEYS) {
        for (const [k, v] of map) if (v.lastFailure < t - WINDOW_MS && v.attempts.every((a) => a <= t - 60_000)) map.delete(k);
        // Still full (a flood of distinct names): drop the oldest entries, in insertion order.
        for (const k of map.keys()) {
          if (map.size < MAX_KEYS) break;
          map.delete(k);
        }
      }
      e = { attempts: [], failures: 0, lastFailure: 0 };
      map.set(key, e);
    }
    return e;
  }
}

/** The lock-out key of a user name: trimmed, lower case (user names are unique case-insensitively). */
export const normaliseName = (name: string) => name.trim().toLowerCase();
const pairKey = (ip: string | null, name: string) => `${ip ?? ''}\n${normaliseName(name)}`;
