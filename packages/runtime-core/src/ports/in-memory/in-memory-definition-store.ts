import type { PolicyChange, WorkflowPolicy } from '@baton/event-schemas';
import type {
  DefinitionStore,
  DefinitionVersionSummary,
  NewDefinitionVersion,
  PublishedDefinition,
  PolicyChangeInput,
  PublishOutcome,
  VersionRetirement,
} from '../definition-store.js';
import { tenantKey } from './tenant-key.js';

function summary(d: PublishedDefinition, retired: VersionRetirement | undefined): DefinitionVersionSummary {
  return {
    name: d.name,
    version: d.version,
    hash: d.hash,
    triggerEventName: d.triggerEventName,
    publishedAt: d.publishedAt,
    retiredAt: retired?.at ?? null,
    retiredReason: retired?.reason ?? null,
  };
}

/** A {@link DefinitionStore} in process memory, for tests and the reference harness. */
export class InMemoryDefinitionStore implements DefinitionStore {
  readonly #versions = new Map<string, PublishedDefinition>();
  readonly #policies = new Map<string, WorkflowPolicy>();
  readonly #history = new Map<string, PolicyChange[]>();
  readonly #retired = new Map<string, VersionRetirement>();

  #summary = (d: PublishedDefinition): DefinitionVersionSummary => summary(d, this.#retired.get(tenantKey(d.tenant, d.name, d.version)));

  async publish(tenant: string, version: NewDefinitionVersion): Promise<PublishOutcome> {
    const key = tenantKey(tenant, version.name, version.version);
    const existing = this.#versions.get(key);
    if (existing) {
      return existing.hash === version.hash
        ? { status: 'unchanged', definition: structuredClone(existing) }
        : { status: 'conflict', existing: structuredClone(existing) };
    }
    const stored: PublishedDefinition = structuredClone({ ...version, tenant });
    this.#versions.set(key, stored);
    return { status: 'created', definition: structuredClone(stored) };
  }

  async get(tenant: string, name: string, version: string): Promise<PublishedDefinition | undefined> {
    const found = this.#versions.get(tenantKey(tenant, name, version));
    return found && structuredClone(found);
  }

  async listNames(tenant: string): Promise<readonly string[]> {
    const names = new Set([...this.#versions.values()].filter((d) => d.tenant === tenant).map((d) => d.name));
    return [...names].sort();
  }

  async listVersions(tenant: string, name: string): Promise<readonly DefinitionVersionSummary[]> {
    return [...this.#versions.values()].filter((d) => d.tenant === tenant && d.name === name).map(this.#summary);
  }

  async retireVersion(tenant: string, name: string, version: string, retirement: VersionRetirement): Promise<DefinitionVersionSummary | undefined> {
    const key = tenantKey(tenant, name, version);
    const found = this.#versions.get(key);
    if (!found) return undefined;
    if (!this.#retired.has(key)) this.#retired.set(key, { ...retirement });
    return this.#summary(found);
  }

  async getPolicy(tenant: string, name: string): Promise<WorkflowPolicy | undefined> {
    const found = this.#policies.get(tenantKey(tenant, name));
    return found && structuredClone(found);
  }

  async setPolicy(tenant: string, name: string, policy: WorkflowPolicy, change?: PolicyChangeInput): Promise<WorkflowPolicy> {
    const key = tenantKey(tenant, name);
    if (change) {
      const entry: PolicyChange = { ...change, from: structuredClone(this.#policies.get(key) ?? null), to: structuredClone(policy) };
      this.#history.set(key, [...(this.#history.get(key) ?? []), entry]);
    }
    this.#policies.set(key, structuredClone(policy));
    return structuredClone(policy);
  }

  async listPolicyHistory(tenant: string, name: string, limit: number): Promise<readonly PolicyChange[]> {
    return structuredClone((this.#history.get(tenantKey(tenant, name)) ?? []).toReversed().slice(0, limit));
  }

  async listEventTriggered(tenant: string, eventName: string): Promise<readonly DefinitionVersionSummary[]> {
    return [...this.#versions.values()].filter((d) => d.tenant === tenant && d.triggerEventName === eventName).map(this.#summary);
  }

  async listEventTriggeredMany(tenant: string, eventNames: readonly string[]): Promise<readonly DefinitionVersionSummary[]> {
    const wanted = new Set(eventNames);
    return [...this.#versions.values()].filter((d) => d.tenant === tenant && d.triggerEventName !== null && wanted.has(d.triggerEventName)).map(this.#summary);
  }
}
