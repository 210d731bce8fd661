import type { Client } from '@temporalio/client';
import { createPostgresEngine, type PostgresEngine } from '@baton/db-legacy-adapter';
import type { ActionRegistry, EngineSet } from '@baton/runtime-core';
import { createTemporalEngine, type TemporalEngine } from '@baton/temporal-adapter';
import type { PostgresResources } from './postgres-resources.js';

/** What the engines are built from. */
export interface WireEnginesOptions {
  readonly postgres: PostgresResources;
  /** the built-in actions (the Postgres engine checks a run's actions against them) */
  readonly actions: ActionRegistry;
  /** absent when `TEMPORAL_ADDRESS` is not set: Temporal runs answer `ENGINE_UNAVAILABLE` */
  readonly temporal?: { readonly client: Client; readonly taskQueue: string };
}

/** The engines of the ingress, keyed by kind. */
export interface IngressEngines extends EngineSet {
  readonly db: PostgresEngine;
  readonly temporal?: TemporalEngine;
}

/**
 * The engines of the ingress: the Postgres engine over the shared pool (its worker loop is not
 * started here, the worker app runs it) and, when Temporal is configured, the Temporal engine on
 * the process's one shared client.
 */
export function wireEngines(options: WireEnginesOptions): IngressEngines {
  const { postgres, temporal } = options;
  return {
    db: createPostgresEngine({ pool: postgres.pool, schema: postgres.schema, actions: options.actions }),
    ...(temporal ? { temporal: createTemporalEngine({ client: temporal.client, taskQueue: temporal.taskQueue }) } : {}),
  };
}
