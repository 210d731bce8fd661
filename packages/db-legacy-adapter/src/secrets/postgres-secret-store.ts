// The `secrets` table (migration 0011): tenant secrets, encrypted with `BATON_SECRETS_KEY`.
// Names are readable without the key (publish checks them); values need it.
import type { SecretEntry, SecretStore, SecretWriter } from '@baton/runtime-core';
import type { PgPoolLike } from '../database/pg-pool.js';
import { withClient } from '../engine/pooled-client.js';
import { quoteIdent } from '../engine/sql-names.js';
import { DEFAULT_SCHEMA } from '../migrations/migrate.js';
import { openSecret, sealSecret, SecretKeyError, type SecretKey } from './secret-cipher.js';

/** Options of {@link createPostgresSecretStore}. */
export interface PostgresSecretStoreOptions {
  readonly pool: PgPoolLike;
  /** @default 'baton' */
  readonly schema?: string;
  /** The encryption key (`parseSecretKey(process.env.BATON_SECRETS_KEY)`); without it values can be neither read nor written, names can. */
  readonly key?: SecretKey;
}

/** The secrets table as a secret store (read) and writer (`PUT /v1/secrets/:name`). */
export type PostgresSecretStore = SecretStore & SecretWriter;

interface SecretRow {
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
}

/** Creates the Postgres secret store over `secrets`. */
export function createPostgresSecretStore(options: PostgresSecretStoreOptions): PostgresSecretStore {
  const table = `${quoteIdent(options.schema ?? DEFAULT_SCHEMA)}.${quoteIdent('secrets')}`;
  const query = <R>(text: string, params: unknown[]) => withClient(options.pool, async (client) => client.query<R>(text, params));
  const needKey = (what: string): SecretKey => {
    if (!options.key) throw new SecretKeyError(`BATON_SECRETS_KEY is not set: cannot ${what} secrets in the database`);
    return options.key;
  };
  return {
    async get(tenant, name) {
      const { rows } = await query<SecretRow>(`select key_id, nonce, ciphertext, auth_tag from ${table} where tenant_id = $1 and name = $2`, [tenant, name]);
      const row = rows[0];
      if (!row) return undefined;
      return openSecret(needKey('read'), tenant, name, { keyId: row.key_id, nonce: row.nonce, ciphertext: row.ciphertext, authTag: row.auth_tag });
    },
    async has(tenant, name) {
      const { rows } = await query(`select 1 from ${table} where tenant_id = $1 and name = $2`, [tenant, name]);
      return rows.length > 0;
    },
    async set(tenant, name, value) {
      const sealed = sealSecret(needKey('write'), tenant, name, value);
      const { rows } = await query<{ created: boolean }>(
        `insert into ${table} as s (tenant_id, name, key_id, nonce, ciphertext, auth_tag) values ($1, $2, $3, $4, $5, $6)
         on conflict (tenant_id, name) do update set key_id = excluded.key_id, nonce = excluded.nonce, ciphertext = excluded.ciphertext,
           auth_tag = excluded.auth_tag, updated_at = now()
         returning (xmax = 0) as created`,
        [tenant, name, sealed.keyId, sealed.nonce, sealed.ciphertext, sealed.authTag],
      );
      return { created: rows[0]!.created };
    },
    async delete(tenant, name) {
      const result = await query(`delete from ${table} where tenant_id = $1 and name = $2`, [tenant, name]);
      return Number(result.rowCount ?? 0) > 0;
    },
    async list(tenant) {
      const { rows } = await query<{ name: string; updated_at: Date }>(`select name, updated_at from ${table} where tenant_id = $1 order by name`, [tenant]);
      return rows.map((r): SecretEntry => ({ name: r.name, updatedAt: r.updated_at.toISOString() }));
    },
  };
}
