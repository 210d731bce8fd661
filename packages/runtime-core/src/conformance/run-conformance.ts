// The scenario runner: drives any engine through a ConformanceHarness and compares the end
// of each run with the scenario's expectation.
import type { RunWait, StepRecord } from '@baton/event-schemas';
import { canonicalJson } from '../hashing/content-hash.js';
import type { ConformanceHarness, HarnessRunView } from './harness.js';
import type { ConformanceScenario, ScenarioExpectation } from './scenario.js';
import { conformanceScenarios } from './scenarios/index.js';
import { formatStepTrace } from './step-trace.js';

/** Options of {@link runConformance} / {@link runScenario}. */
export interface RunConformanceOptions {
  /** Scenarios to run. @default conformanceScenarios */
  readonly scenarios?: readonly ConformanceScenario[];
  /** Tenant of the runs. @default 'conformance' */
  readonly tenant?: string;
  /** Real-time budget of one wait for a run state, in ms. @default 30000 */
  readonly waitTimeoutMs?: number;
}

/** Outcome of one scenario. */
export interface ScenarioResult {
  readonly name: string;
  readonly passed: boolean;
  /** one line per mismatch (empty when passed) */
  readonly failures: readonly string[];
  readonly runId?: string;
}

/** Outcome of a kit run. */
export interface ConformanceReport {
  readonly harness: string;
  readonly results: readonly ScenarioResult[];
  readonly passed: number;
  readonly failed: number;
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

class ScenarioAbort extends Error {}

async function waitFor<T>(harness: ConformanceHarness, timeoutMs: number, what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new ScenarioAbort(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await harness.tick();
  }
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function compare(expected: ScenarioExpectation, run: HarnessRunView, steps: readonly StepRecord[], logicalClock: boolean): string[] {
  const failures: string[] = [];
  if (run.status !== expected.status) failures.push(`status: expected ${expected.status}, got ${run.status}${run.error ? ` (${run.error.category} ${run.error.code}: ${run.error.message})` : ''}`);
  if (expected.output !== undefined && !same(run.output, expected.output)) {
    failures.push(`output: expected ${canonicalJson(expected.output)}, got ${run.output === undefined ? 'nothing' : canonicalJson(run.output)}`);
  }
  if (expected.error) {
    for (const [field, value] of Object.entries(expected.error)) {
      const actual = (run.error as Record<string, unknown> | undefined)?.[field];
      if (actual !== value) failures.push(`error.${field}: expected ${JSON.stringify(value)}, got ${JSON.stringify(actual)}`);
    }
  }
  if (expected.stepTrace) {
    const trace = formatStepTrace(steps);
    if (!same(trace, expected.stepTrace)) failures.push(`stepTrace: expected ${JSON.stringify(expected.stepTrace)}, got ${JSON.stringify(trace)}`);
  }
  for (const timing of expected.timings ?? []) {
    const record = steps.find((s) => s.path === timing.path && s.completedAt !== undefined);
    if (!record) {
      failures.push(`timing: no finished step at ${timing.path}`);
      continue;
    }
    const ms = Date.parse(record.completedAt!) - Date.parse(record.startedAt);
    if (ms < timing.minMs) failures.push(`timing ${timing.path}: took ${ms} ms, expected at least ${timing.minMs}`);
    if (logicalClock && timing.logicalMs !== undefined && ms !== timing.logicalMs) {
      failures.push(`timing ${timing.path}: took ${ms} logical ms, expected exactly ${timing.logicalMs}`);
    }
  }
  return failures;
}

/** Runs one scenario against a harness. */
export async function runScenario(harness: ConformanceHarness, scenario: ConformanceScenario, options: RunConformanceOptions = {}): Promise<ScenarioResult> {
  const tenant = options.tenant ?? 'conformance';
  const timeoutMs = options.waitTimeoutMs ?? 30_000;
  const failures: string[] = [];
  let runId: string | undefined;
  try {
    await harness.publish([...(scenario.children ?? []), scenario.definition]);
    const id = await harness.start({ tenant, workflow: scenario.definition.name, version: scenario.definition.version, input: scenario.input });
    runId = id;
    const consumed = new Set<string>();
    for (const [index, action] of (scenario.script ?? []).entries()) {
      const wait: RunWait = await waitFor(harness, timeoutMs, `a wait on ${action.whenWaitingOn} (script[${index}])`, async () => {
        const run = await harness.getRun(id);
        if (TERMINAL.has(run.status)) throw new ScenarioAbort(`script[${index}]: the run ended ${run.status} before waiting on ${action.whenWaitingOn}${run.error ? ` (${run.error.code}: ${run.error.message})` : ''}`);
        return run.waits.find((w) => w.stepId === action.whenWaitingOn && !consumed.has(w.waitId));
      });
      switch (action.kind) {
        case 'deliverEvent':
          await harness.deliverEvent(id, {
            eventId: `${id}:${action.eventId}`,
            eventName: action.eventName,
            correlationKey: action.correlationKey ?? wait.correlationKey ?? '',
            payload: action.payload,
          });
          if (!action.expectIgnored) consumed.add(wait.waitId);
          break;
        case 'completeTask': {
          const result = await harness.completeTask(id, wait.waitId, action.response, action.completedBy);
          if (action.expectRejected) {
            if (result.accepted) failures.push(`script[${index}]: the response ${canonicalJson(action.response)} was accepted, expected VALIDATION_ERROR`);
            else if (result.error?.code !== 'VALIDATION_ERROR') failures.push(`script[${index}]: expected a VALIDATION_ERROR refusal, got ${result.error?.code ?? 'no error'}`);
          } else {
            if (!result.accepted) failures.push(`script[${index}]: the response was refused: ${result.error?.message ?? 'no reason'}`);
            consumed.add(wait.waitId);
          }
          break;
        }
        case 'cancel':
          await harness.cancel(id, action.reason);
          break;
      }
    }
    const run = await waitFor(harness, timeoutMs, 'the end of the run', async () => {
      const view = await harness.getRun(id);
      return TERMINAL.has(view.status) ? view : undefined;
    });
    failures.push(...compare(scenario.expected, run, await harness.getSteps(id), harness.logicalClock ?? false));
  } catch (error) {
    failures.push(error instanceof ScenarioAbort ? error.message : `harness error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
  return { name: scenario.name, passed: failures.length === 0, failures, ...(runId !== undefined ? { runId } : {}) };
}

/** Runs every scenario (sequentially) against a harness and reports each outcome. */
export async function runConformance(harness: ConformanceHarness, options: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios ?? conformanceScenarios) results.push(await runScenario(harness, scenario, options));
  const passed = results.filter((r) => r.passed).length;
  return { harness: harness.name, results, passed, failed: results.length - passed };
}
