// The checks beyond the schema: unique ids, expressions, actions, write targets, JSON Schemas.
import { formatPath } from '@baton/event-schemas';
import { validateExpression } from '@baton/expression-engine';
import semver from 'semver';
import { checkJsonSchema } from '../json-schema/check-json-schema.js';
import { varPathProblem } from '../interpreter/var-path.js';
import { DEFINITION_ISSUE_CODE, type DefinitionIssue } from './definition-issue.js';
import { BRANCH_FIELDS, isRecord, type FoundStep } from './walk-steps.js';

type Path = readonly (string | number)[];

/** What publish-time validation needs to know about actions. */
export interface ActionCatalog {
  /** True when the action `id` exists in this `version`. */
  has(id: string, version: number): boolean;
  /** The action's input JSON Schema, when known: literal parts of step inputs are checked against it. */
  inputSchemaOf?(id: string, version: number): unknown;
}

/** Reports a second (third...) use of a step id at the later step's `id`. */
export function checkDuplicateIds(steps: readonly FoundStep[]): DefinitionIssue[] {
  const first = new Map<string, Path>();
  const issues: DefinitionIssue[] = [];
  for (const { step, path } of steps) {
    if (typeof step.id !== 'string') continue;
    const earlier = first.get(step.id);
    if (earlier) {
      issues.push({
        code: DEFINITION_ISSUE_CODE.DUPLICATE_STEP_ID,
        path: formatPath([...path, 'id']),
        message: `step id "${step.id}" is already used at ${formatPath(earlier)}`,
      });
    } else first.set(step.id, path);
  }
  return issues;
}

function checkExpressionsIn(value: unknown, path: Path, issues: DefinitionIssue[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkExpressionsIn(v, [...path, i], issues));
    return;
  }
  if (!isRecord(value)) return;
  if ('$expr' in value) {
    const source = value.$expr;
    const exprPath = formatPath([...path, '$expr']);
    if (typeof source !== 'string' || Object.keys(value).length !== 1) {
      issues.push({
        code: DEFINITION_ISSUE_CODE.INVALID_EXPR,
        path: exprPath,
        message: 'an expression is exactly {"$expr": "<JSONata source>"}',
      });
      return;
    }
    const result = validateExpression(source);
    if (!result.ok) {
      const { error } = result;
      issues.push({
        code: DEFINITION_ISSUE_CODE.INVALID_EXPR,
        path: exprPath,
        message: `${error.code}: ${error.message}${error.position !== undefined ? ` (at position ${error.position} of "${source}")` : ''}`,
        ...(error.position !== undefined ? { position: error.position } : {}),
      });
    }
    return;
  }
  for (const [key, nested] of Object.entries(value)) checkExpressionsIn(nested, [...path, key], issues);
}

/** Validates every `{"$expr"}` of every step field (and of the trigger's input and entity key). */
export function checkExpressions(definition: unknown, steps: readonly FoundStep[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (isRecord(definition) && isRecord(definition.trigger)) {
    checkExpressionsIn(definition.trigger.input, ['trigger', 'input'], issues);
    checkExpressionsIn(definition.trigger.entityKey, ['trigger', 'entityKey'], issues);
  }
  for (const { step, path } of steps) {
    for (const [field, value] of Object.entries(step)) {
      // Nested steps are visited on their own; a form schema is data, not a template.
      if (BRANCH_FIELDS.includes(field) || field === 'formSchema') continue;
      checkExpressionsIn(value, [...path, field], issues);
    }
  }
  return issues;
}

/** Reports action.call steps whose action@version the catalog does not have. */
export function checkActions(steps: readonly FoundStep[], actions: ActionCatalog): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const { step, path } of steps) {
    if (step.type !== 'action.call' || typeof step.action !== 'string' || typeof step.actionVersion !== 'number') continue;
    if (!actions.has(step.action, step.actionVersion)) {
      issues.push({
        code: DEFINITION_ISSUE_CODE.UNKNOWN_ACTION,
        path: formatPath([...path, 'action']),
        message: `action ${step.action}@${step.actionVersion} is not registered`,
      });
    }
  }
  return issues;
}

/** Checks every write target: saveAs, captureErrorAs and assign keys. */
export function checkAssignPaths(steps: readonly FoundStep[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const check = (target: unknown, path: Path): void => {
    if (typeof target !== 'string') return;
    const problem = varPathProblem(target);
    if (problem) issues.push({ code: DEFINITION_ISSUE_CODE.INVALID_ASSIGN_PATH, path: formatPath(path), message: problem });
  };
  for (const { step, path } of steps) {
    check(step.saveAs, [...path, 'saveAs']);
    check(step.captureErrorAs, [...path, 'captureErrorAs']);
    if (step.type === 'transform.assign' && isRecord(step.assign)) {
      for (const key of Object.keys(step.assign)) check(key, [...path, 'assign', key]);
    }
  }
  return issues;
}

/** Checks inputSchema and every formSchema. */
export function checkJsonSchemas(definition: unknown, steps: readonly FoundStep[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const check = (schema: unknown, path: Path): void => {
    if (schema === undefined) return;
    for (const problem of checkJsonSchema(schema)) {
      issues.push({
        code: DEFINITION_ISSUE_CODE.INVALID_INPUT_SCHEMA,
        path: formatPath(path),
        message: `${problem.path ? `at ${problem.path}: ` : ''}${problem.message}`,
      });
    }
  };
  if (isRecord(definition)) check(definition.inputSchema, ['inputSchema']);
  for (const { step, path } of steps) if (step.type === 'human.task') check(step.formSchema, [...path, 'formSchema']);
  return issues;
}

/** Checks that callWorkflow `version` fields are semver ranges. */
export function checkVersionRanges(steps: readonly FoundStep[]): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const { step, path } of steps) {
    if (step.type !== 'control.callWorkflow' || typeof step.version !== 'string') continue;
    if (semver.validRange(step.version) === null) {
      issues.push({
        code: DEFINITION_ISSUE_CODE.INVALID_WORKFLOW_DEFINITION,
        path: formatPath([...path, 'version']),
        message: `"${step.version}" is not a semver range`,
      });
    }
  }
  return issues;
}
