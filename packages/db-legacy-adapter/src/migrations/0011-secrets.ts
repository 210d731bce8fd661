import { sql, type Kysely } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Tenant secrets for `{"$secret": name}` action inputs: each value AES-256-GCM encrypted with the
 * key of `BATON_SECRETS_KEY` (`key_id` says which key, so a wrong key is named, not mis-decrypted);
 * the tenant and name are the authenticated data, so a row copied to another name does not decrypt.
 */
export const secrets: Migration = {
  name: '0011-secrets',
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Migration.up
  async up(db: Kysely<any>, schema: string): Promise<void> {
    await sql`create table ${sql.id(schema, 'secrets')} (
      tenant_id text not null,
      name text not null,
      key_id text not null,
      nonce bytea not null,
      ciphertext bytea not null,
      auth_tag bytea not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (tenant_id, name)
    )`.execute(db);
  },
};
