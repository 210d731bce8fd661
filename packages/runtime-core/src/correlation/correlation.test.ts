import { describe, expect, it } from 'vitest';
import { isBatonError, toErrorBody } from '../errors/baton-error.js';
import { EMPTY_CORRELATION_CONFIG, parseCorrelationConfig } from './correlation-config.js';
import { resolveCorrelationKey } from './resolve-correlation-key.js';

const config = parseCorrelationConfig(JSON.stringify({ ORDER_PAID: ['order.id', 'orderRef'], '*': 'customer.id' }));
const event = (over: Partial<Parameters<typeof resolveCorrelationKey>[0]>) => ({
  eventId: 'evt-1',
  eventName: 'ORDER_PAID',
  payload: {},
  ...over,
});

function configError(json: unknown): unknown {
  try {
    parseCorrelationConfig(json);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('resolveCorrelationKey', () => {
  it('takes the explicit envelope key, trimmed', () => {
    expect(resolveCorrelationKey(event({ correlationKey: '  ord-1  ', payload: { order: { id: 'other' } } }), config)).toEqual({
      key: 'ord-1',
      source: 'explicit',
      detail: 'the envelope correlationKey',
    });
  });

  it('ignores an empty or blank envelope key and derives instead', () => {
    const r = resolveCorrelationKey(event({ correlationKey: '   ', payload: { order: { id: 'ord-2' } } }), config);
    expect(r).toMatchObject({ key: 'ord-2', source: 'derived' });
  });

  it('tries the event-specific paths before "*"', () => {
    const r = resolveCorrelationKey(event({ payload: { order: { id: 'ord-3' }, customer: { id: 'cust-1' } } }), config);
    expect(r).toEqual({ key: 'ord-3', source: 'derived', detail: 'payload path "order.id" (rule "ORDER_PAID")' });
  });

  it('falls back to "*" for other events and when the specific paths give nothing', () => {
    expect(resolveCorrelationKey(event({ eventName: 'OTHER', payload: { order: { id: 'x' }, customer: { id: 'c' } } }), config).key).toBe('c');
    expect(resolveCorrelationKey(event({ payload: { customer: { id: 'cust-2' } } }), config)).toMatchObject({ key: 'cust-2', source: 'derived' });
  });

  it('skips an empty string value and takes the next path', () => {
    expect(resolveCorrelationKey(event({ payload: { order: { id: '' }, orderRef: 'ref-9' } }), config).key).toBe('ref-9');
  });

  it('skips objects, arrays, booleans and null', () => {
    for (const bad of [{ nested: 1 }, ['a'], true, false, null]) {
      expect(resolveCorrelationKey(event({ payload: { order: { id: bad }, orderRef: 'ref-1' } }), config).key).toBe('ref-1');
    }
  });

  it('stringifies a finite number', () => {
    expect(resolveCorrelationKey(event({ payload: { order: { id: 42 } } }), config)).toMatchObject({ key: '42', source: 'derived' });
    expect(resolveCorrelationKey(event({ payload: { order: { id: 1.5 } } }), config).key).toBe('1.5');
  });

  it('uses a derived string verbatim (no trimming, so it matches the wait key computed from the same data)', () => {
    expect(resolveCorrelationKey(event({ payload: { order: { id: ' ord-4 ' } } }), config).key).toBe(' ord-4 ');
  });

  it('reads array elements by index', () => {
    const c = parseCorrelationConfig({ SHIPPED: 'items.0.sku' });
    expect(resolveCorrelationKey(event({ eventName: 'SHIPPED', payload: { items: [{ sku: 'A1' }] } }), c).key).toBe('A1');
  });

  it('is missing without an explicit key or a usable path, and never uses the event id', () => {
    const r = resolveCorrelationKey(event({ eventId: 'evt-should-not-be-used', payload: { unrelated: 1 } }), config);
    expect(r.key).toBeNull();
    expect(r.source).toBe('missing');
    expect(r.detail).toContain('"order.id"');
    expect(resolveCorrelationKey(event({}), EMPTY_CORRELATION_CONFIG)).toMatchObject({ key: null, source: 'missing' });
  });

  it('never trusts a payload field as the explicit key', () => {
    const r = resolveCorrelationKey(event({ payload: { correlationKey: 'from-payload' } }), EMPTY_CORRELATION_CONFIG);
    expect(r).toMatchObject({ key: null, source: 'missing' });
  });

  it('never walks into the prototype chain', () => {
    const c = parseCorrelationConfig({ E: 'toString' });
    expect(resolveCorrelationKey(event({ eventName: 'E', payload: {} }), c).key).toBeNull();
  });
});

describe('parseCorrelationConfig', () => {
  it('accepts a single path or a list, as JSON text or a value', () => {
    expect(parseCorrelationConfig('{"A":"x.y","*":["z"]}').rules).toEqual({
      A: [{ source: 'x.y', segments: ['x', 'y'] }],
      '*': [{ source: 'z', segments: ['z'] }],
    });
    expect(parseCorrelationConfig(undefined)).toBe(EMPTY_CORRELATION_CONFIG);
    expect(parseCorrelationConfig('  ')).toBe(EMPTY_CORRELATION_CONFIG);
  });

  it('rejects invalid JSON with INVALID_CORRELATION_CONFIG', () => {
    const err = configError('{"A": "x"');
    expect(isBatonError(err, 'INVALID_CORRELATION_CONFIG')).toBe(true);
    expect((err as Error).message).toContain('not valid JSON');
  });

  it('rejects a config that is not an object', () => {
    for (const bad of ['["a"]', '"a.b"', '42', 'null']) expect(isBatonError(configError(bad), 'INVALID_CORRELATION_CONFIG')).toBe(true);
  });

  it('reports every bad entry with where it is', () => {
    const err = configError({ A: 42, B: [], C: ['ok', 'a..b'], D: '__proto__.x', '': 'x', E: [' a'] });
    expect(toErrorBody(err).error.issues).toEqual([
      { path: '"A"', message: 'expected a path string or a list of path strings', code: 'invalid_type' },
      { path: '"B"', message: 'the list of paths is empty', code: 'empty_list' },
      { path: '"C"[1]', message: '"a..b" is not a dot path such as "order.id" (empty segment or surrounding spaces)', code: 'invalid_path' },
      { path: '"D"', message: '"__proto__.x" uses the reserved segment "__proto__"', code: 'invalid_path' },
      { path: '""', message: 'an event name must not be empty', code: 'invalid_event_name' },
      { path: '"E"[0]', message: '" a" is not a dot path such as "order.id" (empty segment or surrounding spaces)', code: 'invalid_path' },
    ]);
  });
});
