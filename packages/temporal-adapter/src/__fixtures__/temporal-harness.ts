// The conformance kit's harness over the Temporal engine: runs start through the engine, events,
// tasks and cancels go through the engine, and everything the kit reads (status, waits, steps)
// comes from the projections the workflow wrote through the store ports.
import { setTimeout as delay } from 'node:timers/promises';
import { BatonError, ErrorCode, createRunRef } from '@baton/runtime-core';
import type { ConformanceHarness } from '@baton/runtime-core/conformance';
import type { TemporalTestEnv } from './temporal-test-env.js';

/** The tenant `runConformance` uses by default. */
export const CONFORMANCE_TENANT = 'conformance';

/** A conformance harness over the test environment's engine (real dev server, real time). */
export function createTemporalHarness(env: TemporalTestEnv, tenant = CONFORMANCE_TENANT): ConformanceHarness {
  const ref = (runId: string) => createRunRef('temporal', tenant, runId);
  return {
    name: 'temporal',
    logicalClock: false,

    async publish(definitions) {
      for (const definition of definitions) await env.runtime.publishDefinition(tenant, definition);
    },

    async start(request) {
      // Not the run service's startRun: the kit wants the interpreter (not the API) to check the input.
      const runId = globalThis.crypto.randomUUID();
      const published = await env.runtime.registry.resolve(request.tenant, request.workflow, { runKey: runId, pinVersion: request.version });
      const createdAt = new Date().toISOString();
      await env.stores.runs.create(request.tenant, {
        runId,
        workflow: published.name,
        version: published.version,
        definitionHash: published.hash,
        engine: 'temporal',
        status: 'RUNNING',
        input: request.input,
        executionKey: null,
        runKey: runId,
        createdAt,
      });
      await env.engine.start({
        tenant: request.tenant,
        runId,
        workflow: { name: published.name, version: published.version, hash: published.hash },
        definition: published.definition,
        input: request.input,
        executionKey: null,
        runKey: runId,
        startedAt: createdAt,
      });
      return runId;
    },

    async getRun(runId) {
      const run = await env.stores.runs.get(tenant, runId);
      if (!run) throw new Error(`run ${runId} has no projection row`);
      const waits = await env.stores.waits.listForRun(tenant, runId, { status: 'WAITING' });
      return {
        status: run.status,
        ...(run.output !== undefined ? { output: run.output } : {}),
        ...(run.error !== undefined ? { error: run.error } : {}),
        waits,
      };
    },

    getSteps: (runId) => env.stores.runs.listSteps(tenant, runId),

    deliverEvent: (runId, event) => env.engine.deliverEvent(ref(runId), event),

    // The run service's event ingress over the env's stores: the audit keeps the event in the inbox
    // that the workflow's projection activity reads when a wait opens.
    async sendEvent(eventTenant, event) {
      const result = await env.runtime.deliverEvent(eventTenant, event);
      return { duplicate: result.duplicate, routed: result.routed.length, startedRuns: result.startedRuns.map((r) => r.runId) };
    },

    async completeTask(runId, taskId, response, completedBy) {
      try {
        await env.engine.completeHumanTask(ref(runId), {
          taskId,
          response,
          completedAt: new Date().toISOString(),
          ...(completedBy !== undefined ? { completedBy } : {}),
        });
        return { accepted: true };
      } catch (error) {
        // A form refusal, or a task whose timeout or cancel came first (runtime-core's decideTaskCompletion).
        if (error instanceof BatonError && (error.code === ErrorCode.VALIDATION_ERROR || error.code === ErrorCode.TASK_ALREADY_CLOSED)) {
          return { accepted: false, error: { category: 'ValidationError', code: error.code, message: error.message } };
        }
        throw error;
      }
    },

    cancel: async (runId, reason) => void (await env.engine.cancel(ref(runId), reason)),

    tick: () => delay(25),
  };
}
