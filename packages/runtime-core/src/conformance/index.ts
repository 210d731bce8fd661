// `@baton/runtime-core/conformance`: the scenarios every engine must pass, the runner, the
// actions the scenarios call, and the in-memory reference harness.
export type { ConformanceHarness, HarnessRunView } from './harness.js';
export type { ConformanceScenario, ScenarioExpectation, ScriptAction, ScriptTiming, ScriptTarget, ScenarioFeature, StepTiming } from './scenario.js';
export { conformanceScenarios, divergentScenarios, entityScenarios } from './scenarios/index.js';
export { runConformance, runScenario, type RunConformanceOptions, type ScenarioResult, type ConformanceReport } from './run-conformance.js';
export { formatStepTrace } from './step-trace.js';
export { conformanceActions, kitEcho, kitAdd, kitFail, kitFlaky, kitSleep, kitBadOutput, kitStrictInput } from './kit-actions.js';
export { InMemoryEngine, InMemoryEngineError, type InMemoryEngineOptions } from './in-memory/in-memory-engine.js';
export { createInMemoryHarness } from './in-memory/in-memory-harness.js';
export { scenarioCoverage } from './coverage.js';
