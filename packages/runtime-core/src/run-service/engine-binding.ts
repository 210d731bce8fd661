import type { EngineKind } from '@baton/event-schemas';
import { createRunRef, type RunRef } from '../engine/run-ref.js';
import type { EngineSet, WorkflowEngine } from '../engine/workflow-engine.js';
import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** A run bound to the engine that owns it, for a call that works on any engine kind. */
export type EngineCall<R> = <K extends EngineKind>(engine: WorkflowEngine<K>, ref: RunRef<K>) => Promise<R>;

/** The wired engine of a kind, `undefined` when this process has none. */
export function engineOf(engines: EngineSet, kind: EngineKind): WorkflowEngine<EngineKind> | undefined {
  return engines[kind];
}

/** The engine of a kind, or `ENGINE_UNAVAILABLE` (never a stand-in). */
export function requireEngine(engines: EngineSet, kind: EngineKind, runId?: string): WorkflowEngine<EngineKind> {
  const engine = engines[kind];
  if (!engine) {
    throw new BatonError(ErrorCode.ENGINE_UNAVAILABLE, `the '${kind}' engine is not configured in this process`, {
      details: runId === undefined ? { engine: kind } : { engine: kind, runId },
    });
  }
  return engine;
}

/**
 * Calls `call` with the run's own engine and a ref of that engine's kind. The one place the
 * runtime joins a stored engine name to an engine; each engine re-checks with `assertEngineAuthority`.
 */
export function withRunEngine<R>(engines: EngineSet, run: { readonly tenant: string; readonly runId: string; readonly engine: EngineKind }, call: EngineCall<R>): Promise<R> {
  if (run.engine === 'db') return call(requireEngine(engines, 'db', run.runId) as WorkflowEngine<'db'>, createRunRef('db', run.tenant, run.runId));
  return call(requireEngine(engines, 'temporal', run.runId) as WorkflowEngine<'temporal'>, createRunRef('temporal', run.tenant, run.runId));
}
