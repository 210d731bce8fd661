import { STEP_TYPE } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { createInMemoryHarness } from './in-memory/in-memory-harness.js';
import { runScenario } from './run-conformance.js';
import { conformanceScenarios } from './scenarios/index.js';
import { scenarioCoverage } from './coverage.js';

describe('conformance kit', () => {
  it('has at least 40 uniquely named scenarios covering every step type', () => {
    expect(conformanceScenarios.length).toBeGreaterThanOrEqual(40);
    expect(new Set(conformanceScenarios.map((s) => s.name)).size).toBe(conformanceScenarios.length);
    const coverage = scenarioCoverage();
    for (const type of Object.values(STEP_TYPE)) expect(coverage[type], type).toBeGreaterThan(0);
  });

  it('names each definition after its scenario', () => {
    for (const s of conformanceScenarios) expect(s.definition.name).toBe(`conformance.${s.name}`);
  });
});

describe('in-memory reference harness', () => {
  const harness = createInMemoryHarness();
  it.each(conformanceScenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const result = await runScenario(harness, scenario, { waitTimeoutMs: 10_000 });
    expect(result.failures).toEqual([]);
  });
});
