import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunWait } from '@baton/event-schemas';
import { contentHash, createActionRegistry, createRunRef, createRuntime, isBatonError, type Runtime, type RuntimeStores } from '@baton/runtime-core';
import { conformanceActions, conformanceScenarios, entityScenarios, runScenario, type ConformanceHarness } from '@baton/runtime-core/conformance';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { createPostgresStores } from '../stores/create-postgres-stores.js';
import { createPostgresEngine, type PostgresEngine } from './postgres-engine.js';

let t: TestDatabase;
let engine: PostgresEngine;
let stores: RuntimeStores;
let harness: ConformanceHarness;
/** the run service over the engine: the event ingress the kit's `sendEvent` goes through */
let runtime: Runtime;

beforeAll(async () => {
  t = await createTestDatabase('conformance', { max: 20 });
  stores = createPostgresStores({ pool: t.pool, schema: t.schema });
  engine = createPostgresEngine({
    pool: t.pool,
    schema: t.schema,
    actions: createActionRegistry({ enableTestActions: true, actions: conformanceActions }),
    leaseMs: 5000,
    pollIntervalMs: 200,
  });
  await engine.startWorker();
  runtime = createRuntime({ engines: { db: engine }, ...stores, defaultEngine: 'db' });
  harness = {
    name: 'postgres engine',
    async publish(definitions) {
      for (const definition of definitions) {
        const outcome = await stores.definitions.publish('conformance', {
          name: definition.name,
          version: definition.version,
          hash: contentHash(definition),
          definition,
          triggerEventName: definition.trigger?.type === 'event' ? definition.trigger.eventName : null,
          publishedAt: new Date().toISOString(),
        });
        if (outcome.status === 'conflict') throw new Error(`${definition.name}@${definition.version} conflicts`);
      }
    },
    async start({ tenant, workflow, version, input }) {
      const published = await stores.definitions.get(tenant, workflow, version);
      if (!published) throw new Error(`${workflow}@${version} is not published`);
      const runId = randomUUID();
      const ref = await engine.start({
        tenant,
        runId,
        workflow: { name: workflow, version, hash: published.hash },
        definition: published.definition,
        input,
        executionKey: null,
        runKey: runId,
        startedAt: new Date().toISOString(),
      });
      return ref.runId;
    },
    async getRun(runId) {
      const run = await stores.runs.get('conformance', runId);
      if (!run) throw new Error(`run ${runId} not found`);
      const waits: RunWait[] = (await stores.waits.listForRun('conformance', runId, { status: 'WAITING' })).map(
        ({ tenant: _t, runId: _r, engine: _e, status: _s, closedAt: _c, ...wait }) => wait,
      );
      return {
        status: run.status,
        waits,
        ...(run.output !== undefined ? { output: run.output } : {}),
        ...(run.error !== undefined ? { error: run.error } : {}),
      };
    },
    getSteps: (runId) => stores.runs.listSteps('conformance', runId),
    deliverEvent: (runId, event) => engine.deliverEvent(createRunRef('db', 'conformance', runId), event),
    async sendEvent(tenant, event) {
      const result = await runtime.deliverEvent(tenant, event);
      return { duplicate: result.duplicate, routed: result.routed.length, startedRuns: result.startedRuns.map((r) => r.runId) };
    },
    async completeTask(runId, taskId, response, completedBy) {
      try {
        await engine.completeHumanTask(createRunRef('db', 'conformance', runId), {
          taskId,
          response,
          completedAt: new Date().toISOString(),
          ...(completedBy !== undefined ? { completedBy } : {}),
        });
        return { accepted: true };
      } catch (error) {
        // A form refusal, or a task whose timeout or cancel came first (runtime-core's decideTaskCompletion).
        if (isBatonError(error, 'TASK_ALREADY_CLOSED')) return { accepted: false, error: { category: 'ValidationError', code: 'TASK_ALREADY_CLOSED', message: error.message } };
        if (!isBatonError(error, 'VALIDATION_ERROR')) throw error;
        return { accepted: false, error: { category: 'ValidationError', code: 'VALIDATION_ERROR', message: error.message } };
      }
    },
    cancel: async (runId, reason) => void (await engine.cancel(createRunRef('db', 'conformance', runId), reason)),
    tick: () => new Promise((resolve) => setTimeout(resolve, 10)),
  };
});

afterAll(async () => {
  await engine?.stopWorker({ graceMs: 2000 });
  await t?.drop();
});

describe('runtime-core conformance kit on the Postgres engine', () => {
  it('has scenarios to run', () => {
    expect(conformanceScenarios.length).toBeGreaterThan(50);
  });

  it.each(conformanceScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = await runScenario(harness, scenario, { waitTimeoutMs: 20_000 });
    expect(result.failures).toEqual([]);
  });
});

// Entity workflows (SPEC-dsl "Entity workflows"): started by their event through the run service's ingress.
describe('entity scenarios of the conformance kit on the Postgres engine', () => {
  it.each(entityScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = await runScenario(harness, scenario, { waitTimeoutMs: 20_000 });
    expect(result.failures).toEqual([]);
  });
});
