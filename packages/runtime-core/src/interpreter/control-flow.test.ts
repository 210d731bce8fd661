import { describe, expect, it } from 'vitest';
import { at, command, feed, flow, start, trace, types } from './__fixtures__/drive.js';
import { runOutcome } from './queries.js';

describe('transform.assign', () => {
  it('assigns in key order, each value seeing the previous ones, creating nested objects', async () => {
    const result = await start(flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.x': 2, 'vars.y.z': { $expr: 'vars.x * 10' }, 'vars.w': { $expr: 'vars.y.z + 1' } } }]));
    expect(result.commands).toEqual([{ type: 'Complete', output: { x: 2, y: { z: 20 }, w: 21 } }]);
  });

  it('replaces a non-object intermediate instead of failing', async () => {
    const result = await start(flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.x': 1, 'vars.x.y': 2 } }]));
    expect(command(result, 'Complete').output).toEqual({ x: { y: 2 } });
  });

  it('sees input, run and the logical clock through nowIso()', async () => {
    const result = await start(
      flow([{ id: 'a', type: 'transform.assign', assign: { 'vars.id': { $expr: 'run.id' }, 'vars.engine': { $expr: 'run.engine' }, 'vars.now': { $expr: 'nowIso()' }, 'vars.in': { $expr: 'input.q' } } }]),
      { q: 'x' },
    );
    expect(command(result, 'Complete').output).toEqual({ id: 'run-1', engine: 'db', now: at(0), in: 'x' });
  });

  it('copies values so later writes never alias earlier ones', async () => {
    const def = flow([
      { id: 'a', type: 'transform.assign', assign: { 'vars.a': { n: 1 } } },
      { id: 'b', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'vars.a' }, saveAs: 'vars.b' },
      { id: 'c', type: 'transform.assign', assign: { 'vars.b.n': 2 } },
    ]);
    const done = await feed(def, (await start(def)).state, { type: 'ActionCompleted', now: at(1), commandId: 'run-1:b:0:1', output: { n: 1 } });
    expect(command(done, 'Complete').output).toEqual({ a: { n: 1 }, b: { n: 2 } });
  });
});

describe('control.if', () => {
  it('records which branch ran', async () => {
    const result = await start(flow([{ id: 'c', type: 'control.if', condition: true, then: [{ id: 't', type: 'transform.assign', assign: { 'vars.t': 1 } }] }]));
    expect(result.steps.find((s) => s.stepId === 'c')).toMatchObject({ status: 'SUCCEEDED', output: { branch: 'then' } });
  });

  it('fails with EXPRESSION_TYPE on a non-boolean condition (no truthiness)', async () => {
    const result = await start(flow([{ id: 'c', type: 'control.if', condition: { $expr: "'yes'" }, then: [] }]));
    expect(command(result, 'Fail').error).toMatchObject({ category: 'ExpressionError', code: 'EXPRESSION_TYPE', stepId: 'c', details: { expected: 'a boolean', actual: 'string' } });
  });
});

describe('control.forEach', () => {
  it('exposes item (or itemVar) and index, with iteration ids per item', async () => {
    const def = flow([
      {
        id: 'loop',
        type: 'control.forEach',
        items: ['a', 'b'],
        itemVar: 'letter',
        body: [{ id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { l: { $expr: 'letter' }, i: { $expr: 'index' } } }],
      },
    ]);
    const first = await start(def);
    expect(command(first, 'RunAction')).toMatchObject({ commandId: 'run-1:call:0.0:1', path: 'loop[0]/call', input: { l: 'a', i: 0 }, idempotencyKey: 'acme:run-1:call:0.0' });
    const second = await feed(def, first, { type: 'ActionCompleted', now: at(1), commandId: 'run-1:call:0.0:1', output: null });
    expect(command(second, 'RunAction')).toMatchObject({ commandId: 'run-1:call:0.1:1', path: 'loop[1]/call', input: { l: 'b', i: 1 } });
    expect(second.steps.map((s) => s.key)).toEqual(['call@0.0', 'call@0.1']);
  });

  it('enforces the item limit with FOREACH_TOO_MANY_ITEMS', async () => {
    const result = await start(flow([{ id: 'loop', type: 'control.forEach', items: [1, 2, 3], body: [] }]), null, { limits: { maxForEachItems: 2 } });
    expect(command(result, 'Fail').error).toMatchObject({ category: 'ValidationError', code: 'FOREACH_TOO_MANY_ITEMS', stepId: 'loop' });
  });

  it('onItemError "continue" also skips an item whose action failed after its wait', async () => {
    const def = flow([
      { id: 'loop', type: 'control.forEach', items: [1, 2], onItemError: 'continue', body: [{ id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1 }] },
    ]);
    const first = await start(def);
    const next = await feed(def, first, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0.0:1', error: { category: 'ActionError', code: 'E', message: 'e' } });
    expect(trace(next)).toEqual(['loop[0]/call:FAILED', 'loop[1]/call:RUNNING']);
  });
});

describe('control.tryCatch', () => {
  const guarded = flow([
    {
      id: 'guard',
      type: 'control.tryCatch',
      captureErrorAs: 'vars.err',
      try: [{ id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1 }],
      catch: [{ id: 'handle', type: 'transform.assign', assign: { 'vars.seen': { $expr: 'error.code' } } }],
    },
  ]);

  it('catches with error in scope and captureErrorAs, then succeeds', async () => {
    const started = await start(guarded);
    const done = await feed(guarded, started, {
      type: 'ActionFailed',
      now: at(1),
      commandId: 'run-1:call:0:1',
      error: { category: 'TimeoutError', code: 'ACTION_TIMEOUT', message: 'slow', details: { ms: 5 } },
    });
    expect(command(done, 'Complete').output).toEqual({
      err: { category: 'TimeoutError', code: 'ACTION_TIMEOUT', message: 'slow', stepId: 'call', details: { ms: 5 } },
      seen: 'ACTION_TIMEOUT',
    });
    expect(trace(done)).toEqual(['guard:SUCCEEDED', 'guard/call:FAILED', 'guard/handle:SUCCEEDED']);
  });

  it('never catches a Canceled error', async () => {
    const started = await start(guarded);
    const done = await feed(guarded, started, { type: 'ActionFailed', now: at(1), commandId: 'run-1:call:0:1', error: { category: 'Canceled', code: 'X', message: 'gone' } });
    expect(types(done)).toEqual(['Fail']);
    expect(trace(done)).toEqual(['guard:FAILED', 'guard/call:FAILED']);
  });
});

describe('control.return and control.fail', () => {
  it('return closes every enclosing container SUCCEEDED', async () => {
    const result = await start(
      flow([{ id: 'loop', type: 'control.forEach', items: [1], body: [{ id: 'guard', type: 'control.tryCatch', try: [{ id: 'ret', type: 'control.return', output: 5 }], catch: [] }] }]),
    );
    expect(result.commands).toEqual([{ type: 'Complete', output: 5 }]);
    expect(trace(result)).toEqual(['loop:SUCCEEDED', 'loop[0]/guard:SUCCEEDED', 'loop[0]/guard/ret:SUCCEEDED']);
  });

  it('fail raises ActionError with its code and evaluated message', async () => {
    const result = await start(flow([{ id: 'no', type: 'control.fail', code: 'REJECTED', message: { $expr: "'because ' & input.why" } }]), { why: 'late' });
    expect(runOutcome(result.state)).toEqual({
      status: 'FAILED',
      error: { category: 'ActionError', code: 'REJECTED', message: 'because late', stepId: 'no', details: { raisedBy: 'control.fail' } },
    });
  });

  it('a non-string fail message is EXPRESSION_TYPE', async () => {
    const result = await start(flow([{ id: 'no', type: 'control.fail', code: 'X', message: { $expr: '[1]' } }]));
    expect(command(result, 'Fail').error.code).toBe('EXPRESSION_TYPE');
  });
});

describe('control.continueAsNew', () => {
  it('emits ContinueAsNew with the next generation and the pinned version', async () => {
    const result = await start(flow([{ id: 'again', type: 'control.continueAsNew', input: { n: { $expr: 'input.n + 1' } }, pinVersion: true }]), { n: 1 });
    expect(result.commands).toEqual([{ type: 'ContinueAsNew', input: { n: 2 }, generation: 1, pinVersion: '1.0.0' }]);
    expect(runOutcome(result.state)).toEqual({ status: 'RUNNING' });
  });

  it('defaults to the current input and no pin; the next Start carries the generation into ids', async () => {
    const def = flow([
      { id: 'call', type: 'action.call', action: 'core.echo', actionVersion: 1 },
      { id: 'again', type: 'control.continueAsNew' },
    ]);
    const first = await start(def, { k: 1 });
    const cont = await feed(def, first, { type: 'ActionCompleted', now: at(1), commandId: 'run-1:call:0:1', output: null });
    expect(command(cont, 'ContinueAsNew')).toEqual({ type: 'ContinueAsNew', input: { k: 1 }, generation: 1 });
    const { advance } = await import('./advance.js');
    const { CONTEXT } = await import('./__fixtures__/drive.js');
    const next = await advance(def, undefined, { type: 'Start', now: at(2), context: CONTEXT, input: { k: 1 }, generation: 1 });
    expect(command(next, 'RunAction')).toMatchObject({ commandId: 'run-1:call:1:1', idempotencyKey: 'acme:run-1:call:1' });
    expect(next.steps[0]).toMatchObject({ generation: 1, iteration: '1', seq: 0 });
  });
});
