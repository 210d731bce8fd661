// End to end: engine routing by percent (share and stickiness), weighted version canaries and worker
// metrics per engine, through the real HTTP API with the worker and the ingress as separate
// processes. The `baton` commands have their own suite (cli-commands.e2e.int.test.ts).
import type { EngineKind, EnginePolicy } from '@baton/event-schemas';
import { pickWeighted, routeEngine } from '@baton/runtime-core';
import { createWorkflowLabeler } from '@baton/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startE2eStack, type E2eStack } from './__fixtures__/e2e-stack.js';
import { awaitFinished, awaitWait } from './__fixtures__/run-helpers.js';

let stack: E2eStack;

const ROUTED = {
  name: 'e2e.routed',
  version: '1.0.0',
  steps: [
    { id: 'work', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input' }, saveAs: 'vars.work' },
    { id: 'done', type: 'control.return', output: { engine: { $expr: 'run.engine' }, key: { $expr: 'input.key' } } },
  ],
};
const ROUTED_WAIT = {
  name: 'e2e.routed-wait',
  version: '1.0.0',
  steps: [
    { id: 'go', type: 'event.wait', eventName: 'GO', correlationKey: { $expr: 'input.key' }, timeoutMs: 120_000, saveAs: 'vars.go' },
    { id: 'done', type: 'control.return', output: { engine: { $expr: 'run.engine' }, key: { $expr: 'input.key' } } },
  ],
};
const canary = (version: string) => ({
  name: 'e2e.canary',
  version,
  steps: [{ id: 'done', type: 'control.return', output: { version: { $expr: 'run.version' }, key: { $expr: 'input.key' } } }],
});

beforeAll(async () => {
  stack = await startE2eStack();
  for (const definition of [ROUTED, ROUTED_WAIT, canary('1.0.0'), canary('1.1.0')]) await stack.client.publishWorkflow(definition);
}, 240_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

/** Starts `n` runs with execution keys `<prefix>-<i>` and returns them with the engine each got. */
async function startKeyed(workflow: string, prefix: string, n: number, extra: { engine?: EngineKind } = {}) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const key = `${prefix}-${i}`;
      const { body } = await stack.client.startRun({ workflow, input: { key }, executionKey: key, ...extra });
      return { key, runId: body.runId, engine: body.engine, version: body.version };
    }),
  );
}

describe('percent engine policy', () => {
  const policy: EnginePolicy = { type: 'percent', temporalPercent: 30 };

  it('sends each run to the engine its stable hash picks (the expected share) and runs it there', async () => {
    await stack.client.setPolicy(ROUTED.name, { engine: policy });
    const runs = await startKeyed(ROUTED.name, 'order', 60);
    for (const run of runs) expect(run.engine, run.key).toBe(routeEngine(policy, { tenant: stack.tenant, workflow: ROUTED.name, executionKey: run.key }));
    const temporal = runs.filter((r) => r.engine === 'temporal').length;
    expect(temporal / runs.length).toBeGreaterThan(0.15);
    expect(temporal / runs.length).toBeLessThan(0.45);
    const finished = await Promise.all(runs.map((r) => awaitFinished(stack.client, r.runId)));
    for (const [i, run] of finished.entries()) {
      expect(run.status).toBe('SUCCEEDED');
      // `run.engine` is evaluated by the interpreter of the engine that executed the run.
      expect(run.output).toEqual({ engine: runs[i]!.engine, key: runs[i]!.key });
      expect(run.engine).toBe(runs[i]!.engine);
    }
    // The same execution key starts no second run, and the answer names the same engine.
    const again = await stack.client.startRun({ workflow: ROUTED.name, input: { key: runs[0]!.key }, executionKey: runs[0]!.key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ runId: runs[0]!.runId, engine: runs[0]!.engine });

    // The worker executed each run on its own engine (its per-engine counters).
    // The unauthenticated /metrics labels a workflow by a digest of tenant and name, not by its name.
    const label = createWorkflowLabeler().digest(stack.tenant, ROUTED.name);
    const metrics = await eventually('the worker counters', async () => {
      const text = await (await fetch(`${stack.workerUrl}/metrics`)).text();
      const count = (engine: string) => Number(new RegExp(`baton_worker_runs_completed_total\\{engine="${engine}",workflow="wf-${label}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return count('db') + count('temporal') === runs.length ? { db: count('db'), temporal: count('temporal') } : undefined;
    });
    expect(metrics).toEqual({ db: runs.length - temporal, temporal });
  });

  it('keeps every waiting run on its engine when the policy cuts over to Temporal', async () => {
    await stack.client.setPolicy(ROUTED_WAIT.name, { engine: policy });
    const runs = await startKeyed(ROUTED_WAIT.name, 'wait', 20);
    expect(new Set(runs.map((r) => r.engine))).toEqual(new Set(['db', 'temporal']));
    for (const run of runs) await awaitWait(stack.client, run.runId, (view) => view.waits.some((w) => w.type === 'EVENT'));

    await stack.client.setPolicy(ROUTED_WAIT.name, { engine: { type: 'temporal' } });
    const after = await startKeyed(ROUTED_WAIT.name, 'after-cutover', 5);
    expect(after.every((r) => r.engine === 'temporal')).toBe(true);
    // Explicitly asking for the Postgres engine is refused now that the policy allows only Temporal.
    const refused = await stack.client.startRun({ workflow: ROUTED_WAIT.name, input: { key: 'x' }, engine: 'db' }).then(() => undefined, (e: unknown) => e);
    expect(refused).toMatchObject({ status: 400 });

    for (const run of [...runs, ...after]) {
      const answer = await stack.client.sendEvent({ eventId: `go-${run.key}`, eventName: 'GO', correlationKey: run.key, payload: {} });
      expect(answer.routed).toEqual([{ runId: run.runId, engine: run.engine }]);
    }
    for (const run of [...runs, ...after]) {
      const done = await awaitFinished(stack.client, run.runId);
      expect(done).toMatchObject({ status: 'SUCCEEDED', engine: run.engine, output: { engine: run.engine, key: run.key } });
    }
  });
});

describe('weighted version policy', () => {
  it('starts each run on the version its stable hash picks, on both engines', async () => {
    const weights = { '1.0.0': 75, '1.1.0': 25 };
    await stack.client.setPolicy('e2e.canary', { versionPolicy: { type: 'weighted', weights } });
    const runs = [...(await startKeyed('e2e.canary', 'db-key', 30, { engine: 'db' })), ...(await startKeyed('e2e.canary', 'tp-key', 30, { engine: 'temporal' }))];
    for (const run of runs) expect(run.version, run.key).toBe(pickWeighted('e2e.canary', weights, run.key));
    const canaryShare = runs.filter((r) => r.version === '1.1.0').length / runs.length;
    expect(canaryShare).toBeGreaterThan(0.08);
    expect(canaryShare).toBeLessThan(0.45);
    for (const run of runs) {
      const done = await awaitFinished(stack.client, run.runId);
      expect(done).toMatchObject({ status: 'SUCCEEDED', version: run.version, output: { version: run.version, key: run.key } });
    }
    // An exact version on the request wins over the policy.
    const pinned = await stack.client.startRun({ workflow: 'e2e.canary', input: { key: 'pinned' }, version: '1.1.0', engine: 'temporal' });
    expect((await awaitFinished(stack.client, pinned.body.runId)).output).toEqual({ version: '1.1.0', key: 'pinned' });
  });
});
