// Publish-time check of an action.call step's `input` against the action's input JSON Schema.
// Only the literal parts are checked: an expression or a secret reference stands for a value
// known at run time, so nothing is said about it (nor about the schema's view of its parent
// beyond what the literal parts alone decide).
import { formatPath } from '@baton/event-schemas';
import { validateAgainstJsonSchema } from '../json-schema/validate-json-schema.js';
import { DEFINITION_ISSUE_CODE, type DefinitionIssue } from './definition-issue.js';
import type { ActionCatalog } from './semantic-checks.js';
import { isRecord, type FoundStep } from './walk-steps.js';

/** Keywords whose failure at an object/array holding a run-time value is still decided by its literal parts. */
const DECIDED_BY_LITERALS = new Set(['required', 'additionalProperties', 'unevaluatedProperties', 'propertyNames', 'minItems', 'maxItems', 'minProperties', 'maxProperties', 'type']);

/** True for `{"$expr": ...}` and `{"$secret": ...}`: values only known when the step runs. */
function isRunTimeValue(value: unknown): boolean {
  return isRecord(value) && Object.keys(value).length === 1 && ('$expr' in value || '$secret' in value);
}

/** The input with run-time values replaced by null, and the JSON pointers where they were. */
function literalSkeleton(value: unknown, pointer: string, opaque: string[]): unknown {
  if (isRunTimeValue(value)) {
    opaque.push(pointer);
    return null;
  }
  if (Array.isArray(value)) return value.map((v, i) => literalSkeleton(v, `${pointer}/${i}`, opaque));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalSkeleton(v, `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, opaque)]));
  return value;
}

/** Keywords whose failure at an object may come from the value of a property (its schema) rather than its name. */
const DECIDED_BY_VALUES_TOO = new Set(['additionalProperties', 'unevaluatedProperties']);

function segmentsOf(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** Reports literal parts of action.call inputs that the action's input schema refuses (`INVALID_ACTION_INPUT`). */
export function checkActionInputs(steps: readonly FoundStep[], actions: ActionCatalog): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (!actions.inputSchemaOf) return issues;
  for (const { step, path } of steps) {
    if (step.type !== 'action.call' || typeof step.action !== 'string' || typeof step.actionVersion !== 'number') continue;
    const schema = actions.inputSchemaOf(step.action, step.actionVersion);
    if (schema === undefined) continue;
    const opaque: string[] = [];
    const skeleton = literalSkeleton(step.input ?? null, '', opaque);
    if (opaque.includes('')) continue;
    const result = validateAgainstJsonSchema(schema, skeleton);
    if (result.ok) continue;
    const seen = new Set<string>();
    for (const issue of result.issues) {
      const at = issue.path;
      if (opaque.some((o) => at === o || at.startsWith(`${o}/`))) continue;
      if (opaque.some((o) => o.startsWith(`${at}/`)) && !DECIDED_BY_LITERALS.has(issue.code)) continue;
      // `{"x": {"$secret"}}` under `additionalProperties: {type: string}`: the object fails because the
      // placeholder is not a string, not because of the name (a forbidden name fails the `false` schema).
      const byValue = (other: { path: string; code: string }) =>
        other.code !== 'false' && other.path.startsWith(`${at}/`) && opaque.some((o) => other.path === o || other.path.startsWith(`${o}/`));
      if (DECIDED_BY_VALUES_TOO.has(issue.code) && result.issues.some(byValue)) continue;
      const where = formatPath([...path, 'input', ...segmentsOf(at)]);
      const key = `${where}\u0000${issue.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      issues.push({
        code: DEFINITION_ISSUE_CODE.INVALID_ACTION_INPUT,
        path: where,
        message: `input of ${step.action}@${step.actionVersion}: ${issue.message}`,
      });
    }
  }
  return issues;
}
