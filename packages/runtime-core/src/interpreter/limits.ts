import type { InterpreterLimits } from './protocol.js';

/** SPEC-dsl default limits. */
export const DEFAULT_INTERPRETER_LIMITS: InterpreterLimits = Object.freeze({
  maxInputBytes: 256 * 1024,
  maxOutputBytes: 256 * 1024,
  maxForEachItems: 10_000,
  maxStepsPerHistory: 10_000,
  maxExecutedSteps: 1_000_000,
});

/** Defaults overridden by the given limits. */
export function resolveLimits(overrides: Partial<InterpreterLimits> | undefined): InterpreterLimits {
  return { ...DEFAULT_INTERPRETER_LIMITS, ...overrides };
}

/** UTF-8 byte length of a JSON value's serialization (no Node Buffer: sandbox-safe). */
export function jsonByteLength(value: unknown): number {
  const text = JSON.stringify(value) ?? 'null';
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
