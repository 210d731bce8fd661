// AES-256-GCM for secret values (node:crypto): a random 96-bit nonce per write, the tenant and the
// name as authenticated data, and a key id (first 16 hex digits of the key's SHA-256) per row.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A `BATON_SECRETS_KEY` that is not 32 bytes of base64, or a row another key encrypted. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
  readonly code = 'INVALID_SECRETS_KEY';
}

/** The key secrets are encrypted with. */
export interface SecretKey {
  readonly id: string;
  readonly bytes: Buffer;
}

/** Reads a base64 key of exactly 32 bytes (`openssl rand -base64 32`). */
export function parseSecretKey(base64: string): SecretKey {
  const text = base64.trim();
  const bytes = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || bytes.length !== 32) {
    throw new SecretKeyError('must be 32 bytes, base64 encoded (e.g. `openssl rand -base64 32`)');
  }
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 16), bytes };
}

/** One encrypted value. */
export interface SealedSecret {
  readonly keyId: string;
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

const aad = (tenant: string, name: string) => Buffer.from(`${tenant}\u0000${name}`, 'utf8');

/** Encrypts a value bound to its tenant and name. */
export function sealSecret(key: SecretKey, tenant: string, name: string, value: string): SealedSecret {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, nonce);
  cipher.setAAD(aad(tenant, name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return { keyId: key.id, nonce, ciphertext, authTag: cipher.getAuthTag() };
}

/** Decrypts a value; a row of another key or tampered with throws {@link SecretKeyError} (naming the secret, never a value). */
export function openSecret(key: SecretKey, tenant: string, name: string, sealed: SealedSecret): string {
  if (sealed.keyId !== key.id) {
    throw new SecretKeyError(`the secret "${name}" was encrypted with another BATON_SECRETS_KEY (key id ${sealed.keyId}, this one is ${key.id})`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, sealed.nonce);
    decipher.setAAD(aad(tenant, name));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError(`the secret "${name}" does not decrypt: its row was altered`);
  }
}
