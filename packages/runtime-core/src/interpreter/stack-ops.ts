import type { Tick } from './tick.js';
import { finishRecord } from './step-records.js';
import type { BlockFrame, ControlFrame } from './state.js';

/** Moves the innermost block to its next step. */
export function advanceBlock(tick: Tick): void {
  const top = tick.state.stack[tick.state.stack.length - 1];
  if (top?.kind === 'block') top.index++;
}

/** Pushes a block frame for a branch of a container step. */
export function pushBlock(tick: Tick, owner: string, branch: BlockFrame['branch']): void {
  tick.state.stack.push({ kind: 'block', owner, branch, index: 0 });
}

/** Pops a finished container step (on top of the stack), records it SUCCEEDED and moves on. */
export function completeControlFrame(tick: Tick, frame: ControlFrame): void {
  tick.state.stack.pop();
  finishRecord(tick, frame.record, 'SUCCEEDED');
  advanceBlock(tick);
}
