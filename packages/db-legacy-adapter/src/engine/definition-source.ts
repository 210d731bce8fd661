import { BatonError, DEFAULT_VERSION_POLICY, ErrorCode, resolveVersion, type DefinitionStore, type PublishedDefinition } from '@baton/runtime-core';

/** Largest number of definitions kept in memory. */
const CACHE_LIMIT = 1000;

/** Published definitions by (tenant, name, version), cached: a published version never changes. */
export class DefinitionSource {
  readonly #store: DefinitionStore;
  readonly #cache = new Map<string, Promise<PublishedDefinition>>();

  constructor(store: DefinitionStore) {
    this.#store = store;
  }

  /** The published definition; throws `WORKFLOW_NOT_FOUND` when it is not published. */
  get(tenant: string, name: string, version: string): Promise<PublishedDefinition> {
    const key = `${tenant}\u0000${name}\u0000${version}`;
    let found = this.#cache.get(key);
    if (!found) {
      found = this.#store.get(tenant, name, version).then((d) => {
        if (!d) throw new BatonError(ErrorCode.WORKFLOW_NOT_FOUND, `workflow ${name}@${version} is not published`, { details: { workflow: name, version } });
        return d;
      });
      found.catch(() => this.#cache.delete(key));
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.delete(this.#cache.keys().next().value!);
      this.#cache.set(key, found);
    }
    return found;
  }

  /** The definition a new (child or continued) run gets: the pinned version, else the policy, within `range`. */
  async resolve(tenant: string, name: string, runKey: string, request: { range?: string; pinVersion?: string }): Promise<PublishedDefinition> {
    if (request.pinVersion !== undefined) return this.get(tenant, name, request.pinVersion);
    const [versions, policy] = await Promise.all([this.#store.listVersions(tenant, name), this.#store.getPolicy(tenant, name)]);
    const version = resolveVersion(
      name,
      policy?.versionPolicy ?? DEFAULT_VERSION_POLICY,
      runKey,
      versions.map((v) => v.version),
      request.range !== undefined ? { range: request.range } : {},
    );
    return this.get(tenant, name, version);
  }
}
