import { createHash, timingSafeEqual } from 'node:crypto';
import { streamSigningKey } from '../stream/stream-signature.js';

/** Tenant names as they appear in `BATON_API_KEYS` (and stream entries). */
export const TENANT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The configured API keys, kept as SHA-256 digests only. */
export interface ApiKeyTable {
  /** every configured tenant */
  readonly tenants: ReadonlySet<string>;
  /** per tenant, the stream-entry signing key derived from each of its API keys (see `stream-signature.ts`) */
  readonly streamSigningKeys: ReadonlyMap<string, readonly Buffer[]>;
  /** The tenant of a presented key, `undefined` when no key matches (constant time in the key). */
  tenantOf(presentedKey: string): string | undefined;
  /** The tenant and the key's name ({@link apiKeyName}) of a presented key, `undefined` when no key matches. */
  identify(presentedKey: string): { readonly tenant: string; readonly keyName: string } | undefined;
}

/**
 * The name of an API key in records such as the policy history: `key-` and the first 8 hex digits
 * of its SHA-256, stable across restarts and replicas, and never the key itself.
 */
export function apiKeyName(key: string): string {
  return `key-${digest(key).toString('hex').slice(0, 8)}`;
}

interface KeyEntry {
  readonly tenant: string;
  readonly digest: Buffer;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Builds the key table from `tenant:key` pairs. */
export function createApiKeyTable(pairs: ReadonlyArray<{ readonly tenant: string; readonly key: string }>): ApiKeyTable {
  const entries: KeyEntry[] = pairs.map((p) => ({ tenant: p.tenant, digest: digest(p.key) }));
  const signing = new Map<string, Buffer[]>();
  for (const p of pairs) signing.set(p.tenant, [...(signing.get(p.tenant) ?? []), streamSigningKey(p.key)]);
  return {
    tenants: new Set(pairs.map((p) => p.tenant)),
    streamSigningKeys: signing,
    tenantOf(presentedKey) {
      return this.identify(presentedKey)?.tenant;
    },
    identify(presentedKey) {
      // Comparing fixed-size digests with timingSafeEqual over every entry, without stopping at
      // the first match, keeps the time independent of which key (or key prefix) was presented.
      const presented = digest(presentedKey);
      let found: string | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry.tenant;
      }
      return found === undefined ? undefined : { tenant: found, keyName: `key-${presented.toString('hex').slice(0, 8)}` };
    },
  };
}

/**
 * Parses `BATON_API_KEYS` (`tenant-a:key-a,tenant-b:key-b`); throws an `Error` naming the bad
 * pair (by position, never echoing a key). A tenant may have several keys; a key maps to one tenant.
 */
export function parseApiKeys(text: string): ApiKeyTable {
  const pairs: { tenant: string; key: string }[] = [];
  const problems: string[] = [];
  const byKey = new Map<string, string>();
  text
    .split(',')
    .map((s) => s.trim())
    .forEach((pair, index) => {
      if (pair === '') return;
      const colon = pair.indexOf(':');
      const tenant = colon < 0 ? '' : pair.slice(0, colon).trim();
      const key = colon < 0 ? '' : pair.slice(colon + 1).trim();
      if (!TENANT_PATTERN.test(tenant)) {
        problems.push(`pair ${index + 1}: expected "tenant:key" with a tenant matching ${TENANT_PATTERN.source}`);
      } else if (key === '') {
        // Any non-empty key is accepted (SPEC-api's own example is `tenant-a:key-a`); choosing
        // long random keys is the operator's job, see the README.
        problems.push(`pair ${index + 1} (tenant "${tenant}"): the key is empty`);
      } else if (byKey.has(key) && byKey.get(key) !== tenant) {
        problems.push(`pair ${index + 1} (tenant "${tenant}"): the same key is configured for tenant "${byKey.get(key)}"`);
      } else {
        byKey.set(key, tenant);
        pairs.push({ tenant, key });
      }
    });
  if (!problems.length && !pairs.length) problems.push('no tenant:key pair given');
  if (problems.length) throw new Error(problems.join('; '));
  return createApiKeyTable(pairs);
}
