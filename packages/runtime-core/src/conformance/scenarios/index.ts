import type { ConformanceScenario } from '../scenario.js';
import { actionCallScenarios } from './action-call.js';
import { assignAndBranchScenarios } from './assign-and-branch.js';
import { callWorkflowScenarios } from './call-workflow.js';
import { cancellationScenarios } from './cancellation.js';
import { continueAsNewScenarios } from './continue-as-new.js';
import { endToEndScenarios } from './end-to-end.js';
import { eventInboxScenarios } from './event-inbox.js';
import { eventWaitScenarios } from './event-wait.js';
import { forEachScenarios } from './for-each.js';
import { languageEdgeScenarios } from './language-edges.js';
import { retryScenarios } from './retry.js';
import { returnAndFailScenarios } from './return-and-fail.js';
import { timeAndTaskScenarios } from './time-and-tasks.js';
import { timingRaceScenarios } from './timing-races.js';
import { tryCatchScenarios } from './try-catch.js';

/** Every conformance scenario, in a stable order. */
export const conformanceScenarios: readonly ConformanceScenario[] = [
  ...actionCallScenarios,
  ...retryScenarios,
  ...assignAndBranchScenarios,
  ...forEachScenarios,
  ...tryCatchScenarios,
  ...callWorkflowScenarios,
  ...returnAndFailScenarios,
  ...continueAsNewScenarios,
  ...eventWaitScenarios,
  ...timeAndTaskScenarios,
  ...cancellationScenarios,
  ...endToEndScenarios,
  ...eventInboxScenarios,
  ...timingRaceScenarios,
  ...languageEdgeScenarios,
];

export { divergentScenarios } from './timing-races.js';
export { entityScenarios } from './entity.js';
