import type { Expr, JsonValue, Step, WorkflowDefinition } from '@baton/event-schemas';

/** A scenario definition named `conformance.<name>`, version 1.0.0 unless given. */
export function workflow(name: string, steps: Step[], extra: Partial<WorkflowDefinition> = {}): WorkflowDefinition {
  return { name: `conformance.${name}`, version: '1.0.0', steps, ...extra };
}

/** `{"$expr": source}`. */
export function expr(source: string): Expr {
  return { $expr: source };
}

/** An action.call step of a version-1 action. */
export function call(id: string, action: string, input?: JsonValue, extra: Partial<Extract<Step, { type: 'action.call' }>> = {}): Step {
  return { id, type: 'action.call', action, actionVersion: 1, ...(input !== undefined ? { input } : {}), ...extra };
}
