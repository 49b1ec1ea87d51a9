/**
 * `--trace` for the benchmark scripts: logs every SQL statement of the process that takes longer than 20 ms
 * (its first words and its time), to see where a run's time goes. Off unless asked for.
 */
import pg from 'pg';

export function traceStatements(log: (m: string) => void, minMs = 20): void {
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const result = original.apply(this, args);
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
    if (text && result && typeof (result as Promise<unknown>).then === 'function') {
      const t = performance.now();
      void (result as Promise<unknown>).then(
        () => {
          const ms = performance.now() - t;
          if (ms >= minMs) log(`  sql ${ms.toFixed(0).padStart(6)} ms  ${text.replace(/\s+/g, ' ').trim().slice(0, 90)}`);
        },
        () => undefined,
      );
    }
    return result;
  };
}
