// Every id the interpreter hands out is derived from the run id and the step's position,
// never random, so a replay (or a crash and re-advance) produces the same ids.
import { uuidFromName } from '../hashing/content-hash.js';
import type { InterpreterState } from './state.js';

/**
 * Iteration of a step at the current position: the generation, then the index of every
 * enclosing forEach item, joined by "." (e.g. "0", "0.3", "2.3.1").
 */
export function currentIteration(state: InterpreterState): string {
  let iteration = String(state.generation);
  for (const frame of state.stack) if (frame.kind === 'control' && frame.loop) iteration += `.${frame.loop.index}`;
  return iteration;
}

/** Execution path of a step at the current position, e.g. "check/loop[2]/charge". */
export function currentPath(state: InterpreterState, stepId: string): string {
  const segments: string[] = [];
  for (const frame of state.stack) {
    if (frame.kind === 'control') segments.push(frame.loop ? `${frame.stepId}[${frame.loop.index}]` : frame.stepId);
  }
  segments.push(stepId);
  return segments.join('/');
}

/** Key of a step record: unique per (step, iteration) within a run. */
export function recordKey(stepId: string, iteration: string): string {
  return `${stepId}@${iteration}`;
}

/** Base of the ids of one attempt of one step execution: `${runId}:${stepId}:${iteration}:${attempt}`. */
export function attemptId(runId: string, stepId: string, iteration: string, attempt: number): string {
  return `${runId}:${stepId}:${iteration}:${attempt}`;
}

/** Id of a timer of a step attempt: `${attemptId}:${reason}`. */
export function timerIdFor(base: string, reason: 'sleep' | 'retry' | 'timeout'): string {
  return `${base}:${reason}`;
}

/** Id of an event wait: `${attemptId}:event`. */
export function waitIdFor(base: string): string {
  return `${base}:event`;
}

/** Id of a human task: `${attemptId}:task`. */
export function taskIdFor(base: string): string {
  return `${base}:task`;
}

/**
 * Run id of a child run: a UUID (v8 layout) derived by sha-256 from `${attemptId}:child`, so it
 * is a valid run id on both engines (text or uuid columns, Temporal workflow ids) and the same on replay.
 */
export function childRunIdFor(base: string): string {
  return uuidFromName(`${base}:child`);
}
