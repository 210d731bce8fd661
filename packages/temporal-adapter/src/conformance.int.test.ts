// The conformance kit against the Temporal engine on the real dev server (real time, no
// time skipping), in both interpreter modes: `workflow` (advance in the workflow code) and
// `localActivity` (advance in a local activity). With BATON_RECORD_HISTORIES=1 the `workflow`
// run also rewrites `histories/*.json`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceActions, conformanceScenarios, runScenario, type ScenarioResult } from '@baton/runtime-core/conformance';
import { clearHistories, recordRunHistories, RECORDING } from './__fixtures__/record-histories.js';
import { CONFORMANCE_TENANT, createTemporalHarness } from './__fixtures__/temporal-harness.js';
import { startTemporalTestEnv, type TemporalTestEnv } from './__fixtures__/temporal-test-env.js';
import type { InterpreterMode } from './worker/workflow-bundle.js';

/** Scenarios run side by side (each on its own run); the dev server and worker take this easily. */
const CONCURRENCY = 6;

describe.each<InterpreterMode>(['workflow', 'localActivity'])('conformance kit on the Temporal engine, interpreter in %s', (interpreter) => {
  let env: TemporalTestEnv;
  const results = new Map<string, ScenarioResult>();

  beforeAll(async () => {
    env = await startTemporalTestEnv(`conformance-${interpreter}`, { actions: conformanceActions, interpreter });
    const harness = createTemporalHarness(env);
    const queue = [...conformanceScenarios];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let scenario = queue.shift(); scenario; scenario = queue.shift()) {
          results.set(scenario.name, await runScenario(harness, scenario, { tenant: CONFORMANCE_TENANT, waitTimeoutMs: 60_000 }));
        }
      }),
    );
    if (RECORDING && interpreter === 'workflow') {
      await clearHistories();
      for (const scenario of conformanceScenarios) {
        const runId = results.get(scenario.name)?.runId;
        if (runId) await recordRunHistories(env, CONFORMANCE_TENANT, runId, scenario.name);
      }
    }
  }, 600_000);

  afterAll(async () => {
    await env?.close();
  });

  it('runs every scenario of the kit', () => {
    expect(conformanceScenarios.length).toBeGreaterThan(0);
    expect([...results.keys()].sort()).toEqual(conformanceScenarios.map((s) => s.name).sort());
  });

  it.each(conformanceScenarios.map((s) => [s.name]))('%s', (name) => {
    const result = results.get(name);
    expect(result?.failures ?? ['not run']).toEqual([]);
  });
});
