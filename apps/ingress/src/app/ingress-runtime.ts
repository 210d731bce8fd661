import type { Runtime } from '@baton/runtime-core';

/** The part of runtime-core's run service the ingress calls (typed structurally so tests and tools may pass their own). */
export type IngressRuntime = Pick<
  Runtime,
  | 'publishDefinition'
  | 'listWorkflows'
  | 'getWorkflow'
  | 'getWorkflowVersion'
  | 'retireVersion'
  | 'setPolicy'
  | 'getShadowReport'
  | 'planUpgrade'
  | 'applyUpgrade'
  | 'listUpgrades'
  | 'startRun'
  | 'getRun'
  | 'listRuns'
  | 'listSteps'
  | 'deliverEvent'
  | 'listEvents'
  | 'listTasks'
  | 'completeTask'
  | 'control'
  | 'getEntity'
>;

/** What routing one event answers (SPEC-api's 202 body plus errors and whether routing finished). */
export type EventDeliveryResult = Awaited<ReturnType<IngressRuntime['deliverEvent']>>;
