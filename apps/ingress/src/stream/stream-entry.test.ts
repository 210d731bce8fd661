import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_FIELD, deadLetterFields } from './dead-letter.js';
import { entryFields, MalformedEntryCode, parseStreamEntry } from './stream-entry.js';

const event = { eventId: 'e1', eventName: 'PAID', correlationKey: 'inv-1', payload: { amount: 3 } };
const fields = (pairs: Record<string, string>) => new Map(Object.entries(pairs));

describe('parseStreamEntry', () => {
  it('accepts a known tenant and a valid envelope', () => {
    expect(parseStreamEntry(fields({ tenant: 'acme', event: JSON.stringify(event) }), { knownTenants: new Set(['acme']) })).toEqual({ ok: true, tenant: 'acme', event });
  });

  it.each([
    [{ event: JSON.stringify(event) }, MalformedEntryCode.MISSING_FIELD, /tenant/],
    [{ tenant: 'acme' }, MalformedEntryCode.MISSING_FIELD, /event/],
    [{ tenant: 'other', event: JSON.stringify(event) }, MalformedEntryCode.UNKNOWN_TENANT, /"other"/],
    [{ tenant: 'bad tenant!', event: JSON.stringify(event) }, MalformedEntryCode.UNKNOWN_TENANT, /bad tenant/],
    [{ tenant: 'acme', event: '{"eventId":' }, MalformedEntryCode.INVALID_JSON, /not valid JSON/],
    [{ tenant: 'acme', event: JSON.stringify({ ...event, eventId: '' }) }, MalformedEntryCode.INVALID_EVENT, /eventId/],
  ])('rejects %j as %s', (entry, code, message) => {
    const parsed = parseStreamEntry(fields(entry), { knownTenants: new Set(['acme']) });
    expect(parsed).toMatchObject({ ok: false, code });
    expect(parsed.ok ? '' : parsed.message).toMatch(message);
  });

  it.each([
    ['a NUL in a payload value', '{"eventId":"e","eventName":"X","payload":{"a":"\\u0000"}}', MalformedEntryCode.INVALID_JSON, /NUL character.*payload\.a/],
    ['a NUL in a key', '{"eventId":"e","eventName":"X","payload":{"\\u0000":1}}', MalformedEntryCode.INVALID_JSON, /NUL character/],
    ['nesting deeper than the limit', `{"eventId":"e","eventName":"X","payload":${'['.repeat(3000)}${']'.repeat(3000)}}`, MalformedEntryCode.JSON_TOO_DEEP, /deeper than 64/],
  ])('rejects %s like an HTTP body', (_what, text, code, message) => {
    const parsed = parseStreamEntry(fields({ tenant: 'acme', event: text }));
    expect(parsed).toMatchObject({ ok: false, code });
    expect(parsed.ok ? '' : parsed.message).toMatch(message);
  });

  it('accepts any well-formed tenant when no tenant list is given', () => {
    expect(parseStreamEntry(fields({ tenant: 'anyone', event: JSON.stringify(event) })).ok).toBe(true);
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
