import type { Client } from '@temporalio/client';
import type { EngineSet } from '@baton/runtime-core';
import type { PostgresResources } from './postgres-resources.js';

/** What the engines are built from. */
export interface WireEnginesOptions {
  readonly postgres: PostgresResources;
  /** absent when `TEMPORAL_ADDRESS` is not set: Temporal runs answer `ENGINE_UNAVAILABLE` */
  readonly temporal?: { readonly client: Client; readonly taskQueue: string };
}

/**
 * The engines of this process. Neither adapter exports its engine yet, so none is wired and every
 * run answers `ENGINE_UNAVAILABLE` (never a stand-in engine).
 */
export function wireEngines(_options: WireEnginesOptions): EngineSet {
  return {};
}
