/** What a closed-loop phase accumulates over its rounds. */
export interface ClosedLoopPhase {
  readonly latenciesMs: number[];
  durationMs: number;
  /** CPU of this process (user + system) */
  cpuMs: number;
}

/**
 * Runs `run(0..count-1)` through `concurrency` closed-loop clients: each starts its next run when
 * the previous one returned. With `into`, adds each run's latency, the wall time and this process's
 * CPU to it (a warm-up passes none).
 */
export async function closedLoop<T>(concurrency: number, count: number, run: (index: number) => Promise<T>, into?: ClosedLoopPhase): Promise<T[]> {
  let next = 0;
  const results: T[] = [];
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const t0 = performance.now();
        results.push(await run(index));
        into?.latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  if (into) {
    into.durationMs += performance.now() - started;
    const used = process.cpuUsage(cpu);
    into.cpuMs += (used.user + used.system) / 1000;
  }
  return results;
}
