import { z } from 'zod';

/** A secret's name: letters, digits, `.`, `_`, `-`, starting with a letter or digit, at most 128 characters. */
export const SecretName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'a secret name is letters, digits, ".", "_" or "-", starting with a letter or digit (at most 128)')
  .meta({ id: 'SecretName' });
export type SecretName = z.infer<typeof SecretName>;

/** Path parameters of `/v1/secrets/:name`. */
export const SecretNameParams = z.object({ name: SecretName });
export type SecretNameParams = z.infer<typeof SecretNameParams>;

/** Largest secret value, in characters. */
export const MAX_SECRET_VALUE_LENGTH = 65_536;

/** Body of `PUT /v1/secrets/:name`. */
export const PutSecretBody = z
  .object({ value: z.string().min(1).max(MAX_SECRET_VALUE_LENGTH).describe('the secret value; stored encrypted, never readable back') })
  .strict()
  .meta({ id: 'PutSecretBody' });
export type PutSecretBody = z.infer<typeof PutSecretBody>;

/** A secret as the API shows it: its name and when it was last written, never its value. */
export const SecretView = z.object({ name: SecretName, updatedAt: z.string() }).meta({ id: 'SecretView' });
export type SecretView = z.infer<typeof SecretView>;

/** Answer of `PUT /v1/secrets/:name`. */
export const PutSecretResponse = z.object({ name: SecretName, created: z.boolean() }).meta({ id: 'PutSecretResponse' });
export type PutSecretResponse = z.infer<typeof PutSecretResponse>;

/** Answer of `GET /v1/secrets`: the tenant's secret names, sorted. */
export const ListSecretsResponse = z.object({ items: z.array(SecretView) }).meta({ id: 'ListSecretsResponse' });
export type ListSecretsResponse = z.infer<typeof ListSecretsResponse>;
