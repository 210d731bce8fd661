import type { StepRecord } from '@baton/event-schemas';

/** A record's path as the trace and script timings name it (`g<n>:` prefixed when generation > 0). */
export function tracePath(step: Pick<StepRecord, 'generation' | 'path'>): string {
  return `${step.generation > 0 ? `g${step.generation}:` : ''}${step.path}`;
}

/** Step records as trace lines (`path:STATUS`, `@attempt` when > 1, `g<n>:` when generation > 0), by (generation, seq). */
export function formatStepTrace(steps: readonly StepRecord[]): string[] {
  return [...steps]
    .sort((a, b) => a.generation - b.generation || a.seq - b.seq)
    .map((s) => `${tracePath(s)}:${s.status}${s.attempt > 1 ? `@${s.attempt}` : ''}`);
}
