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
