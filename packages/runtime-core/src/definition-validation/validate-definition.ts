import { formatPath, WorkflowDefinition } from '@baton/event-schemas';
import { canonicalJson, contentHash, NotJsonError } from '../hashing/content-hash.js';
import { DEFINITION_ISSUE_CODE, type DefinitionIssue } from './definition-issue.js';
import {
  checkActions,
  checkAssignPaths,
  checkDuplicateIds,
  checkExpressions,
  checkJsonSchemas,
  checkVersionRanges,
  type ActionCatalog,
} from './semantic-checks.js';
import { checkActionInputs } from './check-action-inputs.js';
import { checkSecretRefs, secretNamesIn, type KnownSecrets } from './check-secret-refs.js';
import { findSteps } from './walk-steps.js';

/** Options of {@link validateDefinition}. */
export interface ValidateDefinitionOptions {
  /** Registered actions; when absent, action ids are not checked. */
  readonly actions?: ActionCatalog;
  /** The tenant's secret names: a `{"$secret": name}` it lacks is `UNKNOWN_SECRET`. @default unchecked (only the shape is) */
  readonly secrets?: KnownSecrets;
  /** Maximum size of the definition's canonical JSON, in UTF-8 bytes. @default 1048576 */
  readonly maxDefinitionBytes?: number;
}

/** Result of {@link validateDefinition}. */
export type DefinitionValidation =
  | { readonly ok: true; readonly definition: WorkflowDefinition; readonly hash: string }
  | { readonly ok: false; readonly issues: readonly DefinitionIssue[] };

/** Default definition size limit (SPEC-dsl "Limits"). */
export const DEFAULT_MAX_DEFINITION_BYTES = 1024 * 1024;

/** Content hash of a definition: sha-256 of its canonical JSON, without the editor-only `$schema`. */
export function definitionHash(definition: WorkflowDefinition): string {
  const { $schema: _ignored, ...content } = definition;
  return contentHash(content);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * Publish-time validation: the schema, unique step ids, expressions, actions, write targets,
 * JSON Schemas and version ranges; every issue is reported at once, each with its path.
 */
export function validateDefinition(json: unknown, options: ValidateDefinitionOptions = {}): DefinitionValidation {
  const issues: DefinitionIssue[] = [];
  const maxBytes = options.maxDefinitionBytes ?? DEFAULT_MAX_DEFINITION_BYTES;
  try {
    const bytes = utf8Length(canonicalJson(json));
    if (bytes > maxBytes) {
      issues.push({ code: DEFINITION_ISSUE_CODE.INVALID_WORKFLOW_DEFINITION, path: '', message: `the definition is ${bytes} bytes, over the limit of ${maxBytes}` });
    }
  } catch (error) {
    if (!(error instanceof NotJsonError)) throw error;
    issues.push({ code: DEFINITION_ISSUE_CODE.INVALID_WORKFLOW_DEFINITION, path: error.path, message: error.message });
    return { ok: false, issues };
  }

  const parsed = WorkflowDefinition.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ code: DEFINITION_ISSUE_CODE.INVALID_WORKFLOW_DEFINITION, path: formatPath(issue.path), message: issue.message });
    }
  }
  const steps = findSteps(json);
  issues.push(
    ...checkDuplicateIds(steps),
    ...checkExpressions(json, steps),
    ...checkAssignPaths(steps),
    ...checkJsonSchemas(json, steps),
    ...checkVersionRanges(steps),
    ...(options.actions ? checkActions(steps, options.actions) : []),
    ...(options.actions ? checkActionInputs(steps, options.actions) : []),
    ...checkSecretRefs(steps, options.secrets),
  );
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, definition: parsed.data, hash: definitionHash(parsed.data) };
}

/** The secret names a definition's action inputs reference (to look up before {@link validateDefinition}). */
export function referencedSecretNames(json: unknown): string[] {
  return secretNamesIn(findSteps(json));
}
