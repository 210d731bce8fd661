// Resolution of an action input's secret references when the action runs, and redaction of the
// resolved values from whatever the attempt says about itself (errors, log lines).
import type { JsonValue } from '@baton/event-schemas';
import { isSecretRef, type SecretRef } from '../interpreter/secret-refs.js';
import type { SecretStore } from './secret-store.js';

/** What replaces a secret value in an error message, error details or a log line. */
export const REDACTED = '[REDACTED]';

/** The input with its references replaced by values, and the values (for redaction); or the first unknown name. */
export type SecretResolution =
  | { readonly ok: true; readonly input: JsonValue; readonly values: readonly string[] }
  | { readonly ok: false; readonly missing: string; readonly path: readonly (string | number)[] };

function replaceAt(value: JsonValue, path: readonly (string | number)[], secret: string): JsonValue {
  if (path.length === 0) return secret;
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, secret) : v));
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: JsonValue } = { ...value };
    copy[head as string] = replaceAt(value[head as string]!, rest, secret);
    return copy;
  }
  return value;
}

function valueAt(value: JsonValue, path: readonly (string | number)[]): JsonValue | undefined {
  let at: JsonValue | undefined = value;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = Array.isArray(at) ? at[key as number] : at[key as string];
  }
  return at;
}

/**
 * Replaces each reference (where the interpreter said the literal references sit, and only if the
 * value there still is that reference) with the tenant's secret value. The given input is not changed.
 */
export async function resolveSecretRefs(input: JsonValue, refs: readonly SecretRef[], tenant: string, store: SecretStore | undefined): Promise<SecretResolution> {
  let resolved = input;
  const values: string[] = [];
  for (const ref of refs) {
    const at = valueAt(input, ref.path);
    if (!isSecretRef(at) || at.$secret !== ref.name) continue;
    const secret = store ? await store.get(tenant, ref.name) : undefined;
    if (secret === undefined) return { ok: false, missing: ref.name, path: ref.path };
    values.push(secret);
    resolved = replaceAt(resolved, ref.path, secret);
  }
  return { ok: true, input: resolved, values };
}

/** The forms a value may take inside text: itself and JSON-escaped (as inside a serialized document). */
function formsOf(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value.length === 0) continue;
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of each secret value in a string. */
export function redactText(text: string, values: readonly string[]): string {
  let out = text;
  for (const form of formsOf(values)) out = out.split(form).join(REDACTED);
  return out;
}

/** Replaces every occurrence of each secret value in the strings (and keys) of a JSON value. */
export function redactJson<T extends JsonValue>(value: T, values: readonly string[]): T {
  if (values.length === 0) return value;
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') return redactText(v, values);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, nested]) => [redactText(k, values), walk(nested)]));
    return v;
  };
  return walk(value) as T;
}
