// A tolerant walk over a definition that may not match the schema, so the semantic checks
// report their issues together with the schema issues.

/** A step-like object found in a definition, with its path segments. */
export interface FoundStep {
  readonly step: Record<string, unknown>;
  readonly path: readonly (string | number)[];
}

/** Fields of container steps that hold step lists. */
export const BRANCH_FIELDS: readonly string[] = ['then', 'else', 'body', 'try', 'catch'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every object inside `steps` (and nested branches), in document order. */
export function findSteps(definition: unknown): FoundStep[] {
  const found: FoundStep[] = [];
  const visit = (list: unknown, path: readonly (string | number)[]): void => {
    if (!Array.isArray(list)) return;
    list.forEach((step, i) => {
      if (!isRecord(step)) return;
      const stepPath = [...path, i];
      found.push({ step, path: stepPath });
      for (const field of BRANCH_FIELDS) visit(step[field], [...stepPath, field]);
    });
  };
  if (isRecord(definition)) visit(definition.steps, ['steps']);
  return found;
}

/** Whether a value is a plain object. */
export { isRecord };
