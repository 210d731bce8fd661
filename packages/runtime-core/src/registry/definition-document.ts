import type { JsonValue } from '@baton/event-schemas';

/**
 * The parts of a workflow definition the runtime services read. Until the `WorkflowDefinition`
 * schema of `@baton/event-schemas` lands this is structural; ports carry the whole document.
 */
export interface DefinitionDocument {
  readonly name: string;
  readonly version: string;
  readonly trigger?: { readonly type: 'event'; readonly eventName: string; readonly input?: JsonValue };
  readonly inputSchema?: JsonValue;
  readonly steps: readonly unknown[];
  readonly [key: string]: unknown;
}
