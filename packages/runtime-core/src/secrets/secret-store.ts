// The tenant-scoped secret store port: what `{"$secret": name}` values resolve from when an
// action runs, and what publishing checks names against.

/** Reads a tenant's secrets. Every method takes the tenant; another tenant's secrets do not exist. */
export interface SecretStore {
  /** The secret's value, or undefined when the tenant has no secret of that name. */
  get(tenant: string, name: string): Promise<string | undefined>;
  /** True when the tenant has a secret of that name (no value is read or decrypted). */
  has(tenant: string, name: string): Promise<boolean>;
}

/** A secret's name and when it was last written (values are never readable back). */
export interface SecretEntry {
  readonly name: string;
  readonly updatedAt: string;
}

/** Writes a tenant's secrets (the Postgres adapter; `PUT /v1/secrets/:name`). */
export interface SecretWriter {
  /** Creates or replaces the secret; `created` is false when it replaced one. */
  set(tenant: string, name: string, value: string): Promise<{ readonly created: boolean }>;
  /** Deletes the secret; false when there was none. */
  delete(tenant: string, name: string): Promise<boolean>;
  /** The tenant's secret names, sorted. */
  list(tenant: string): Promise<SecretEntry[]>;
}

/** A store that answers from each store in turn: the first that has the name wins. */
export function chainSecretStores(stores: readonly SecretStore[]): SecretStore {
  return {
    async get(tenant, name) {
      for (const store of stores) {
        const value = await store.get(tenant, name);
        if (value !== undefined) return value;
      }
      return undefined;
    },
    async has(tenant, name) {
      for (const store of stores) if (await store.has(tenant, name)) return true;
      return false;
    },
  };
}

/** A store without secrets (no store configured): every reference is unknown. */
export const EMPTY_SECRET_STORE: SecretStore = {
  get: () => Promise.resolve(undefined),
  has: () => Promise.resolve(false),
};
