import type { Step } from '@baton/event-schemas';
import type { ConformanceScenario, ScenarioFeature } from './scenario.js';
import { conformanceScenarios } from './scenarios/index.js';

function stepTypesOf(steps: readonly Step[], into: Set<ScenarioFeature>): void {
  for (const step of steps) {
    into.add(step.type);
    if (step.type === 'control.if') stepTypesOf([...step.then, ...(step.else ?? [])], into);
    if (step.type === 'control.forEach') stepTypesOf(step.body, into);
    if (step.type === 'control.tryCatch') stepTypesOf([...step.try, ...step.catch], into);
  }
}

/** How many scenarios exercise each step type (found in their definitions) or declared feature. */
export function scenarioCoverage(scenarios: readonly ConformanceScenario[] = conformanceScenarios): Record<ScenarioFeature, number> {
  const counts: Partial<Record<ScenarioFeature, number>> = {};
  for (const scenario of scenarios) {
    const features = new Set<ScenarioFeature>(scenario.covers);
    stepTypesOf(scenario.definition.steps, features);
    for (const feature of features) counts[feature] = (counts[feature] ?? 0) + 1;
  }
  return counts as Record<ScenarioFeature, number>;
}
