import { BatonError, DEFAULT_VERSION_POLICY, ErrorCode, resolveVersion, type DefinitionStore, type PublishedDefinition } from '@baton/runtime-core';
import type { PgPoolClientLike } from '../database/pg-pool.js';

/** Largest number of definitions kept in memory. */
const CACHE_LIMIT = 1000;

/** Published definitions by (tenant, name, version), cached: a published version never changes. */
export class DefinitionSource {
  readonly #store: DefinitionStore;
  readonly #storeOn: ((client: PgPoolClientLike) => DefinitionStore) | undefined;
  readonly #cache = new Map<string, Promise<PublishedDefinition>>();

  /**
   * @param storeOn the same store over one connection: with `via`, a cache miss reads through the
   *   caller's own (locked, in-transaction) connection instead of taking another from the pool.
   */
  constructor(store: DefinitionStore, storeOn?: (client: PgPoolClientLike) => DefinitionStore) {
    this.#store = store;
    this.#storeOn = storeOn;
  }

  #source(via: PgPoolClientLike | undefined): DefinitionStore {
    return via && this.#storeOn ? this.#storeOn(via) : this.#store;
  }

  /** The published definition; throws `WORKFLOW_NOT_FOUND` when it is not published. */
  get(tenant: string, name: string, version: string, via?: PgPoolClientLike): Promise<PublishedDefinition> {
    const key = `${tenant}\u0000${name}\u0000${version}`;
    let found = this.#cache.get(key);
    if (!found) {
      found = this.#source(via).get(tenant, name, version).then((d) => {
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
  async resolve(tenant: string, name: string, runKey: string, request: { range?: string; pinVersion?: string }, via?: PgPoolClientLike): Promise<PublishedDefinition> {
    if (request.pinVersion !== undefined) return this.get(tenant, name, request.pinVersion, via);
    const source = this.#source(via);
    // one connection runs one query at a time: no Promise.all over a borrowed connection
    const versions = await source.listVersions(tenant, name);
    const policy = await source.getPolicy(tenant, name);
    const version = resolveVersion(
      name,
      policy?.versionPolicy ?? DEFAULT_VERSION_POLICY,
      runKey,
      versions.map((v) => v.version),
      { retired: versions.filter((v) => v.retiredAt != null).map((v) => v.version), ...(request.range !== undefined ? { range: request.range } : {}) },
    );
    return this.get(tenant, name, version, via);
  }
}
