import type { KnownSecrets } from '../definition-validation/check-secret-refs.js';
import { referencedSecretNames } from '../definition-validation/validate-definition.js';
import type { SecretStore } from './secret-store.js';

/** Which of the secrets a definition references the tenant has (looked up before the synchronous validation). */
export async function knownSecretsFor(store: SecretStore, tenant: string, json: unknown): Promise<KnownSecrets> {
  const names = referencedSecretNames(json);
  const present = await Promise.all(names.map(async (name) => ((await store.has(tenant, name)) ? name : undefined)));
  return new Set(present.filter((n): n is string => n !== undefined));
}
