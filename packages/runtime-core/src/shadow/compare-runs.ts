// The comparison of a primary and its shadow once both finished (pure): what they did, step by
// step, and how they ended. Timings and ids are not compared (they differ by construction).
import type { JsonValue, RunStatus, StepRecord, WorkflowError } from '@baton/event-schemas';
import { canonicalJson } from '../hashing/content-hash.js';
import { SHADOW_STOP_CODE } from './stop-shadow-run.js';

/** How a finished run is compared. */
export interface ComparedRun {
  readonly status: RunStatus;
  readonly output?: JsonValue;
  readonly error?: WorkflowError;
  /** step records ordered by (generation, seq), as `RunStore.listSteps` answers */
  readonly steps: readonly StepRecord[];
}

/** The first point where the shadow did something else than its primary. */
export interface ShadowDifference {
  /** the step's execution path (`check/loop[2]/charge`), or `$` for the run itself */
  readonly path: string;
  /** `step` (one run has a step the other has not), `status`, `attempts`, `errorCategory`, `errorCode`, `output`, or `ACTION_NOT_CALLED_BY_PRIMARY` */
  readonly field: string;
  readonly primary: JsonValue;
  readonly shadow: JsonValue;
}

/** The verdict of {@link compareShadowRuns}. */
export type ShadowComparisonResult = { readonly result: 'MATCH' } | { readonly result: 'DIFFERENT'; readonly firstDifference: ShadowDifference };

/** The path that designates the run as a whole in a {@link ShadowDifference}. */
export const RUN_PATH = '$';

/** One entry of the compared step trace: (path, status, attempts), no timings. */
export interface TraceEntry {
  readonly path: string;
  readonly status: string;
  readonly attempts: number;
  /** a container (forEach, if, tryCatch): its status follows from the steps in it */
  readonly container: boolean;
}

const CONTAINERS: ReadonlySet<string> = new Set(['control.forEach', 'control.if', 'control.tryCatch']);

/** The step trace as compared: generation-prefixed path, status and attempts, in execution order. */
export function stepTrace(steps: readonly StepRecord[]): TraceEntry[] {
  return steps.map((s) => ({ path: s.generation > 0 ? `g${s.generation}:${s.path}` : s.path, status: s.status, attempts: s.attempt, container: CONTAINERS.has(s.stepType) }));
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * Compares a finished primary with its finished shadow, in this order: a shadow stopped by a call its
 * primary never made (reported at that call's path); the step trace entry by entry (path, then status,
 * then attempts; a container's status — forEach, if, tryCatch — after all steps, since it follows from
 * the steps in it, so the step that made the difference is the one reported); then the run's status, error category, error code and output. The first difference
 * found is the answer.
 */
export function compareShadowRuns(primary: ComparedRun, shadow: ComparedRun): ShadowComparisonResult {
  const different = (d: ShadowDifference): ShadowComparisonResult => ({ result: 'DIFFERENT', firstDifference: d });
  if (shadow.error?.code === SHADOW_STOP_CODE.ACTION_NOT_CALLED_BY_PRIMARY) {
    const details = (shadow.error.details ?? {}) as { path?: unknown; action?: unknown; attempt?: unknown };
    const path = typeof details.path === 'string' ? details.path : (shadow.error.stepId ?? RUN_PATH);
    const call = `${typeof details.action === 'string' ? details.action : 'action'} (attempt ${typeof details.attempt === 'number' ? details.attempt : '?'})`;
    return different({ path, field: SHADOW_STOP_CODE.ACTION_NOT_CALLED_BY_PRIMARY, primary: null, shadow: call });
  }
  const p = stepTrace(primary.steps);
  const s = stepTrace(shadow.steps);
  for (let i = 0; i < Math.max(p.length, s.length); i++) {
    const a = p[i];
    const b = s[i];
    if (!a || !b) {
      const present = (a ?? b)!;
      return different({ path: present.path, field: 'step', primary: a ? a.status : null, shadow: b ? b.status : null });
    }
    if (a.path !== b.path) return different({ path: a.path, field: 'step', primary: a.path, shadow: b.path });
    if (a.container) continue;
    if (a.status !== b.status) return different({ path: a.path, field: 'status', primary: a.status, shadow: b.status });
    if (a.attempts !== b.attempts) return different({ path: a.path, field: 'attempts', primary: a.attempts, shadow: b.attempts });
  }
  // A container's status follows from the steps in it: it is compared after every step.
  for (let i = 0; i < p.length; i++) {
    const a = p[i]!;
    const b = s[i]!;
    if (a.container && a.status !== b.status) return different({ path: a.path, field: 'status', primary: a.status, shadow: b.status });
  }
  if (primary.status !== shadow.status) return different({ path: RUN_PATH, field: 'status', primary: primary.status, shadow: shadow.status });
  if ((primary.error?.category ?? null) !== (shadow.error?.category ?? null)) {
    return different({ path: RUN_PATH, field: 'errorCategory', primary: primary.error?.category ?? null, shadow: shadow.error?.category ?? null });
  }
  if ((primary.error?.code ?? null) !== (shadow.error?.code ?? null)) {
    return different({ path: RUN_PATH, field: 'errorCode', primary: primary.error?.code ?? null, shadow: shadow.error?.code ?? null });
  }
  if (!sameJson(primary.output, shadow.output)) return different({ path: RUN_PATH, field: 'output', primary: primary.output ?? null, shadow: shadow.output ?? null });
  return { result: 'MATCH' };
}
