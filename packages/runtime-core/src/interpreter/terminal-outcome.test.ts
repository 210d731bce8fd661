import { describe, expect, it } from 'vitest';
import { at, feed, flow, start } from './__fixtures__/drive.js';
import { InterpreterError } from './interpreter-error.js';
import { canceledRunOutcome, runCanceledError, terminalOutcome } from './terminal-outcome.js';

describe('terminal outcomes (drivers write no status or error of their own)', () => {
  const waiting = flow([{ id: 'ask', type: 'human.task', taskType: 'approval', title: 'ok?', saveAs: 'vars.answer' }]);

  it('a cancel the interpreter applies and a cancel outside any state give the same status and error', async () => {
    const canceled = await feed(waiting, await start(waiting), { type: 'Cancel', now: at(5), reason: 'stop' });
    expect(terminalOutcome(canceled.state)).toEqual({ status: 'CANCELED', error: { category: 'Canceled', code: 'RUN_CANCELED', message: 'stop' } });
    expect(canceledRunOutcome('stop')).toEqual(terminalOutcome(canceled.state));
    expect(runCanceledError('stop')).toEqual(canceledRunOutcome('stop').error);
  });

  it('a succeeded run gives its output, a failed one its own error', async () => {
    const ok = await start(flow([{ id: 'done', type: 'control.return', output: { a: 1 } }]));
    expect(terminalOutcome(ok.state)).toEqual({ status: 'SUCCEEDED', output: { a: 1 } });
    const failed = await start(flow([{ id: 'boom', type: 'control.fail', code: 'NOPE', message: 'no' }]));
    expect(terminalOutcome(failed.state)).toMatchObject({ status: 'FAILED', error: { category: 'ActionError', code: 'NOPE', stepId: 'boom' } });
  });

  it('an unfinished state has no outcome: a driver bug, not a made-up RUN_FAILED', async () => {
    const open = await start(waiting);
    expect(() => terminalOutcome(open.state)).toThrow(InterpreterError);
  });
});
