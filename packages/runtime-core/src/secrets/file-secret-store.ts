// `BATON_SECRETS_FILE`: per-tenant secrets in one JSON document, `{"<tenant>": {"<name>": "<value>"}}`.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SecretName } from '@baton/event-schemas';
import type { SecretStore } from './secret-store.js';

/** The secrets file's shape. */
export const SecretsFile = z.record(z.string().min(1), z.record(SecretName, z.string()));
export type SecretsFile = z.infer<typeof SecretsFile>;

/** A secrets file that cannot be read or has the wrong shape; the message never holds a value. */
export class SecretsFileError extends Error {
  override readonly name = 'SecretsFileError';
  readonly code = 'INVALID_SECRETS_FILE';
}

/** A store over an in-memory `{tenant: {name: value}}` object (a parsed secrets file, or tests). */
export function createStaticSecretStore(secrets: SecretsFile): SecretStore {
  const byTenant = new Map(Object.entries(secrets).map(([tenant, values]) => [tenant, new Map(Object.entries(values))]));
  return {
    get: (tenant, name) => Promise.resolve(byTenant.get(tenant)?.get(name)),
    has: (tenant, name) => Promise.resolve(byTenant.get(tenant)?.has(name) ?? false),
  };
}

/** Parses a secrets file's text; the error names the path of a bad entry, never its value. */
export function parseSecretsFile(text: string, source = 'the secrets file'): SecretsFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse quotes the text around a syntax error, which may be a secret.
    throw new SecretsFileError(`${source} is not valid JSON`);
  }
  const parsed = SecretsFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new SecretsFileError(`${source}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.code === 'invalid_key' ? 'a secret name is letters, digits, ".", "_" or "-" (at most 128)' : 'expected {"<tenant>": {"<name>": "<string value>"}}'}`);
  }
  return parsed.data;
}

/** Reads `BATON_SECRETS_FILE` once (at process start) into a store. */
export function loadSecretsFile(path: string): SecretStore {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SecretsFileError(`cannot read the secrets file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return createStaticSecretStore(parseSecretsFile(text, `the secrets file ${path}`));
}
