import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../__fixtures__/test-database.js';
import { quoteIdent } from '../engine/sql-names.js';
import { createPostgresSecretStore, type PostgresSecretStore } from './postgres-secret-store.js';
import { parseSecretKey, SecretKeyError } from './secret-cipher.js';

const KEY = parseSecretKey(randomBytes(32).toString('base64'));
const VALUE = 'sk_live_7d1e0c-the-value';

let t: TestDatabase;
let store: PostgresSecretStore;
beforeAll(async () => {
  t = await createTestDatabase('secrets', { awkward: true });
  store = createPostgresSecretStore({ pool: t.pool, schema: t.schema, key: KEY });
});
afterAll(async () => t?.drop());

const table = () => `${quoteIdent(t.schema)}.${quoteIdent('secrets')}`;

describe('Postgres secret store (migration 0011)', () => {
  it('stores values encrypted, reads them back per tenant, and lists names only', async () => {
    expect(await store.set('acme', 'api-token', VALUE)).toEqual({ created: true });
    expect(await store.get('acme', 'api-token')).toBe(VALUE);
    expect(await store.has('acme', 'api-token')).toBe(true);
    expect(await store.get('beta', 'api-token')).toBeUndefined();
    expect(await store.has('beta', 'api-token')).toBe(false);
    expect(await store.list('acme')).toEqual([{ name: 'api-token', updatedAt: expect.any(String) }]);
    expect(await store.list('beta')).toEqual([]);
    // Nothing in the row is the value, in any encoding.
    const { rows } = await t.pool.query(`select * from ${table()}`);
    const dump = JSON.stringify(rows.map((r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) ? [v.toString('hex'), v.toString('utf8'), v.toString('base64')] : v]))));
    expect(dump).not.toContain(VALUE);
    expect(dump).not.toContain(Buffer.from(VALUE).toString('hex'));
    expect(dump).not.toContain(Buffer.from(VALUE).toString('base64').slice(0, 16));
  });

  it('replaces a value, deletes it', async () => {
    expect(await store.set('acme', 'rotating', 'one')).toEqual({ created: true });
    expect(await store.set('acme', 'rotating', 'two')).toEqual({ created: false });
    expect(await store.get('acme', 'rotating')).toBe('two');
    expect(await store.delete('acme', 'rotating')).toBe(true);
    expect(await store.delete('acme', 'rotating')).toBe(false);
    expect(await store.get('acme', 'rotating')).toBeUndefined();
  });

  it('another key, a row moved to another name or tenant, or no key at all: a clear error, never a wrong value', async () => {
    await store.set('acme', 'moved', VALUE);
    const other = createPostgresSecretStore({ pool: t.pool, schema: t.schema, key: parseSecretKey(randomBytes(32).toString('base64')) });
    await expect(other.get('acme', 'moved')).rejects.toThrow(/encrypted with another BATON_SECRETS_KEY/);
    await t.pool.query(`insert into ${table()} (tenant_id, name, key_id, nonce, ciphertext, auth_tag) select 'beta', name, key_id, nonce, ciphertext, auth_tag from ${table()} where tenant_id = 'acme' and name = 'moved'`);
    await expect(store.get('beta', 'moved')).rejects.toThrow(SecretKeyError);
    await expect(store.get('beta', 'moved')).rejects.not.toThrow(VALUE);
    const keyless = createPostgresSecretStore({ pool: t.pool, schema: t.schema });
    expect(await keyless.has('acme', 'moved')).toBe(true);
    await expect(keyless.get('acme', 'moved')).rejects.toThrow('BATON_SECRETS_KEY is not set');
    await expect(keyless.set('acme', 'x', 'y')).rejects.toThrow('BATON_SECRETS_KEY is not set');
  });

  it('a key must be 32 bytes of base64', () => {
    expect(() => parseSecretKey('c2hvcnQ=')).toThrow('must be 32 bytes');
    expect(() => parseSecretKey('not base64 at all!')).toThrow(SecretKeyError);
    expect(parseSecretKey(randomBytes(32).toString('base64')).id).toMatch(/^[0-9a-f]{16}$/);
  });
});
