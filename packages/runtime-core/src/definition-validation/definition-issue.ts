/** Codes of publish-time validation issues. */
export const DEFINITION_ISSUE_CODE = {
  /** The definition does not match the schema (or is too large). */
  INVALID_WORKFLOW_DEFINITION: 'INVALID_WORKFLOW_DEFINITION',
  DUPLICATE_STEP_ID: 'DUPLICATE_STEP_ID',
  /** An expression is not an allowed JSONata expression (`position` says where in it). */
  INVALID_EXPR: 'INVALID_EXPR',
  /** An action id/version is not in the given registry. */
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  /** A literal part of an action.call `input` does not satisfy the action's input schema. */
  INVALID_ACTION_INPUT: 'INVALID_ACTION_INPUT',
  /** A `{"$secret": name}` names a secret the tenant does not have. */
  UNKNOWN_SECRET: 'UNKNOWN_SECRET',
  /** A write target is not under `vars.`, or has a `__proto__`/`prototype`/`constructor` segment. */
  INVALID_ASSIGN_PATH: 'INVALID_ASSIGN_PATH',
  /** `inputSchema` or a `formSchema` is not a usable JSON Schema. */
  INVALID_INPUT_SCHEMA: 'INVALID_INPUT_SCHEMA',
} as const;
export type DefinitionIssueCode = (typeof DEFINITION_ISSUE_CODE)[keyof typeof DEFINITION_ISSUE_CODE];

/** One problem of a definition, located by its path (`steps[2].then[0].condition`). */
export interface DefinitionIssue {
  readonly code: DefinitionIssueCode;
  /** e.g. `steps[2].then[0].condition`, `''` for the root */
  readonly path: string;
  readonly message: string;
  /** INVALID_EXPR: character position in the expression source */
  readonly position?: number;
}
