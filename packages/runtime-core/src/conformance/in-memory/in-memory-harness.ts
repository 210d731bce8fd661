import type { ConformanceHarness } from '../harness.js';
import { InMemoryEngine, type InMemoryEngineOptions } from './in-memory-engine.js';

/** The conformance harness of the in-memory reference engine (logical clock). */
export function createInMemoryHarness(options: InMemoryEngineOptions = {}): ConformanceHarness & { readonly engine: InMemoryEngine } {
  const engine = new InMemoryEngine(options);
  return {
    name: 'in-memory',
    logicalClock: true,
    engine,
    publish: async (definitions) => engine.publish(definitions),
    start: (request) => engine.start(request),
    getRun: async (runId) => engine.view(runId),
    getSteps: async (runId) => engine.steps(runId),
    deliverEvent: (runId, event) => engine.deliverEvent(runId, event),
    sendEvent: (tenant, event) => engine.sendEvent(tenant, event),
    completeTask: (runId, taskId, response, completedBy) => engine.completeTask(runId, taskId, response, completedBy),
    cancel: (runId, reason) => engine.cancel(runId, reason),
    tick: async () => {
      if (!(await engine.tick())) await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}
