import type { TimeWaitStep } from '@baton/event-schemas';
import { addMs, isIsoTime, msBetween } from '../clock.js';
import { resolveDurationMs, resolveTemplate, typeFailure } from '../expressions.js';
import { attemptId, timerIdFor } from '../ids.js';
import { markRecord } from '../step-records.js';
import type { CurrentStep } from '../state.js';
import { staleInput } from './stale.js';
import type { LeafExecutor } from './step-outcome.js';

type SleepWait = Extract<CurrentStep['wait'], { kind: 'sleep' }>;

/** `time.wait`: a durable timer (StartTimer reason "sleep"); a time already past completes at once. */
export const timeWaitExecutor: LeafExecutor<TimeWaitStep> = {
  *start(tick, step, record) {
    let fireAt: string;
    if (step.durationMs !== undefined) {
      fireAt = addMs(tick.now, yield* resolveDurationMs(tick, step.durationMs, 'durationMs', 0));
    } else {
      const until = yield* resolveTemplate(tick, step.until, 'until');
      if (!isIsoTime(until)) throw typeFailure('until', 'an ISO-8601 date-time', until);
      fireAt = new Date(Date.parse(until)).toISOString();
    }
    if (msBetween(tick.now, fireAt) <= 0) return { kind: 'completed' };
    const timerId = timerIdFor(attemptId(tick.state.context.runId, step.id, record.iteration, record.attempt), 'sleep');
    tick.open({ type: 'StartTimer', timerId, stepId: step.id, fireAt, reason: 'sleep' });
    tick.state.current = { stepId: step.id, record, wait: { kind: 'sleep', timerId, openedAt: tick.now } };
    markRecord(tick, record, 'WAITING');
    return { kind: 'waiting' };
  },

  onInput(tick, step, current, input) {
    const wait = current.wait as SleepWait;
    if (!tick.isOpen(wait.timerId)) return staleInput(input, step.id);
    if (input.type === 'TimerFired' && input.timerId === wait.timerId) {
      tick.close(wait.timerId);
      return { kind: 'completed' };
    }
    if (input.type === 'Resume') {
      tick.close(wait.timerId);
      tick.emit({ type: 'CancelTimer', timerId: wait.timerId });
      return { kind: 'completed' };
    }
    return staleInput(input, step.id);
  },
};
