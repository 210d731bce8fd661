import fs from 'node:fs';
import path from 'node:path';
import type { EngineKind, JsonValue, RunView, StepRecord } from '@baton/event-schemas';
import type { BatonApiClient } from '../../api/baton-api-client.js';
import { sortSteps } from '../../output/step-timeline.js';
import { EXAMPLES_DIR, eventually } from './e2e-stack.js';

/** Both engines, in the order the suites run them. */
export const ENGINES: readonly EngineKind[] = ['db', 'temporal'];

/** Reads an example definition from `examples/`. */
export function loadExample(relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, relative), 'utf8')) as Record<string, unknown>;
}

/**
 * The definition with every literal `timeoutMs` of an `event.wait` or `human.task` step set to
 * `ms`: those waits are days long in the examples, and (unlike timers) cannot come from the input.
 */
export function withWaitTimeouts<T>(definition: T, ms: number): T {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value && typeof value === 'object') {
      const entries = Object.entries(value).map(([k, v]) => [k, visit(v)] as const);
      const object = Object.fromEntries(entries) as Record<string, unknown>;
      if ((object.type === 'event.wait' || object.type === 'human.task') && typeof object.timeoutMs === 'number') object.timeoutMs = ms;
      return object;
    }
    return value;
  };
  return visit(definition) as T;
}

/** What two engines must agree on for each step of a run: everything but times and outputs. */
export interface TraceEntry {
  readonly generation: number;
  readonly seq: number;
  readonly stepId: string;
  readonly path: string;
  readonly stepType: string;
  readonly status: string;
  readonly attempt: number;
  readonly error?: string;
}

/** The run's step trace in timeline order. */
export async function traceOf(client: BatonApiClient, runId: string): Promise<TraceEntry[]> {
  const { items } = await client.listSteps(runId);
  return sortSteps(items).map((s: StepRecord) => ({
    generation: s.generation,
    seq: s.seq,
    stepId: s.stepId,
    path: s.path,
    stepType: s.stepType,
    status: s.status,
    attempt: s.attempt,
    ...(s.error ? { error: `${s.error.category}/${s.error.code}` } : {}),
  }));
}

/** Waits until the run is SUCCEEDED, FAILED or CANCELED. */
export function awaitFinished(client: BatonApiClient, runId: string, timeoutMs = 60_000): Promise<RunView> {
  return eventually(`run ${runId} to finish`, async () => {
    const run = await client.getRun(runId);
    return run.status === 'SUCCEEDED' || run.status === 'FAILED' || run.status === 'CANCELED' ? run : undefined;
  }, timeoutMs, 150);
}

/** Waits until the run has an open wait matching `predicate` (e.g. a human task, an event wait of a later generation). */
export function awaitWait(client: BatonApiClient, runId: string, predicate: (run: RunView, steps: readonly StepRecord[]) => boolean, timeoutMs = 60_000): Promise<RunView> {
  return eventually(`run ${runId} to reach the expected wait`, async () => {
    const run = await client.getRun(runId);
    if (run.status !== 'WAITING') return undefined;
    const { items } = await client.listSteps(runId);
    return predicate(run, items) ? run : undefined;
  }, timeoutMs, 100);
}

/** Starts one run per engine with the same input. */
export async function startOnEachEngine(client: BatonApiClient, workflow: string, input: JsonValue): Promise<Record<EngineKind, string>> {
  const ids = await Promise.all(ENGINES.map(async (engine) => (await client.startRun({ workflow, input, engine })).body));
  for (const [i, started] of ids.entries()) if (started.engine !== ENGINES[i]) throw new Error(`asked for ${ENGINES[i]}, got ${started.engine}`);
  return { db: ids[0]!.runId, temporal: ids[1]!.runId };
}
