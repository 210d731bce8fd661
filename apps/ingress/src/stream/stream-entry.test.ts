import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_FIELD, deadLetterFields } from './dead-letter.js';
import { createApiKeyTable } from '../auth/api-keys.js';
import { entryFields, MalformedEntryCode, parseStreamEntry } from './stream-entry.js';
import { signedStreamEntryFields, signStreamEntry } from './stream-signature.js';

const event = { eventId: 'e1', eventName: 'PAID', correlationKey: 'inv-1', payload: { amount: 3 } };
const keys = createApiKeyTable([
  { tenant: 'acme', key: 'acme-key' },
  { tenant: 'acme', key: 'acme-key-2' },
  { tenant: 'globex', key: 'globex-key' },
]).streamSigningKeys;
const rules = { signingKeys: keys };
const fields = (pairs: Record<string, string>) => new Map(Object.entries(pairs));
/** A signed entry of `tenant` made with `apiKey`, as a field map, with `overrides` applied after signing. */
const signed = (eventText: string, tenant = 'acme', apiKey = 'acme-key', overrides: Record<string, string> = {}) =>
  new Map([...entryFields(signedStreamEntryFields({ apiKey, tenant, event: eventText })), ...Object.entries(overrides)]);

describe('parseStreamEntry', () => {
  it("accepts an entry signed with any of its tenant's keys and a valid envelope", () => {
    expect(parseStreamEntry(signed(JSON.stringify(event)), rules)).toEqual({ ok: true, tenant: 'acme', event });
    expect(parseStreamEntry(signed(JSON.stringify(event), 'acme', 'acme-key-2'), rules)).toEqual({ ok: true, tenant: 'acme', event });
  });

  it.each([
    ['no tenant', fields({ event: JSON.stringify(event) }), MalformedEntryCode.MISSING_FIELD, /tenant/],
    ['no event', fields({ tenant: 'acme' }), MalformedEntryCode.MISSING_FIELD, /event/],
    ['an unknown tenant', signed(JSON.stringify(event), 'other', 'other-key'), MalformedEntryCode.UNKNOWN_TENANT, /"other"/],
    ['a malformed tenant', fields({ tenant: 'bad tenant!', event: JSON.stringify(event) }), MalformedEntryCode.UNKNOWN_TENANT, /bad tenant/],
    ['no signature', fields({ tenant: 'acme', event: JSON.stringify(event) }), MalformedEntryCode.UNAUTHENTICATED, /no sig field/],
    ['a garbage signature', signed(JSON.stringify(event), 'acme', 'acme-key', { sig: 'v1=zz' }), MalformedEntryCode.UNAUTHENTICATED, /not made by a key of tenant "acme"/],
    ["another tenant's key", signed(JSON.stringify(event), 'acme', 'globex-key'), MalformedEntryCode.UNAUTHENTICATED, /not made by a key/],
    ["another tenant's entry relabelled", signed(JSON.stringify(event), 'globex', 'globex-key', { tenant: 'acme' }), MalformedEntryCode.UNAUTHENTICATED, /not made by a key/],
    ['an event changed after signing', signed(JSON.stringify(event), 'acme', 'acme-key', { event: JSON.stringify({ ...event, payload: { amount: 9 } }) }), MalformedEntryCode.UNAUTHENTICATED, /not made by a key/],
    ['a signature by the API key itself, not its signing key', fields({ tenant: 'acme', event: JSON.stringify(event), sig: signStreamEntry(Buffer.from('acme-key'), 'acme', JSON.stringify(event)) }), MalformedEntryCode.UNAUTHENTICATED, /not made/],
    ['invalid JSON', signed('{"eventId":'), MalformedEntryCode.INVALID_JSON, /not valid JSON/],
    ['an invalid envelope', signed(JSON.stringify({ ...event, eventId: '' })), MalformedEntryCode.INVALID_EVENT, /eventId/],
    ['a NUL in a payload value', signed('{"eventId":"e","eventName":"X","payload":{"a":"\\u0000"}}'), MalformedEntryCode.INVALID_JSON, /NUL character.*payload\.a/],
    ['a NUL in a key', signed('{"eventId":"e","eventName":"X","payload":{"\\u0000":1}}'), MalformedEntryCode.INVALID_JSON, /NUL character/],
    ['nesting deeper than the limit', signed(`{"eventId":"e","eventName":"X","payload":${'['.repeat(3000)}${']'.repeat(3000)}}`), MalformedEntryCode.JSON_TOO_DEEP, /deeper than 64/],
  ])('rejects %s', (_what, entry, code, message) => {
    const parsed = parseStreamEntry(entry, rules);
    expect(parsed).toMatchObject({ ok: false, code });
    expect(parsed.ok ? '' : parsed.message).toMatch(message);
  });
});

describe('entryFields and deadLetterFields', () => {
  it('keeps the first value of a repeated field', () => {
    expect(entryFields(['tenant', 'a', 'event', '{}', 'tenant', 'b'])).toEqual(new Map([['tenant', 'a'], ['event', '{}']]));
  });

  it("keeps the entry's own fields for redrive and adds the reason", () => {
    const out = entryFields(
      deadLetterFields(fields({ tenant: 'acme', event: '{}', 'dead.code': 'forged' }), 'events', '1-0', { code: 'X', message: 'boom', deliveries: 3 }, new Date('2030-01-01T00:00:00Z')),
    );
    expect(out).toEqual(
      new Map([
        ['tenant', 'acme'],
        ['event', '{}'],
        [DEAD_LETTER_FIELD.CODE, 'X'],
        [DEAD_LETTER_FIELD.MESSAGE, 'boom'],
        [DEAD_LETTER_FIELD.STREAM, 'events'],
        [DEAD_LETTER_FIELD.ID, '1-0'],
        [DEAD_LETTER_FIELD.DELIVERIES, '3'],
        [DEAD_LETTER_FIELD.AT, '2030-01-01T00:00:00.000Z'],
      ]),
    );
  });
});
