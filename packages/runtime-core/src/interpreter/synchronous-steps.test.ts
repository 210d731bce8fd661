import type { Step } from '@baton/event-schemas';
import { promiseHooks } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { CONTEXT, at, command, feed, flow, start, types } from './__fixtures__/drive.js';
import { advance } from './advance.js';
import type { AdvanceResult } from './protocol.js';

/**
 * Calls `advance` and counts the promises created during the call, and whether the returned
 * promise had settled after a single microtask (so no asynchronous continuation did more work).
 */
async function advanceCounting(...args: Parameters<typeof advance>): Promise<{ result: AdvanceResult; promises: number; settledAtOnce: boolean }> {
  let promises = 0;
  const stop = promiseHooks.onInit(() => {
    promises++;
  });
  let pending: Promise<AdvanceResult>;
  try {
    pending = advance(...args);
  } finally {
    stop();
  }
  let settledAtOnce = false;
  void pending.then(() => {
    settledAtOnce = true;
  });
  await Promise.resolve();
  const atOnce = settledAtOnce;
  return { result: await pending, promises, settledAtOnce: atOnce };
}

const echo = (id: string, expr: string): Step => ({ id, type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: expr }, saveAs: 'vars.value' });

describe('steps made of simple expressions run without promises', () => {
  const definition = flow([
    { id: 'prep', type: 'transform.assign', assign: { 'vars.total': { $expr: '$sum(input.lines.amount)' }, 'vars.key': { $expr: '"order-" & input.id' } } },
    {
      id: 'big',
      type: 'control.if',
      condition: { $expr: 'vars.total > 100 and input.id != ""' },
      then: [echo('s1', '{"id": input.id, "total": vars.total, "next": [1, 2]}')],
      else: [echo('s2', 'input')],
    },
    echo('s3', 'vars.value'),
  ]);
  const input = { id: 'A-1', lines: [{ amount: 80 }, { amount: 40 }] };

  it('advance creates only the promise it returns, for Start and for an ActionCompleted that starts the next action', async () => {
    const started = await advanceCounting(definition, undefined, { type: 'Start', now: at(0), context: CONTEXT, input });
    expect(started).toMatchObject({ promises: 1, settledAtOnce: true });
    const first = command(started.result, 'RunAction');
    expect(first.input).toEqual({ id: 'A-1', total: 120, next: [1, 2] });
    const next = await advanceCounting(definition, started.result.state, { type: 'ActionCompleted', now: at(5), commandId: first.commandId, output: first.input });
    expect(next).toMatchObject({ promises: 1, settledAtOnce: true });
    expect(command(next.result, 'RunAction').input).toEqual({ id: 'A-1', total: 120, next: [1, 2] });
  });

  it('waits for the expression engine only where an expression needs its asynchronous evaluator', async () => {
    const slow = flow([echo('s1', '$uppercase(input.id)')]);
    const started = await advanceCounting(slow, undefined, { type: 'Start', now: at(0), context: CONTEXT, input });
    expect(started.settledAtOnce).toBe(false);
    expect(command(started.result, 'RunAction').input).toBe('A-1');
  });

  it('an expression that needs the asynchronous evaluator gives the same result, in the same order', async () => {
    // $uppercase and a filter are outside the synchronous subset: those steps wait for a promise.
    const mixed = flow([
      {
        id: 'prep',
        type: 'transform.assign',
        assign: {
          'vars.a': { $expr: 'input.id' },
          'vars.b': { $expr: '$uppercase(vars.a)' },
          'vars.c': { $expr: 'vars.b & "-" & $count(input.lines[amount > 50])' },
        },
      },
      echo('s1', '[vars.a, vars.b, vars.c]'),
    ]);
    const result = await start(mixed, input);
    expect(types(result)).toEqual(['RunAction']);
    expect(command(result, 'RunAction').input).toEqual(['A-1', 'A-1', 'A-1-1']);
    const completed = await feed(mixed, result, { type: 'ActionCompleted', now: at(1), commandId: command(result, 'RunAction').commandId, output: 'done' });
    expect(command(completed, 'Complete').output).toEqual({ a: 'A-1', b: 'A-1', c: 'A-1-1', value: 'done' });
  });

  it('a failure of the asynchronous evaluator is the step ExpressionError, catchable like any other', async () => {
    const failing = flow([
      {
        id: 'guard',
        type: 'control.tryCatch',
        try: [{ id: 'bad', type: 'transform.assign', assign: { 'vars.x': { $expr: '$substring(input.lines, 1)' } } }],
        catch: [{ id: 'after', type: 'transform.assign', assign: { 'vars.caught': { $expr: 'error.code' } } }],
        captureErrorAs: 'vars.error',
      },
    ]);
    const result = await start(failing, input);
    expect(command(result, 'Complete').output).toMatchObject({ caught: 'EXPRESSION_EVALUATION' });
    const uncaught = await start(flow([{ id: 'bad', type: 'transform.assign', assign: { 'vars.x': { $expr: '$substring(input.lines, 1)' } } }]), input);
    expect(command(uncaught, 'Fail').error).toMatchObject({ category: 'ExpressionError', code: 'EXPRESSION_EVALUATION', stepId: 'bad' });
  });

  it('a driver error still rejects the promise rather than throwing', async () => {
    const rejected = advance(definition, undefined, { type: 'ActionCompleted', now: at(0), commandId: 'x', output: null });
    await expect(rejected).rejects.toMatchObject({ code: 'INVALID_STATE' });
    let mismatch: Promise<AdvanceResult> | undefined;
    expect(() => {
      mismatch = advance(definition, undefined, { type: 'Start', now: at(0), context: { ...CONTEXT, workflow: 'other' }, input: null });
    }).not.toThrow();
    await expect(mismatch).rejects.toMatchObject({ code: 'DEFINITION_MISMATCH' });
  });
});
