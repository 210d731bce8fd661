/** Codes of {@link InterpreterError}: a driver misused the interpreter (never a workflow failure). */
export const INTERPRETER_ERROR_CODE = {
  /** The state is not an interpreter state of this format. */
  INVALID_STATE: 'INVALID_STATE',
  /** The definition is not the one the run started with (name/version differ). */
  DEFINITION_MISMATCH: 'DEFINITION_MISMATCH',
  /** The input is malformed (unknown type, missing field, bad time). */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The state points at a step the definition does not have. */
  UNKNOWN_STEP: 'UNKNOWN_STEP',
  /** The state was written in a format this interpreter does not read (newer, or no migration from it). */
  STATE_FORMAT_UNSUPPORTED: 'STATE_FORMAT_UNSUPPORTED',
} as const;
export type InterpreterErrorCode = (typeof INTERPRETER_ERROR_CODE)[keyof typeof INTERPRETER_ERROR_CODE];

/** Thrown by `advance` when a driver passes something the interpreter cannot have produced. */
export class InterpreterError extends Error {
  override readonly name = 'InterpreterError';
  constructor(
    readonly code: InterpreterErrorCode,
    message: string,
    /** where, e.g. `input.now` or `state.stack[2]` */
    readonly path = '',
  ) {
    super(message);
  }
}
