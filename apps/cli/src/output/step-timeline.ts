import { isTerminalRunStatus, type RunView, type StepRecord } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';

const STATUS_MARK: Readonly<Record<StepRecord['status'], string>> = {
  RUNNING: '…',
  WAITING: '⏸',
  SUCCEEDED: '✓',
  FAILED: '✗',
  CANCELED: '⊘',
};

function seconds(ms: number): string {
  return `${ms >= 0 ? '+' : '-'}${(Math.abs(ms) / 1000).toFixed(3)}s`;
}

/** One timeline line of a step record, e.g. `+0.041s ✓ reserve-lines[1]/reserve  action.call  SUCCEEDED  attempt 2  12 ms`. */
export function formatStepLine(step: StepRecord, runStartedAt: string): string {
  const at = seconds(Date.parse(step.startedAt) - Date.parse(runStartedAt));
  const took = step.completedAt ? `  ${Date.parse(step.completedAt) - Date.parse(step.startedAt)} ms` : '';
  const generation = step.generation > 0 ? `  gen ${step.generation}` : '';
  const attempt = step.attempt > 1 ? `  attempt ${step.attempt}` : '';
  const error = step.error ? `  ${step.error.category}/${step.error.code}: ${step.error.message}` : '';
  return `${at.padStart(9)} ${STATUS_MARK[step.status]} ${step.path.padEnd(40)} ${step.stepType.padEnd(22)} ${step.status.padEnd(9)}${attempt}${generation}${took}${error}`;
}

/** The one-line summary of a run, e.g. `run 4f… shop.order-fulfilment@1.0.0 on db: SUCCEEDED`. */
export function formatRunHeadline(run: Pick<RunView, 'runId' | 'workflow' | 'version' | 'engine' | 'status'>): string {
  return `run ${run.runId}  ${run.workflow}@${run.version}  engine=${run.engine}  ${run.status}`;
}

/** Step records in timeline order: by generation, then order of first start. */
export function sortSteps(steps: readonly StepRecord[]): StepRecord[] {
  return [...steps].sort((a, b) => a.generation - b.generation || a.seq - b.seq);
}

/**
 * How long one `GET /v1/runs/:runId?wait=` may be held while following a run: a finished run is seen
 * at once (the ingress answers when it finishes), a step change of a run still going at most this late.
 */
export const FOLLOW_SLICE_MS = 1000;

/** Options of {@link followRun}. */
export interface FollowRunOptions {
  /** called for every new step record and every change of a record's status or attempt */
  readonly onStep: (step: StepRecord, run: RunView) => void;
  /** called when the run's status changes */
  readonly onStatus?: (run: RunView) => void;
  /** the longest one waiting read of the run is held @default {@link FOLLOW_SLICE_MS} */
  readonly sliceMs?: number;
  /** give up after this long (resolves with the last view) @default no limit */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** stop at WAITING too (e.g. a human task nobody will complete here) @default false */
  readonly stopWhenWaiting?: boolean;
  /** the run as already read (e.g. the finished run `POST /v1/runs` with `wait` answered), so it is not read again */
  readonly initial?: RunView;
}

/**
 * Follows a run until it reaches a terminal status, reporting each step change. It does not poll at an
 * interval: each read of the run is a `GET ?wait=` the ingress answers as soon as the run finishes (or
 * after {@link FollowRunOptions.sliceMs}), and the steps are read after each answer.
 */
export async function followRun(client: BatonApiClient, runId: string, options: FollowRunOptions): Promise<RunView> {
  const seen = new Map<string, string>();
  const slice = options.sliceMs ?? FOLLOW_SLICE_MS;
  const deadline = options.timeoutMs === undefined ? Infinity : performance.now() + options.timeoutMs;
  const signal = options.signal ? { signal: options.signal } : {};
  let lastStatus: string | undefined;
  let run = options.initial ?? (await client.getRun(runId, signal));
  for (;;) {
    const { items } = await client.listSteps(runId);
    for (const step of sortSteps(items)) {
      const id = `${step.generation}:${step.key}`;
      const fingerprint = `${step.status}:${step.attempt}`;
      if (seen.get(id) !== fingerprint) {
        seen.set(id, fingerprint);
        options.onStep(step, run);
      }
    }
    if (run.status !== lastStatus) {
      lastStatus = run.status;
      options.onStatus?.(run);
    }
    if (isTerminalRunStatus(run.status) || (options.stopWhenWaiting && run.status === 'WAITING')) return run;
    const remaining = deadline - performance.now();
    if (remaining <= 0 || options.signal?.aborted) return run;
    try {
      run = await client.getRun(runId, { waitMs: Math.max(1, Math.ceil(Math.min(slice, remaining))), ...signal });
    } catch (error) {
      if (options.signal?.aborted) return run;
      throw error;
    }
  }
}
