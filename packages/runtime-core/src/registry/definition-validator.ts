import type { ValidationIssue, WorkflowDefinition } from '@baton/event-schemas';

/** Result of validating a definition before publishing it. */
export type PublishValidation =
  | { readonly ok: true; readonly definition: WorkflowDefinition; readonly hash: string }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Who publishes: the tenant (whose secrets a definition's `{"$secret"}` references must name). */
export interface PublishContext {
  readonly tenant: string;
}

/** Validates a definition document and computes its content hash (`validateDefinition` bound to an action registry). */
export type DefinitionValidator = (json: unknown, context?: PublishContext) => PublishValidation | Promise<PublishValidation>;
