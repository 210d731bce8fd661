import type { EngineKind } from '@baton/event-schemas';

declare const runRefBrand: unique symbol;

/**
 * A handle to one run, typed by the engine that has authority over it: a `RunRef<'temporal'>`
 * cannot be passed where a `RunRef<'db'>` is expected. Make one with {@link createRunRef}.
 */
export interface RunRef<K extends EngineKind> {
  readonly engine: K;
  readonly tenant: string;
  readonly runId: string;
  /** type-only brand: a plain object literal is not a run ref */
  readonly [runRefBrand]: K;
}

/** A run ref of either engine, e.g. one built from a stored run before it is handed to its engine. */
export type AnyRunRef = { [K in EngineKind]: RunRef<K> }[EngineKind];

/** Creates the ref of a run owned by engine `engine`. */
export function createRunRef<K extends EngineKind>(engine: K, tenant: string, runId: string): RunRef<K> {
  return { engine, tenant, runId } as RunRef<K>;
}

/** Narrows a ref to the engine kind `kind`. */
export function isRunRefOf<K extends EngineKind>(ref: AnyRunRef, kind: K): ref is Extract<AnyRunRef, RunRef<K>> {
  return ref.engine === kind;
}
