import { WorkflowEvent, type ValidationIssue } from '@baton/event-schemas';
import { zodIssuesToValidationIssues } from '@baton/runtime-core';
import { TENANT_PATTERN } from '../auth/api-keys.js';
import { findNulCharacter, JSON_SHAPE_DEFAULTS, jsonTextDepth } from '../body/json-shape.js';
import { STREAM_SIGNATURE, verifyStreamEntry } from './stream-signature.js';

/**
 * Field names of an event stream entry: `XADD <stream> * tenant <tenant> event <envelope JSON> sig <signature>`
 * (`signedStreamEntryFields` builds them; the signature is described in `stream-signature.ts`).
 */
export const STREAM_FIELD = {
  TENANT: 'tenant',
  EVENT: 'event',
  SIGNATURE: STREAM_SIGNATURE.FIELD,
} as const;
export type StreamField = (typeof STREAM_FIELD)[keyof typeof STREAM_FIELD];

/** Why an entry cannot be routed at all (it goes to the dead-letter stream at once). */
export const MalformedEntryCode = {
  MISSING_FIELD: 'STREAM_ENTRY_MISSING_FIELD',
  UNKNOWN_TENANT: 'STREAM_ENTRY_UNKNOWN_TENANT',
  /** no `sig` field, or one no signing key of the named tenant made: a spoofed tenant */
  UNAUTHENTICATED: 'STREAM_ENTRY_UNAUTHENTICATED',
  INVALID_JSON: 'STREAM_ENTRY_INVALID_JSON',
  JSON_TOO_DEEP: 'STREAM_ENTRY_JSON_TOO_DEEP',
  INVALID_EVENT: 'STREAM_ENTRY_INVALID_EVENT',
} as const;
export type MalformedEntryCode = (typeof MalformedEntryCode)[keyof typeof MalformedEntryCode];

/** A parsed entry: the tenant and its validated envelope, or why it is malformed. */
export type ParsedStreamEntry =
  | { readonly ok: true; readonly tenant: string; readonly event: WorkflowEvent }
  | { readonly ok: false; readonly code: MalformedEntryCode; readonly message: string; readonly issues?: readonly ValidationIssue[] };

/** Turns Redis's flat `[field, value, field, value, ...]` list into a map (the first value of a repeated field wins). */
export function entryFields(flat: readonly string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) if (!fields.has(flat[i]!)) fields.set(flat[i]!, flat[i + 1]!);
  return fields;
}

/** Options of {@link parseStreamEntry}. */
export interface StreamEntryRules {
  /** the configured tenants and the signing keys of their API keys (`ApiKeyTable.streamSigningKeys`); any other tenant is unknown */
  readonly signingKeys: ReadonlyMap<string, readonly Buffer[]>;
  /** deepest nesting of the event JSON @default JSON_SHAPE_DEFAULTS.maxDepth */
  readonly maxDepth?: number;
}

/**
 * Validates a stream entry: a configured tenant, a signature over tenant and event made with one of
 * that tenant's signing keys (checked before the event is parsed), and a `WorkflowEvent` envelope in
 * JSON held to the same rules as an HTTP body (no NUL character, nesting within `maxDepth`).
 */
export function parseStreamEntry(fields: ReadonlyMap<string, string>, rules: StreamEntryRules): ParsedStreamEntry {
  const maxDepth = rules.maxDepth ?? JSON_SHAPE_DEFAULTS.maxDepth;
  const tenant = fields.get(STREAM_FIELD.TENANT);
  const text = fields.get(STREAM_FIELD.EVENT);
  if (!tenant || text === undefined) {
    const missing = [!tenant ? STREAM_FIELD.TENANT : undefined, text === undefined ? STREAM_FIELD.EVENT : undefined].filter(Boolean).join(', ');
    return { ok: false, code: MalformedEntryCode.MISSING_FIELD, message: `the entry lacks field(s): ${missing}` };
  }
  const keys = TENANT_PATTERN.test(tenant) ? rules.signingKeys.get(tenant) : undefined;
  if (!keys?.length) {
    return { ok: false, code: MalformedEntryCode.UNKNOWN_TENANT, message: `tenant ${JSON.stringify(tenant.slice(0, 100))} is not configured in BATON_API_KEYS` };
  }
  const signature = fields.get(STREAM_FIELD.SIGNATURE);
  if (signature === undefined) {
    return { ok: false, code: MalformedEntryCode.UNAUTHENTICATED, message: `the entry has no ${STREAM_FIELD.SIGNATURE} field: entries must be signed with a key of tenant "${tenant}" (${STREAM_SIGNATURE.VERSION})` };
  }
  if (!verifyStreamEntry(keys, tenant, text, signature)) {
    return { ok: false, code: MalformedEntryCode.UNAUTHENTICATED, message: `the ${STREAM_FIELD.SIGNATURE} field was not made by a key of tenant "${tenant}" over this entry` };
  }
  if (jsonTextDepth(text, maxDepth) > maxDepth) {
    return { ok: false, code: MalformedEntryCode.JSON_TOO_DEEP, message: `the event field nests objects and arrays deeper than ${maxDepth} levels` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: MalformedEntryCode.INVALID_JSON, message: `the event field is not valid JSON: ${(err as Error).message}` };
  }
  const nulAt = findNulCharacter(json);
  if (nulAt !== undefined) {
    return { ok: false, code: MalformedEntryCode.INVALID_JSON, message: `the event field holds a NUL character (\\u0000) at ${nulAt || '(root)'}; NUL cannot be stored` };
  }
  const parsed = WorkflowEvent.safeParse(json);
  if (!parsed.success) {
    const issues = zodIssuesToValidationIssues(parsed.error);
    return { ok: false, code: MalformedEntryCode.INVALID_EVENT, message: `the event envelope is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues };
  }
  return { ok: true, tenant, event: parsed.data };
}
