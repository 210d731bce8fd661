import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { at, command, feed, flow, start } from './__fixtures__/drive.js';
import { runOutcome } from './queries.js';
import { findUnstorable, toStorable } from './storable-value.js';

// Every string a state holds must survive a Postgres jsonb round trip: this is what it refuses.
const hasUnstorableText = (state: unknown) => findUnstorable(state) !== undefined;

describe('findUnstorable', () => {
  it('finds NUL and lone surrogates in strings and keys, with their path', () => {
    expect(findUnstorable({ a: ['ok', 'x\u0000'] })).toEqual({ path: '$.a[1]', reason: 'NUL', inKey: false });
    expect(findUnstorable({ 'k\u0000': 1 })).toEqual({ path: '$["k\ufffd"]', reason: 'NUL', inKey: true });
    expect(findUnstorable(['\ud800'])).toEqual({ path: '$[0]', reason: 'LONE_SURROGATE', inKey: false });
    expect(findUnstorable('a\udc00')).toMatchObject({ reason: 'LONE_SURROGATE' });
    expect(findUnstorable({ emoji: '😀', text: 'back\\u0000slash', n: 1, z: null })).toBeUndefined();
  });

  it('reads what would be stored: a toJSON producing a NUL is found', () => {
    expect(findUnstorable({ v: { toJSON: () => 'a\u0000' } })).toEqual({ path: '$.v', reason: 'NUL', inKey: false });
  });

  it('walks deep values without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(findUnstorable(deep)).toMatchObject({ reason: 'NUL' });
  });

  it('toStorable leaves nothing unstorable and storable values untouched', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = toStorable(value);
        expect(findUnstorable(copy)).toBeUndefined();
        if (findUnstorable(value) === undefined) expect(copy).toBe(value);
      }),
    );
    expect(toStorable({ 'a\u0000': ['\ud800b'] })).toEqual({ 'a\ufffd': ['\ufffdb'] });
  });
});

describe('unstorable values fail their step with a typed, catchable error', () => {
  it('an expression producing a NUL (the issue: input.prefix & "\\u0000") fails transform.assign with ExpressionError UNSTORABLE_VALUE', async () => {
    const result = await start(flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.bad': { $expr: 'input.prefix & "\\u0000"' } } }]), { prefix: 'p' });
    const error = command(result, 'Fail').error;
    expect(error).toMatchObject({ category: 'ExpressionError', code: 'UNSTORABLE_VALUE', stepId: 'a', details: { path: '$', reason: 'NUL' } });
    expect(hasUnstorableText(result.state)).toBe(false);
    expect(hasUnstorableText(result.steps)).toBe(false);
  });

  it('a NUL in a key of an expression result is refused too', async () => {
    const result = await start(flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.bad': { $expr: '{"k\\u0000": 1}' } } }]));
    expect(command(result, 'Fail').error).toMatchObject({ code: 'UNSTORABLE_VALUE', details: { inKey: true } });
  });

  it('tryCatch catches it and the run goes on', async () => {
    const result = await start(
      flow([
        {
          id: 'guard',
          type: 'control.tryCatch',
          captureErrorAs: 'vars.err',
          try: [{ id: 'a', type: 'transform.assign', assign: { 'vars.bad': { $expr: '"x" & "\\u0000"' } } }],
          catch: [{ id: 'h', type: 'transform.assign', assign: { 'vars.code': { $expr: 'error.code' } } }],
        },
      ]),
    );
    expect(runOutcome(result.state)).toMatchObject({ status: 'SUCCEEDED', output: { code: 'UNSTORABLE_VALUE' } });
    expect(hasUnstorableText(result.state)).toBe(false);
  });

  it('an action output holding a NUL fails the step with ActionError UNSTORABLE_VALUE and is not saved', async () => {
    const def = flow([{ id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1, saveAs: 'vars.out' }]);
    const started = await start(def);
    const done = await feed(def, started, { type: 'ActionCompleted', now: at(1), commandId: 'run-1:call:0:1', output: { body: 'a\u0000b' } });
    expect(command(done, 'Fail').error).toMatchObject({ category: 'ActionError', code: 'UNSTORABLE_VALUE', stepId: 'call', details: { path: '$.body' } });
    expect(hasUnstorableText(done.state)).toBe(false);
    expect(hasUnstorableText(done.steps)).toBe(false);
  });

  it("an action error's text is kept storable", async () => {
    const def = flow([{ id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1 }]);
    const started = await start(def);
    const done = await feed(def, started, {
      type: 'ActionFailed',
      now: at(1),
      commandId: 'run-1:call:0:1',
      error: { category: 'ActionError', code: 'X', message: 'bad\u0000byte', details: { 'k\u0000': '\ud800' } },
    });
    expect(command(done, 'Fail').error).toMatchObject({ code: 'X', message: 'bad\ufffdbyte', details: { 'k\ufffd': '\ufffd' } });
    expect(hasUnstorableText(done.state)).toBe(false);
  });

  it('$error with a NUL message fails storably', async () => {
    const result = await start(flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.x': { $expr: '$error("boom\\u0000")' } } }]));
    expect(hasUnstorableText(result.state)).toBe(false);
    expect(hasUnstorableText(result.commands)).toBe(false);
  });

  it('an event payload holding a NUL fails the wait with ValidationError UNSTORABLE_VALUE', async () => {
    const def = flow([{ id: 'w', type: 'event.wait', eventName: 'e', correlationKey: 'k', saveAs: 'vars.ev' }]);
    const started = await start(def);
    const waitId = command(started, 'AwaitEvent').waitId;
    const done = await feed(def, started, { type: 'EventReceived', now: at(1), waitId, event: { eventId: 'e1', eventName: 'e', correlationKey: 'k', payload: { s: '\u0000' } } });
    expect(runOutcome(done.state)).toMatchObject({ status: 'FAILED', error: { category: 'ValidationError', code: 'UNSTORABLE_VALUE' } });
    expect(hasUnstorableText(done.state)).toBe(false);
  });

  it('a run input holding a NUL fails the run at start, storably', async () => {
    const result = await start(flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.x': 1 } }]), { s: 'a\u0000' });
    expect(runOutcome(result.state)).toMatchObject({ status: 'FAILED', error: { category: 'ValidationError', code: 'UNSTORABLE_VALUE' } });
    expect(hasUnstorableText(result.state)).toBe(false);
  });
});
