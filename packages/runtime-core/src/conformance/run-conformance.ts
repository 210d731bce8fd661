// The scenario runner: drives any engine through a ConformanceHarness and compares the end
// of each run with the scenario's expectation.
import type { JsonValue, RunWait, StepRecord } from '@baton/event-schemas';
import { canonicalJson } from '../hashing/content-hash.js';
import { attemptId, childRunIdFor } from '../interpreter/ids.js';
import type { ConformanceHarness, HarnessRunView } from './harness.js';
import type { ConformanceScenario, ScenarioExpectation, ScriptAction } from './scenario.js';
import { conformanceScenarios } from './scenarios/index.js';
import { formatStepTrace, tracePath } from './step-trace.js';

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

/** Where a script action found its moment: the open wait (`whenWaitingOn`) or the step record. */
interface ScriptMoment {
  readonly wait?: RunWait;
  readonly record?: StepRecord;
}

const FINISHED_STEP = new Set(['SUCCEEDED', 'FAILED', 'CANCELED']);

function timingText(action: ScriptAction): string {
  if (action.whenWaitingOn !== undefined) return `a wait on ${action.whenWaitingOn}`;
  if (action.whenRunning !== undefined) return `${action.whenRunning} running`;
  return `${action.whenFinished} finished`;
}

/**
 * How a scenario execution names its events: ids are scoped by `scope` (the run id, or for an entity
 * scenario a per-execution scope), and an entity scenario's correlation keys (its entity keys) too.
 */
interface EventScope {
  readonly scope: string;
  readonly keys: boolean;
}

function scopedEvent(events: EventScope, event: { readonly eventId: string; readonly eventName: string; readonly correlationKey: string; readonly payload: JsonValue }) {
  return {
    eventId: `${events.scope}:${event.eventId}`,
    eventName: event.eventName,
    correlationKey: events.keys ? `${events.scope}:${event.correlationKey}` : event.correlationKey,
    payload: event.payload,
  };
}

/** Performs the scenario's script on run `id`; mismatches go to `failures`. */
async function performScript(
  harness: ConformanceHarness,
  scenario: ConformanceScenario,
  id: string,
  tenant: string,
  timeoutMs: number,
  failures: string[],
  events: EventScope = { scope: id, keys: false },
): Promise<void> {
  const consumed = new Set<string>();
  /** the last open wait seen per (run, step id): a task that closed is still completed by its id */
  const seenWaits = new Map<string, RunWait>();
  const see = (runId: string, waits: readonly RunWait[]) => {
    for (const w of waits) seenWaits.set(`${runId}\u0000${w.stepId}`, w);
  };
  for (const [index, action] of (scenario.script ?? []).entries()) {
    const label = `script[${index}]`;
    let target = id;
    if (action.child !== undefined) {
      // The child run id is the interpreter's deterministic id of the callWorkflow step's attempt.
      const childRecord = await waitFor(harness, timeoutMs, `the child run of ${action.child} (${label})`, async () => {
        const record = (await harness.getSteps(id)).find((s) => s.stepId === action.child && !FINISHED_STEP.has(s.status));
        if (record) return record;
        const run = await harness.getRun(id);
        if (TERMINAL.has(run.status)) throw new ScenarioAbort(`${label}: the run ended ${run.status} before its child ${action.child} started`);
        return undefined;
      });
      target = childRunIdFor(attemptId(id, childRecord.stepId, childRecord.iteration, childRecord.attempt));
      await waitFor(harness, timeoutMs, `the child run ${target} to exist (${label})`, () => harness.getRun(target).catch(() => undefined));
    }
    const moment: ScriptMoment = await waitFor(harness, timeoutMs, `${timingText(action)} (${label})`, async () => {
      const run = await harness.getRun(target);
      see(target, run.waits);
      if (action.whenWaitingOn !== undefined) {
        const wait = run.waits.find((w) => w.stepId === action.whenWaitingOn && !consumed.has(w.waitId));
        if (wait) return { wait };
      } else {
        const path = action.whenRunning ?? action.whenFinished;
        const record = (await harness.getSteps(target)).find(
          (s) => tracePath(s) === path && (action.whenRunning !== undefined ? s.status === 'RUNNING' : FINISHED_STEP.has(s.status)),
        );
        if (record) return { record };
      }
      if (TERMINAL.has(run.status)) {
        throw new ScenarioAbort(`${label}: the run ended ${run.status} before ${timingText(action)}${run.error ? ` (${run.error.code}: ${run.error.message})` : ''}`);
      }
      return undefined;
    });
    const wait = moment.wait ?? (moment.record ? seenWaits.get(`${target}\u0000${moment.record.stepId}`) : undefined);
    switch (action.kind) {
      case 'deliverEvent':
        await harness.deliverEvent(target, {
          eventId: `${id}:${action.eventId}`,
          eventName: action.eventName,
          correlationKey: action.correlationKey ?? wait?.correlationKey ?? '',
          payload: action.payload,
        });
        if (!action.expectIgnored && wait) consumed.add(wait.waitId);
        break;
      case 'sendEvent': {
        if (!harness.sendEvent) {
          failures.push(`${label}: the harness ${harness.name} has no sendEvent (event ingress)`);
          return;
        }
        const answer = await harness.sendEvent(tenant, scopedEvent(events, action));
        const duplicate = action.expectDuplicate ?? false;
        if (answer.duplicate !== duplicate) failures.push(`${label}: the ingress answered duplicate=${answer.duplicate}, expected ${duplicate}`);
        if (action.expectRouted !== undefined && answer.routed !== action.expectRouted) {
          failures.push(`${label}: the ingress routed the event to ${answer.routed} run(s), expected ${action.expectRouted}`);
        }
        if (action.expectStarted !== undefined) {
          const started = (answer.startedRuns ?? []).filter((runId) => runId !== id);
          if (started.length > 0 !== action.expectStarted) failures.push(`${label}: the event started ${started.length} new run(s), expected ${action.expectStarted ? 'one' : 'none'}`);
        }
        break;
      }
      case 'completeTask': {
        if (!wait || wait.type !== 'HUMAN_TASK') {
          failures.push(`${label}: no task seen on the step of ${timingText(action)}`);
          break;
        }
        const result = await harness.completeTask(target, wait.waitId, action.response, action.completedBy);
        if (action.expectRejected === 'closed') {
          if (result.accepted) failures.push(`${label}: the completion of a closed task was accepted, expected a refusal`);
        } else if (action.expectRejected) {
          if (result.accepted) failures.push(`${label}: the response ${canonicalJson(action.response)} was accepted, expected VALIDATION_ERROR`);
          else if (result.error?.code !== 'VALIDATION_ERROR') failures.push(`${label}: expected a VALIDATION_ERROR refusal, got ${result.error?.code ?? 'no error'}`);
        } else {
          if (!result.accepted) failures.push(`${label}: the response was refused: ${result.error?.message ?? 'no reason'}`);
          consumed.add(wait.waitId);
        }
        break;
      }
      case 'cancel':
        await harness.cancel(target, action.reason);
        break;
    }
  }
}

/** Keeps the engine going for `ms` after the run ended; the status and trace must not change. */
async function checkStable(harness: ConformanceHarness, id: string, ms: number, ended: HarnessRunView, steps: readonly StepRecord[]): Promise<string[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) await harness.tick();
  const later = await harness.getRun(id);
  const failures: string[] = [];
  if (later.status !== ended.status) failures.push(`stableFor: the status changed from ${ended.status} to ${later.status} after the run ended`);
  const before = formatStepTrace(steps);
  const after = formatStepTrace(await harness.getSteps(id));
  if (!same(before, after)) failures.push(`stableFor: the step trace changed after the run ended: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
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
    let events: EventScope | undefined;
    let id: string;
    if (scenario.startEvent) {
      // An entity scenario: started by its event; ids and entity keys scoped per execution (a kit run again in the same store starts afresh).
      if (!harness.sendEvent) throw new ScenarioAbort(`the harness ${harness.name} has no sendEvent (event ingress) to start an entity run`);
      events = { scope: `${scenario.name}:${globalThis.crypto.randomUUID()}`, keys: true };
      const answer = await harness.sendEvent(tenant, scopedEvent(events, scenario.startEvent));
      const started = answer.startedRuns?.[0];
      if (started === undefined) throw new ScenarioAbort(`the start event started no run (harness ${harness.name} answered no startedRuns)`);
      id = started;
    } else {
      id = await harness.start({ tenant, workflow: scenario.definition.name, version: scenario.definition.version, input: scenario.input });
    }
    runId = id;
    await performScript(harness, scenario, id, tenant, timeoutMs, failures, events);
    const run = await waitFor(harness, timeoutMs, 'the end of the run', async () => {
      const view = await harness.getRun(id);
      return TERMINAL.has(view.status) ? view : undefined;
    });
    const steps = await harness.getSteps(id);
    failures.push(...compare(scenario.expected, run, steps, harness.logicalClock ?? false));
    if (scenario.expected.stableForMs !== undefined) failures.push(...(await checkStable(harness, id, scenario.expected.stableForMs, run, steps)));
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
