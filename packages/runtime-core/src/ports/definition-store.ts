import type { WorkflowDefinition, WorkflowPolicy } from '@baton/event-schemas';

/** A version of a workflow to publish. */
export interface NewDefinitionVersion {
  readonly name: string;
  readonly version: string;
  /** content hash of the canonical definition JSON */
  readonly hash: string;
  readonly definition: WorkflowDefinition;
  /** `trigger.eventName` of an event-triggered definition, else `null` (indexed) */
  readonly triggerEventName: string | null;
  readonly publishedAt: string;
}

/** A published, immutable version of a workflow. */
export interface PublishedDefinition extends NewDefinitionVersion {
  readonly tenant: string;
}

/** A published version without its document. */
export interface DefinitionVersionSummary {
  readonly name: string;
  readonly version: string;
  readonly hash: string;
  readonly triggerEventName: string | null;
  readonly publishedAt: string;
}

/**
 * What a publish did: stored a new version, found the same content already there (no-op), or
 * found other content under the same (name, version) (nothing written).
 */
export type PublishOutcome =
  | { readonly status: 'created'; readonly definition: PublishedDefinition }
  | { readonly status: 'unchanged'; readonly definition: PublishedDefinition }
  | { readonly status: 'conflict'; readonly existing: PublishedDefinition };

/** Storage of published definitions and per-name policies; every method is scoped to `tenant`. */
export interface DefinitionStore {
  /** Inserts the version unless (tenant, name, version) exists; atomic compare of the content hash. */
  publish(tenant: string, version: NewDefinitionVersion): Promise<PublishOutcome>;
  get(tenant: string, name: string, version: string): Promise<PublishedDefinition | undefined>;
  /** Every workflow name with at least one published version, ascending. */
  listNames(tenant: string): Promise<readonly string[]>;
  /** Every published version of `name`, in any order (callers sort by semver). */
  listVersions(tenant: string, name: string): Promise<readonly DefinitionVersionSummary[]>;
  /** The stored policy, `undefined` when none was ever set. */
  getPolicy(tenant: string, name: string): Promise<WorkflowPolicy | undefined>;
  /** Replaces the stored policy. */
  setPolicy(tenant: string, name: string, policy: WorkflowPolicy): Promise<WorkflowPolicy>;
  /** Every published version (of any name) whose trigger listens to `eventName`. */
  listEventTriggered(tenant: string, eventName: string): Promise<readonly DefinitionVersionSummary[]>;
  /** `listEventTriggered` for several event names in one step (each summary carries its `triggerEventName`). */
  listEventTriggeredMany(tenant: string, eventNames: readonly string[]): Promise<readonly DefinitionVersionSummary[]>;
}
