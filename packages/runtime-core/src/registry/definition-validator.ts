import type { ValidationIssue, WorkflowDefinition } from '@baton/event-schemas';

/** Result of validating a definition before publishing it. */
export type PublishValidation =
  | { readonly ok: true; readonly definition: WorkflowDefinition; readonly hash: string }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Validates a definition document and computes its content hash (`validateDefinition` bound to an action registry). */
export type DefinitionValidator = (json: unknown) => PublishValidation | Promise<PublishValidation>;
