// Publish-time check of `{"$secret": name}` references in action.call inputs: the shape, and,
// when the tenant's secret names are given, that the tenant has each one.
import { formatPath } from '@baton/event-schemas';
import { DEFINITION_ISSUE_CODE, type DefinitionIssue } from './definition-issue.js';
import { isRecord, type FoundStep } from './walk-steps.js';

/** What publishing knows about the tenant's secrets. */
export interface KnownSecrets {
  has(name: string): boolean;
}

type Path = readonly (string | number)[];

function visitRefs(value: unknown, path: Path, onRef: (ref: unknown, path: Path, alone: boolean) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => visitRefs(v, [...path, i], onRef));
    return;
  }
  if (!isRecord(value)) return;
  if ('$expr' in value && Object.keys(value).length === 1) return;
  if ('$secret' in value) {
    onRef(value.$secret, path, Object.keys(value).length === 1);
    return;
  }
  for (const [key, nested] of Object.entries(value)) visitRefs(nested, [...path, key], onRef);
}

/** The secret names the action.call inputs of a definition (not yet validated) reference. */
export function secretNamesIn(steps: readonly FoundStep[]): string[] {
  const names = new Set<string>();
  for (const { step } of steps) {
    if (step.type !== 'action.call') continue;
    visitRefs(step.input, [], (ref) => {
      if (typeof ref === 'string') names.add(ref);
    });
  }
  return [...names];
}

/** Malformed references (INVALID_WORKFLOW_DEFINITION) and, with `known`, names the tenant lacks (UNKNOWN_SECRET). */
export function checkSecretRefs(steps: readonly FoundStep[], known: KnownSecrets | undefined): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const { step, path } of steps) {
    if (step.type !== 'action.call') continue;
    visitRefs(step.input, [...path, 'input'], (ref, at, alone) => {
      const where = formatPath([...at, '$secret']);
      if (typeof ref !== 'string' || !alone) {
        issues.push({ code: DEFINITION_ISSUE_CODE.INVALID_WORKFLOW_DEFINITION, path: where, message: 'a secret reference is exactly {"$secret": "<name>"}' });
      } else if (known && !known.has(ref)) {
        issues.push({ code: DEFINITION_ISSUE_CODE.UNKNOWN_SECRET, path: where, message: `the secret "${ref}" is not set for this tenant (set it with \`baton secrets set ${ref}\` or in BATON_SECRETS_FILE)` });
      }
    });
  }
  return issues;
}
