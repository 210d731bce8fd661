// Fault suite: the Temporal dev server SIGKILLed mid-load and started again (persistent database).
// A dedicated dev server of this test (own port and SQLite file), never the shared one; the Baton
// worker runs in this process with real Temporal and in-memory projection stores. The server stays
// down 12 s, longer than the SDK retries a completion, so the completions of the actions running at
// the kill are lost: the test fails without action heartbeats (measured: 13 of 100 runs still RUNNING
// 120 s after the restart with a 5 min heartbeat timeout, as the start-to-close timeout alone would do).
//
// "No stall over 30 s" is measured two ways. A run's own wait for progress after the restart is
// printed: on a loaded machine it includes the queue of the other runs' work (the worker is busy, it
// is not a stall). What is asserted is that, from the moment the server serves again until the last
// run finished, the runs never go 30 s without any progress: work lost in the crash (an activity
// completion, a workflow task) must be noticed by a timeout of seconds (action heartbeat 10 s,
// workflow task 10 s), not the 5 min start-to-close timeout of an action, which would leave the
// system idle with those runs unfinished once everything else is done.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { JsonValue } from '@baton/event-schemas';
import { createActionRegistry, createInMemoryStores, createRuntime, defineAction, validateDefinition, type ActionResultStore, type Runtime } from '@baton/runtime-core';
import { bundleBatonWorkflows, createBatonWorker, createTemporalEngine, setCurrentDeploymentVersion } from '@baton/temporal-adapter';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dedicatedTemporal, type DedicatedTemporal } from '../__fixtures__/dedicated-temporal.js';

const TENANT = 'acme';
const RUNS = 100;
const STEPS = 3;
const STALL_LIMIT_MS = 30_000;
const FINISH_WITHIN_MS = 120_000;
/** Longer than the SDK retries a task completion (10 s): the completions of the actions in flight at the kill are lost. */
const DOWN_MS = 12_000;
/** How long an action runs: long enough that some are in flight at the kill. */
const ACTION_MS = 1000;

/** Every moment a run made progress: an action invoked or ended, a lost attempt answered from its stored output, the run finished. */
const progress = new Map<string, number[]>();
/** How often each step's action handler was invoked, by `runId/stepId`. */
const invocations = new Map<string, number>();
/** Attempts answered from a stored output (a retried attempt whose completion was lost). */
let reused = 0;
/** Handlers that returned. */
let ended = 0;
const changed = new EventEmitter();
const note = (runId: string): void => {
  (progress.get(runId) ?? progress.set(runId, []).get(runId)!).push(performance.now());
  changed.emit('progress');
};
const invoked = (): number => [...invocations.values()].reduce((a, b) => a + b, 0);

/** Resolves once `ready()` holds (checked at every progress); rejects after `ms`. */
function when(what: string, ready: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!ready()) return;
      clearTimeout(timer);
      changed.off('progress', check);
      resolve();
    };
    const timer = setTimeout(() => {
      changed.off('progress', check);
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    changed.on('progress', check);
    check();
  });
}

const faultStep = defineAction({
  id: 'fault.step',
  version: 1,
  input: z.object({ n: z.number() }),
  output: z.object({ n: z.number() }),
  handler: async ({ n }, context) => {
    const key = `${context.runId}/${context.stepId}`;
    invocations.set(key, (invocations.get(key) ?? 0) + 1);
    note(context.runId);
    await delay(ACTION_MS);
    ended += 1;
    note(context.runId);
    return { n };
  },
});

const WORKFLOW = {
  name: 'fault.temporal-restart',
  version: '1.0.0',
  steps: [
    ...Array.from({ length: STEPS }, (_, i) => ({ id: `s${i}`, type: 'action.call', action: 'fault.step', actionVersion: 1, input: { n: i }, saveAs: `vars.s${i}` })),
    { id: 'done', type: 'control.return', output: { $expr: `vars.s${STEPS - 1}.n` } },
  ],
};

let dir: string;
let server: DedicatedTemporal;
let native: NativeConnection;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
let runtime: Runtime;
let stores: ReturnType<typeof createInMemoryStores>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-temporal-restart-'));
  server = await dedicatedTemporal(dir);
  await server.start();
  const bundle = await bundleBatonWorkflows();
  stores = createInMemoryStores();
  const actions = createActionRegistry({ actions: [faultStep] });
  // The stored outputs of completed invocations (as the worker's Postgres table keeps them).
  const outputs = new Map<string, JsonValue>();
  const actionResults: ActionResultStore = {
    get: async (key, invocation) => {
      const output = outputs.get(key);
      if (output !== undefined) {
        reused += 1;
        note(invocation.runId);
      }
      return output;
    },
    put: async (key, output) => void (outputs.has(key) || outputs.set(key, output)),
  };
  const deployment = { deploymentName: 'fault-restart', buildId: 'build-1' };
  native = await NativeConnection.connect({ address: server.address });
  worker = await createBatonWorker({ connection: native, taskQueue: 'fault-restart', actions, store: stores, actionResults, deployment, workflowBundle: bundle });
  running = worker.run();
  connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  await setCurrentDeploymentVersion(client.workflowService, deployment, { waitForPropagation: false });
  runtime = createRuntime({
    engines: { temporal: createTemporalEngine({ client, taskQueue: 'fault-restart' }) },
    ...stores,
    validateDefinition: (json) => validateDefinition(json, { actions }),
    defaultEngine: 'temporal',
  });
  await runtime.publishDefinition(TENANT, WORKFLOW);
}, 180_000);

afterAll(async () => {
  if (worker && worker.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await connection?.close();
  await native?.close();
  await server?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const finished = (status: string | undefined): boolean => status !== undefined && status !== 'RUNNING' && status !== 'WAITING';

describe('Temporal dev server SIGKILLed and restarted mid-load', () => {
  it(`${RUNS} runs all complete, no step's action is invoked twice, no stall over 30 s after the server is back`, { timeout: 240_000 }, async () => {
    const total = RUNS * STEPS;
    const runIds: string[] = [];
    const starters = Array.from({ length: 10 }, async (_, k) => {
      for (let i = k; i < RUNS; i += 10) {
        const { runId } = await runtime.startRun(TENANT, { workflow: WORKFLOW.name, input: { i } });
        runIds.push(runId);
        note(runId);
      }
    });
    await Promise.all(starters);
    // Mid-load: every run started and a third of the steps invoked (the last one is still running). SIGKILL, 12 s down, start again.
    await when('a third of the steps to be invoked', () => invoked() >= total / 3, 120_000);
    const invokedBeforeKill = invoked();
    const endedBeforeKill = ended;
    await server.kill();
    const killedAt = performance.now();
    await delay(DOWN_MS);
    await server.start();
    const backAt = performance.now();

    // Runs already finished before the crash are not waiting for anything.
    const finishedAt = new Map<string, number>();
    for (const runId of runIds) if (finished((await stores.runs.get(TENANT, runId))?.status)) finishedAt.set(runId, backAt);
    const finishedBeforeRestart = finishedAt.size;
    const deadline = backAt + FINISH_WITHIN_MS;
    while (finishedAt.size < RUNS && performance.now() < deadline) {
      for (const runId of runIds) {
        if (finishedAt.has(runId) || !finished((await stores.runs.get(TENANT, runId))?.status)) continue;
        finishedAt.set(runId, performance.now());
        note(runId);
      }
      if (finishedAt.size < RUNS) await delay(100);
    }

    const statuses = await Promise.all(runIds.map(async (runId) => (await stores.runs.get(TENANT, runId))?.status));
    const lastDone = Math.max(...finishedAt.values());
    // The longest time after the restart with unfinished runs and no progress at all (until now if some never finished).
    const end = finishedAt.size < RUNS ? performance.now() : lastDone;
    const moments = [backAt, ...[...progress.values()].flat().filter((t) => t >= backAt && t <= end), end].sort((a, b) => a - b);
    const idle = Math.max(...moments.slice(1).map((t, k) => t - moments[k]!));
    // Each unfinished run's wait from the restart to its next progress (includes the queue of others' work).
    const waits = runIds.filter((runId) => finishedAt.get(runId)! > backAt).map((runId) => (progress.get(runId) ?? []).find((t) => t >= backAt)! - backAt);
    const s = (ms: number): string => (ms / 1000).toFixed(1);
    console.info(
      `temporal restart: ${RUNS} runs x ${STEPS} steps; killed after ${invokedBeforeKill}/${total} steps invoked (${invokedBeforeKill - endedBeforeKill} running) (${finishedBeforeRestart} runs finished); down ${s(backAt - killedAt)} s; ` +
        `${finishedAt.size} runs finished, the last ${s(lastDone - backAt)} s after the server was back; longest time without any progress ${s(idle)} s; ` +
        `a run's wait for its next progress: worst ${s(Math.max(...waits))} s, histogram by 5 s ${JSON.stringify(Array.from({ length: 8 }, (_, b) => waits.filter((x) => x >= b * 5000 && x < (b + 1) * 5000).length))}; ` +
        `lost attempts answered from their stored output: ${reused}; steps whose action was invoked more than once: ${[...invocations.values()].filter((n) => n > 1).length}`,
    );

    expect(statuses.filter((status) => status !== 'SUCCEEDED')).toEqual([]);
    // Every step's action was invoked exactly once, and every step committed once, in its first attempt.
    expect([...invocations.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(invocations.size).toBe(total);
    for (const runId of runIds) {
      const steps = await stores.runs.listSteps(TENANT, runId);
      expect(steps.filter((step) => step.stepId !== 'done').map((step) => [step.stepId, step.attempt, step.status])).toEqual(
        Array.from({ length: STEPS }, (_, i) => [`s${i}`, 1, 'SUCCEEDED']),
      );
    }
    // The crash lost completions, and they were noticed: their attempts were handed out again and answered from the stored output.
    expect(reused).toBeGreaterThan(0);
    expect(idle).toBeLessThan(STALL_LIMIT_MS);
  });
});
