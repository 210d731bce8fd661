import type { EventWaitStep, JsonObject, RoutedEvent } from '@baton/event-schemas';
import { addMs } from '../clock.js';
import { evaluateExpression, resolveDurationMs, resolveString, typeFailure } from '../expressions.js';
import { attemptId, timerIdFor, waitIdFor } from '../ids.js';
import { StepFailure } from '../step-failure.js';
import { markRecord } from '../step-records.js';
import type { CurrentStep } from '../state.js';
import type { Tick } from '../tick.js';
import { REJECTION_CODE, STEP_ERROR_CODE, workflowError } from '../workflow-errors.js';
import { checkStorable } from '../storable-value.js';
import { checkOutputSize } from './output-limits.js';
import { saveOutput } from './save-as.js';
import { staleInput } from './stale.js';
import type { LeafExecutor, StepOutcome } from './step-outcome.js';
import type { Work } from '../work.js';

type EventWait = Extract<CurrentStep['wait'], { kind: 'event' }>;

/** The operator's stand-in event of a Resume. */
export const OPERATOR_RESUME_EVENT_ID = 'operator-resume';

function accept(tick: Tick, step: EventWaitStep, wait: EventWait, event: RoutedEvent): StepOutcome {
  tick.close(wait.waitId);
  if (wait.timerId !== undefined) {
    tick.close(wait.timerId);
    tick.emit({ type: 'CancelTimer', timerId: wait.timerId });
  }
  // Only the documented fields are kept (and an entity event's sequence): drivers may pass a richer routed event.
  const saved: JsonObject = { eventId: event.eventId, eventName: event.eventName, correlationKey: event.correlationKey, payload: event.payload };
  if (wait.entity && event.sequence !== undefined) saved.sequence = event.sequence;
  checkOutputSize(tick, saved, `event ${event.eventId}`);
  checkStorable(saved, `event ${event.eventId}`, 'ValidationError');
  saveOutput(tick, step.saveAs, saved);
  return { kind: 'completed', output: saved };
}

function* filterRejection(tick: Tick, step: EventWaitStep, event: RoutedEvent): Work<StepOutcome | undefined> {
  if (!step.filter) return undefined;
  const eventValue: JsonObject = { eventId: event.eventId, eventName: event.eventName, correlationKey: event.correlationKey, payload: event.payload };
  try {
    const verdict = yield* evaluateExpression(tick, step.filter.$expr, 'filter', { event: eventValue });
    if (verdict === true) return undefined;
    if (verdict === false) {
      return {
        kind: 'rejected',
        rejection: workflowError('ValidationError', REJECTION_CODE.EVENT_FILTER_REJECTED, `event ${event.eventId} does not satisfy the filter of ${step.id}`, step.id),
      };
    }
    throw typeFailure('filter', 'a boolean', verdict);
  } catch (error) {
    // A filter that fails on an event leaves the wait open: one odd event must not fail the run.
    if (error instanceof StepFailure) return { kind: 'rejected', rejection: { ...error.error, stepId: step.id } };
    throw error;
  }
}

/**
 * SPEC-dsl "Entity workflows": a wait of an entity run on its trigger's event name whose key is the
 * run's entity key takes the entity's events (in sequence order, from the entity's queue).
 */
export function isEntityWait(tick: Tick, step: EventWaitStep, correlationKey: string): boolean {
  const entityKey = tick.state.context.entityKey;
  const trigger = tick.index.definition.trigger;
  return entityKey !== undefined && trigger?.entityKey !== undefined && trigger.eventName === step.eventName && correlationKey === entityKey;
}

/** True when the event carries its receive time and it is before the wait's window (an entity wait has no time window). */
function receivedBeforeSince(event: RoutedEvent, wait: EventWait): boolean {
  if (wait.entity) return false;
  if (event.receivedAt === undefined || wait.since === undefined) return false;
  return Date.parse(event.receivedAt) < Date.parse(wait.since);
}

/** `event.wait`: AwaitEvent (+ timeout timer); resumes on a routed event whose filter is true. */
export const eventWaitExecutor: LeafExecutor<EventWaitStep> = {
  *start(tick, step, record) {
    const correlationKey = yield* resolveString(tick, step.correlationKey, 'correlationKey');
    if (correlationKey.trim() === '') throw typeFailure('correlationKey', 'a non-empty string', correlationKey);
    const base = attemptId(tick.state.context.runId, step.id, record.iteration, record.attempt);
    const waitId = waitIdFor(base);
    const timeoutMs = step.timeoutMs !== undefined ? yield* resolveDurationMs(tick, step.timeoutMs, 'timeoutMs', 1) : undefined;
    const timeoutAt = timeoutMs !== undefined ? addMs(tick.now, timeoutMs) : undefined;
    const since = step.since === 'waitStart' ? tick.now : tick.state.context.startedAt;
    const entity = isEntityWait(tick, step, correlationKey);
    tick.open({
      type: 'AwaitEvent',
      waitId,
      stepId: step.id,
      eventName: step.eventName,
      correlationKey,
      since,
      ...(entity ? { entity: true as const } : {}),
      ...(timeoutAt !== undefined ? { timeoutAt } : {}),
    });
    let timerId: string | undefined;
    if (timeoutAt !== undefined) {
      timerId = timerIdFor(base, 'timeout');
      tick.open({ type: 'StartTimer', timerId, stepId: step.id, fireAt: timeoutAt, reason: 'timeout' });
    }
    tick.state.current = {
      stepId: step.id,
      record,
      wait: {
        kind: 'event',
        waitId,
        correlationKey,
        openedAt: tick.now,
        since,
        ...(entity ? { entity: true as const } : {}),
        ...(timerId !== undefined ? { timerId, timeoutMs } : {}),
      },
    };
    markRecord(tick, record, 'WAITING');
    return { kind: 'waiting' };
  },

  *onInput(tick, step, current, input) {
    const wait = current.wait as EventWait;
    if (!tick.isOpen(wait.waitId)) return staleInput(input, step.id);
    switch (input.type) {
      case 'EventReceived': {
        if (input.waitId !== wait.waitId) return staleInput(input, step.id);
        const { event } = input;
        if (event.eventName !== step.eventName || event.correlationKey !== wait.correlationKey) {
          return {
            kind: 'rejected',
            rejection: workflowError(
              'ValidationError',
              REJECTION_CODE.EVENT_MISMATCH,
              `step ${step.id} waits for ${step.eventName} with key "${wait.correlationKey}", got ${event.eventName} with key "${event.correlationKey}"`,
              step.id,
            ),
          };
        }
        if (wait.entity && event.sequence === undefined) {
          return {
            kind: 'rejected',
            rejection: workflowError(
              'ValidationError',
              REJECTION_CODE.EVENT_NOT_OF_ENTITY,
              `step ${step.id} takes the events of entity "${wait.correlationKey}" from its queue; event ${event.eventId} is not one of them`,
              step.id,
            ),
          };
        }
        if (receivedBeforeSince(event, wait)) {
          return {
            kind: 'rejected',
            rejection: workflowError(
              'ValidationError',
              REJECTION_CODE.EVENT_BEFORE_SINCE,
              `event ${event.eventId} was received at ${event.receivedAt}, before ${step.id} takes events (${wait.since})`,
              step.id,
            ),
          };
        }
        const rejection = yield* filterRejection(tick, step, event);
        if (rejection) return rejection;
        return accept(tick, step, wait, event);
      }
      case 'Resume':
        return accept(tick, step, wait, {
          eventId: OPERATOR_RESUME_EVENT_ID,
          eventName: step.eventName,
          correlationKey: wait.correlationKey,
          payload: input.response ?? null,
        });
      case 'TimerFired': {
        if (input.timerId !== wait.timerId) return staleInput(input, step.id);
        tick.close(wait.timerId);
        tick.close(wait.waitId);
        tick.emit({ type: 'CancelWait', waitId: wait.waitId, waitType: 'EVENT', reason: 'timeout' });
        return {
          kind: 'failed',
          error: workflowError('TimeoutError', STEP_ERROR_CODE.WAIT_TIMEOUT, `no ${step.eventName} event within ${wait.timeoutMs} ms`, step.id),
        };
      }
      default:
        return staleInput(input, step.id);
    }
  },
};
