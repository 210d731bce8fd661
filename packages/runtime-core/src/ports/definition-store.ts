import type { PolicyChange, WorkflowDefinition, WorkflowPolicy } from '@baton/event-schemas';

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
  /** when an operator retired the version (no new run gets it); absent or `null`: in service */
  readonly retiredAt?: string | null;
  /** why it was retired, when given */
  readonly retiredReason?: string | null;
}

/** An operator's retirement of a version. */
export interface VersionRetirement {
  readonly at: string;
  readonly reason: string | null;
}

/**
 * What a publish did: stored a new version, found the same content already there (no-op), or
 * found other content under the same (name, version) (nothing written).
 */
export type PublishOutcome =
  | { readonly status: 'created'; readonly definition: PublishedDefinition }
  | { readonly status: 'unchanged'; readonly definition: PublishedDefinition }
  | { readonly status: 'conflict'; readonly existing: PublishedDefinition };

/** What a start reads of a name: its stored policy (`undefined` when none was set) and its versions. */
export interface PolicyAndVersions {
  readonly policy: WorkflowPolicy | undefined;
  readonly versions: readonly DefinitionVersionSummary[];
}

/** Who changed a policy, when and why; the store adds `from` (the policy it replaced) and `to`. */
export interface PolicyChangeInput {
  readonly at: string;
  /** the API key name, or `baton-rollback` */
  readonly actor: string;
  /** an unmet rollout gate was overridden (`?force=true`) */
  readonly forced: boolean;
  readonly reason: string | null;
}

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
  /**
   * `getPolicy` and `listVersions` in one read (one round trip on a start); optional, the registry
   * reads the two one after the other without it.
   */
  getPolicyAndVersions?(tenant: string, name: string): Promise<PolicyAndVersions>;
  /**
   * Replaces the stored policy; with `change`, appends a history entry (its `from` is the policy
   * replaced, read in the same transaction) atomically with the write.
   */
  setPolicy(tenant: string, name: string, policy: WorkflowPolicy, change?: PolicyChangeInput): Promise<WorkflowPolicy>;
  /** The policy's change history, newest first, at most `limit` entries. */
  listPolicyHistory(tenant: string, name: string, limit: number): Promise<readonly PolicyChange[]>;
  /**
   * Marks a published version retired unless it already is (the first retirement's time and reason
   * stay); answers the version's summary, `undefined` when it is not published.
   */
  retireVersion(tenant: string, name: string, version: string, retirement: VersionRetirement): Promise<DefinitionVersionSummary | undefined>;
  /** Every published version (of any name) whose trigger listens to `eventName`. */
  listEventTriggered(tenant: string, eventName: string): Promise<readonly DefinitionVersionSummary[]>;
  /** `listEventTriggered` for several event names in one step (each summary carries its `triggerEventName`). */
  listEventTriggeredMany(tenant: string, eventNames: readonly string[]): Promise<readonly DefinitionVersionSummary[]>;
}
