import type { PostgresActionCatalog } from '@baton/db-legacy-adapter';
import type { EngineKind } from '@baton/event-schemas';
import { describeAction, type ActionRegistry } from '@baton/runtime-core';
import type { Logger } from 'pino';

/** Options of {@link registerInCatalog}. */
export interface CatalogRegistrationOptions {
  readonly catalog: PostgresActionCatalog;
  readonly workerId: string;
  readonly engines: readonly EngineKind[];
  readonly actions: ActionRegistry;
  /** registration lifetime without a heartbeat; heartbeats go out every third of it */
  readonly ttlMs: number;
  readonly logger: Logger;
}

/** A live registration: heartbeats until {@link CatalogRegistration.stop}. */
export interface CatalogRegistration {
  /** Stops the heartbeat and removes this worker's rows. */
  stop(): Promise<void>;
}

/**
 * Publishes what this worker provides to the live catalog (id, version, description, JSON Schemas,
 * per engine) and keeps it alive by heartbeat. A worker that dies stops heart-beating, and its
 * rows stop counting once they expire; one that stops cleanly removes them at once.
 */
export async function registerInCatalog(options: CatalogRegistrationOptions): Promise<CatalogRegistration> {
  const { catalog, workerId, ttlMs, logger } = options;
  const actions = options.actions.list().map(describeAction);
  await catalog.register({ workerId, engines: options.engines, actions, ttlMs });
  logger.info({ workerId, actions: actions.map((a) => `${a.action}@${a.version}`), ttlMs }, 'action catalog: registered');
  let beating: Promise<void> | undefined;
  const timer = setInterval(() => {
    beating ??= catalog
      .heartbeat(workerId, ttlMs)
      .then(async (kept) => {
        // Rows purged while this worker was unreachable: register again.
        if (kept === 0) await catalog.register({ workerId, engines: options.engines, actions, ttlMs });
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'action catalog: heartbeat failed'))
      .finally(() => (beating = undefined));
  }, Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await beating;
      await catalog.unregister(workerId).catch((error: unknown) => logger.warn({ err: error }, 'action catalog: could not unregister'));
    },
  };
}
