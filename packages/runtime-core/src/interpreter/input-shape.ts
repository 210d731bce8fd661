import { isIsoTime } from './clock.js';
import { INTERPRETER_ERROR_CODE, InterpreterError } from './interpreter-error.js';
import { INPUT_TYPE, type InterpreterInput } from './protocol.js';

const REQUIRED_STRINGS: Record<string, readonly string[]> = {
  ActionCompleted: ['commandId'],
  ActionFailed: ['commandId'],
  TimerFired: ['timerId'],
  EventReceived: ['waitId'],
  HumanTaskCompleted: ['taskId'],
  ChildCompleted: ['childRunId'],
  ChildFailed: ['childRunId'],
  Cancel: ['reason'],
};

function fail(message: string, path: string): never {
  throw new InterpreterError(INTERPRETER_ERROR_CODE.INVALID_INPUT, message, path);
}

/** Checks the envelope of an input a driver built (types, ids, clock); throws InterpreterError. */
export function assertInputShape(input: InterpreterInput): void {
  if (typeof input !== 'object' || input === null) fail('the input must be an object', 'input');
  if (!(Object.values(INPUT_TYPE) as string[]).includes(input.type)) fail(`unknown input type ${String(input.type)}`, 'input.type');
  if (!isIsoTime(input.now)) fail('input.now must be an ISO-8601 time', 'input.now');
  for (const field of REQUIRED_STRINGS[input.type] ?? []) {
    if (typeof (input as unknown as Record<string, unknown>)[field] !== 'string') fail(`${input.type}.${field} must be a string`, `input.${field}`);
  }
  if (input.type === 'ActionFailed' || input.type === 'ChildFailed') {
    const error = input.error as unknown as Record<string, unknown> | undefined;
    if (!error || typeof error.category !== 'string' || typeof error.code !== 'string' || typeof error.message !== 'string') {
      fail(`${input.type}.error must be a WorkflowError`, 'input.error');
    }
  }
  if (input.type === 'EventReceived') {
    const event = input.event as unknown as Record<string, unknown> | undefined;
    if (!event || typeof event.eventId !== 'string' || typeof event.eventName !== 'string' || typeof event.correlationKey !== 'string' || event.payload === undefined) {
      fail('EventReceived.event must be {eventId, eventName, correlationKey, payload}', 'input.event');
    }
  }
  // A JSON value is required where a result is carried (null is fine, undefined is not).
  const carried = input.type === 'ActionCompleted' || input.type === 'ChildCompleted' ? 'output' : input.type === 'HumanTaskCompleted' ? 'response' : undefined;
  if (carried && (input as unknown as Record<string, unknown>)[carried] === undefined) fail(`${input.type}.${carried} must be a JSON value`, `input.${carried}`);
  if (input.type === 'Start' && input.input === undefined) fail('Start.input must be a JSON value (null for none)', 'input.input');
  if (input.type === 'Start') {
    const context = input.context as unknown as Record<string, unknown> | undefined;
    for (const field of ['runId', 'tenant', 'workflow', 'version', 'engine', 'startedAt']) {
      if (typeof context?.[field] !== 'string') fail(`Start.context.${field} must be a string`, `input.context.${field}`);
    }
    if (input.generation !== undefined && (!Number.isInteger(input.generation) || input.generation < 0)) {
      fail('Start.generation must be an integer >= 0', 'input.generation');
    }
  }
}
