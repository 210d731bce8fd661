// The conformance kit's entity scenarios (SPEC-dsl "Entity workflows") on both engines, through the
// run service over the real Postgres stores (the entity store lives there for both engines): each
// scenario's run is started by its event, later events of the entity reach it in arrival order with
// per-entity sequence numbers. The Temporal adapter's own kit run uses in-memory stores, which have no
// entity store, hence this run here (runtime-core README "Conformance kit").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowError } from '@baton/event-schemas';
import { isBatonError } from '@baton/runtime-core';
import { entityScenarios, runScenario, type ConformanceHarness } from '@baton/runtime-core/conformance';
import { createIngressHarness, TENANT_A, TENANT_B, type IngressHarness } from '../__fixtures__/ingress-harness.js';

let h: IngressHarness;

beforeAll(async () => {
  h = await createIngressHarness('entity_conformance', { engines: 'both' });
}, 180_000);
afterAll(async () => h?.close());

/** A kit harness over the run service; every workflow it publishes runs on `engine` (its tenant's policy). */
function serviceHarness(engine: 'db' | 'temporal', tenant: string): ConformanceHarness {
  const runtime = h.runtime;
  return {
    name: `run service (${engine})`,
    async publish(definitions) {
      for (const definition of definitions) {
        await runtime.publishDefinition(tenant, definition);
        await runtime.setPolicy(tenant, definition.name, { engine: { type: engine } }, { actor: 'conformance' });
      }
    },
    async start({ workflow, version, input }) {
      return (await runtime.startRun(tenant, { workflow, version, input })).runId;
    },
    async getRun(runId) {
      const run = await runtime.getRun(tenant, runId);
      return { status: run.status, waits: run.waits, ...(run.output !== undefined ? { output: run.output } : {}), ...(run.error ? { error: run.error as WorkflowError } : {}) };
    },
    getSteps: (runId) => h.stores.runs.listSteps(tenant, runId),
    async deliverEvent() {
      throw new Error('entity scenarios send their events through the ingress');
    },
    async sendEvent(eventTenant, event) {
      const result = await runtime.deliverEvent(eventTenant, event);
      return { duplicate: result.duplicate, routed: result.routed.length, startedRuns: result.startedRuns.map((r) => r.runId) };
    },
    async completeTask(_runId, taskId, response) {
      try {
        await runtime.completeTask(tenant, taskId, { response });
        return { accepted: true };
      } catch (error) {
        if (!isBatonError(error)) throw error;
        return { accepted: false, error: { category: 'ValidationError', code: error.code, message: error.message } };
      }
    },
    cancel: async (runId, reason) => void (await runtime.control(tenant, runId, 'cancel', { reason })),
    tick: () => new Promise((resolve) => setTimeout(resolve, 20)),
  };
}

describe.each([
  ['db', TENANT_A.tenant],
  ['temporal', TENANT_B.tenant],
] as const)('entity scenarios of the conformance kit on the %s engine', (engine, tenant) => {
  it.each(entityScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = await runScenario(serviceHarness(engine, tenant), scenario, { tenant, waitTimeoutMs: 60_000 });
    expect(result.failures).toEqual([]);
    // the run ran on the engine its policy named
    expect((await h.runtime.getRun(tenant, result.runId!)).engine).toBe(engine);
  }, 120_000);
});
