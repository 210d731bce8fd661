import type { StepRecord } from '@baton/event-schemas';

/** Step records as trace lines (`path:STATUS`, `@attempt` when > 1, `g<n>:` when generation > 0), by (generation, seq). */
export function formatStepTrace(steps: readonly StepRecord[]): string[] {
  return [...steps]
    .sort((a, b) => a.generation - b.generation || a.seq - b.seq)
    .map((s) => `${s.generation > 0 ? `g${s.generation}:` : ''}${s.path}:${s.status}${s.attempt > 1 ? `@${s.attempt}` : ''}`);
}
