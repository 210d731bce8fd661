import { STEP_TYPE } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { createInMemoryHarness } from './in-memory/in-memory-harness.js';
import { runScenario } from './run-conformance.js';
import { conformanceScenarios, divergentScenarios } from './scenarios/index.js';
import { scenarioCoverage } from './coverage.js';

describe('conformance kit', () => {
  it('has at least 100 uniquely named scenarios covering every step type', () => {
    expect(conformanceScenarios.length).toBeGreaterThanOrEqual(100);
    const all = [...conformanceScenarios, ...divergentScenarios];
    expect(new Set(all.map((s) => s.name)).size).toBe(all.length);
    const coverage = scenarioCoverage();
    for (const type of Object.values(STEP_TYPE)) expect(coverage[type], type).toBeGreaterThan(0);
  });

  it('names each definition after its scenario', () => {
    for (const s of [...conformanceScenarios, ...divergentScenarios]) expect(s.definition.name).toBe(`conformance.${s.name}`);
  });

  it('has timing scripts: an input before a wait opens, during an action, at a continue-as-new, and a task completion after its timeout', () => {
    const actions = conformanceScenarios.flatMap((s) => s.script ?? []);
    expect(actions.some((a) => a.kind === 'completeTask' && a.expectRejected === 'closed')).toBe(true);
    expect(actions.some((a) => a.kind === 'sendEvent' && a.whenRunning !== undefined && a.expectRouted === 0)).toBe(true);
    expect(actions.some((a) => a.kind === 'cancel' && a.whenRunning !== undefined)).toBe(true);
    expect(conformanceScenarios.some((s) => s.covers.includes('control.continueAsNew') && s.script?.some((a) => a.kind === 'sendEvent' && a.whenFinished !== undefined))).toBe(true);
  });
});

describe('in-memory reference harness', () => {
  const harness = createInMemoryHarness();
  it.each([...conformanceScenarios, ...divergentScenarios].map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = await runScenario(harness, scenario, { waitTimeoutMs: 10_000 });
    expect(result.failures).toEqual([]);
  });
});
