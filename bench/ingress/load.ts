// Load generation and statistics for the ingress benchmark.

export { percentile, summarize } from '../shared/latency-stats.js';

/** What one closed-loop load phase measured. */
export interface PhaseResult<T> {
  readonly results: T[];
  /** per item, ms from send to answer */
  readonly latenciesMs: number[];
  /** per item, wall-clock epoch ms when it was sent */
  readonly sentAtMs: number[];
  readonly durationMs: number;
  readonly perSecond: number;
}

/** Sends one request per item with `clients` closed-loop clients (each sends its next item when the previous answered). */
export async function runClosedLoop<I, T>(items: readonly I[], clients: number, send: (item: I) => Promise<T>): Promise<PhaseResult<T>> {
  const results = new Array<T>(items.length);
  const latenciesMs = new Array<number>(items.length);
  const sentAtMs = new Array<number>(items.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length) {
        const index = next++;
        sentAtMs[index] = Date.now();
        const t0 = performance.now();
        results[index] = await send(items[index]!);
        latenciesMs[index] = performance.now() - t0;
      }
    }),
  );
  const durationMs = performance.now() - started;
  return { results, latenciesMs, sentAtMs, durationMs, perSecond: (items.length * 1000) / durationMs };
}

/** Polls `read` until `done` holds; throws after `timeoutMs`. */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 300_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Joins the phases of one variant measured in several rounds: rate = all items / the summed durations. */
export function mergePhases<T>(parts: ReadonlyArray<PhaseResult<T>>): PhaseResult<T> {
  const durationMs = parts.reduce((sum, p) => sum + p.durationMs, 0);
  const results = parts.flatMap((p) => p.results);
  return {
    results,
    latenciesMs: parts.flatMap((p) => p.latenciesMs),
    sentAtMs: parts.flatMap((p) => p.sentAtMs),
    durationMs,
    perSecond: (results.length * 1000) / durationMs,
  };
}

/** Splits `items` into `rounds` consecutive chunks of (nearly) equal size. */
export function chunks<T>(items: readonly T[], rounds: number): T[][] {
  const size = Math.ceil(items.length / rounds);
  return Array.from({ length: rounds }, (_, i) => items.slice(i * size, (i + 1) * size)).filter((c) => c.length > 0);
}
