// The API's own schemas are the types (type-only: no schema code reaches the bundle).
export type {
  EventView,
  HumanTaskView,
  ListEventsResponse,
  ListRunsResponse,
  ListTasksResponse,
  ListWorkflowsResponse,
  RunStepsResponse,
  RunSummary,
  RunView,
  RunWait,
  StepRecord,
  WorkflowDefinition,
  WorkflowSummary,
  WorkflowVersionView,
  RunStatus,
} from '@baton/event-schemas';
import type { ShadowFigures } from '@baton/event-schemas';

/** Answer of `GET /v1/workflows/:name/shadow` (SPEC-api): the figures and the first difference of each differing run. */
export type ShadowReport = ShadowFigures & {
  readonly differences: ReadonlyArray<{ runId: string; shadowRunId: string; path: string; field: string; primary: unknown; shadow: unknown }>;
};
