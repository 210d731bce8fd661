import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * How a stream entry proves its tenant: an HMAC-SHA256 over the tenant and the event text with a
 * signing key derived from one of the tenant's API keys. Whoever can `XADD` but holds no API key of
 * a tenant cannot produce an entry the consumer routes for that tenant.
 */
export const STREAM_SIGNATURE = {
  /** the entry field carrying the signature */
  FIELD: 'sig',
  /** prefix of the signature value, so the scheme can change without ambiguity */
  VERSION: 'v1',
  /** what the signing key is derived for (the HMAC message of the derivation) */
  CONTEXT: 'baton:stream-entry:v1',
} as const;

/** The signing key of an API key: `HMAC-SHA256(key = apiKey, "baton:stream-entry:v1")`; it signs stream entries and opens no API route. */
export function streamSigningKey(apiKey: string): Buffer {
  return createHmac('sha256', apiKey).update(STREAM_SIGNATURE.CONTEXT, 'utf8').digest();
}

function mac(signingKey: Buffer, tenant: string, eventText: string): Buffer {
  // The tenant cannot hold a newline (TENANT_PATTERN), so tenant and event are unambiguous.
  return createHmac('sha256', signingKey).update(`${STREAM_SIGNATURE.VERSION}\n${tenant}\n`, 'utf8').update(eventText, 'utf8').digest();
}

/** The `sig` field value of an entry: `v1=<hex HMAC-SHA256(signingKey, "v1\n" + tenant + "\n" + event)>`. */
export function signStreamEntry(signingKey: Buffer, tenant: string, eventText: string): string {
  return `${STREAM_SIGNATURE.VERSION}=${mac(signingKey, tenant, eventText).toString('hex')}`;
}

/** True when `signature` was made by one of `signingKeys` over this tenant and event text (constant time per key). */
export function verifyStreamEntry(signingKeys: readonly Buffer[], tenant: string, eventText: string, signature: string): boolean {
  const prefix = `${STREAM_SIGNATURE.VERSION}=`;
  if (!signature.startsWith(prefix)) return false;
  const presented = Buffer.from(signature.slice(prefix.length), 'hex');
  if (presented.length !== 32) return false;
  let ok = false;
  for (const key of signingKeys) if (timingSafeEqual(mac(key, tenant, eventText), presented)) ok = true;
  return ok;
}

/**
 * The fields of a signed entry for `XADD <stream> * ...fields`: `tenant`, `event` (the envelope as
 * JSON) and `sig`, signed with the signing key of one of the tenant's API keys.
 */
export function signedStreamEntryFields(entry: { readonly apiKey: string; readonly tenant: string; readonly event: unknown }): string[] {
  const text = typeof entry.event === 'string' ? entry.event : JSON.stringify(entry.event);
  return ['tenant', entry.tenant, 'event', text, STREAM_SIGNATURE.FIELD, signStreamEntry(streamSigningKey(entry.apiKey), entry.tenant, text)];
}
