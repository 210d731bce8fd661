import type { EngineKind } from '@baton/event-schemas';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { RunRef } from './run-ref.js';

/** A run was handed to an engine that has no authority over it (the run belongs to the other engine). */
export class EngineAuthorityError extends BatonError {
  override readonly name = 'EngineAuthorityError';
  readonly runId: string;
  readonly runEngine: string;
  readonly engine: EngineKind;

  constructor(engine: EngineKind, run: { readonly engine: string; readonly runId: string }) {
    super(ErrorCode.WORKFLOW_ENGINE_AUTHORITY, `run ${run.runId} belongs to engine '${run.engine}', not to '${engine}'`, {
      details: { runId: run.runId, runEngine: run.engine, engine },
    });
    this.runId = run.runId;
    this.runEngine = run.engine;
    this.engine = engine;
  }
}

/**
 * Throws {@link EngineAuthorityError} unless `ref` belongs to `engine`; adapters call it first
 * thing in every operation, before reading or writing anything.
 */
export function assertEngineAuthority<K extends EngineKind>(
  engine: { readonly kind: K },
  ref: { readonly engine: string; readonly runId: string },
): asserts ref is RunRef<K> {
  if (ref === null || typeof ref !== 'object' || ref.engine !== engine.kind) {
    throw new EngineAuthorityError(engine.kind, { engine: String(ref?.engine), runId: String(ref?.runId) });
  }
}
