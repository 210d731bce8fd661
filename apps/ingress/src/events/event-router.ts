import type { FastifyBaseLogger } from 'fastify';
import { ErrorCode } from '@baton/runtime-core';
import type { EventDeliveryResult, IngressRuntime } from '../app/ingress-runtime.js';
import type { EventSource, IngressMetrics } from '../metrics/ingress-metrics.js';

/** Routes events from any source (HTTP, Redis stream) through the run service, with metrics and logs. */
export interface EventRouter {
  /** Routes one envelope for `tenant`; throws `VALIDATION_ERROR` for an invalid envelope, else answers the outcome. */
  route(tenant: string, envelope: unknown, source: EventSource): Promise<EventDeliveryResult>;
}

/** Options of {@link createEventRouter}. */
export interface EventRouterOptions {
  readonly runtime: Pick<IngressRuntime, 'deliverEvent'>;
  readonly metrics: IngressMetrics;
  readonly logger: FastifyBaseLogger;
}

/** Creates the event router shared by `POST /v1/events` and the stream consumer. */
export function createEventRouter(options: EventRouterOptions): EventRouter {
  const { runtime, metrics, logger } = options;
  return {
    async route(tenant, envelope, source) {
      const started = process.hrtime.bigint();
      const result = await runtime.deliverEvent(tenant, envelope);
      metrics.routingSeconds.observe({ source }, Number(process.hrtime.bigint() - started) / 1e9);
      metrics.eventsReceived.inc({ source });
      if (result.duplicate) {
        metrics.eventsDuplicate.inc({ source });
        return result;
      }
      if (result.routed.length) metrics.eventsRouted.inc({ source });
      else metrics.eventsUnrouted.inc({ source, reason: result.correlationSource === 'missing' ? 'correlation_key_missing' : 'no_wait' });
      for (const run of result.routed) metrics.runsResumed.inc({ engine: run.engine });
      for (const run of result.startedRuns) if (run.created) metrics.runsStarted.inc({ engine: run.engine });
      const failures = result.errors.filter((e) => e.code !== ErrorCode.CORRELATION_KEY_MISSING);
      if (failures.length) {
        metrics.eventsFailed.inc({ source, retryable: String(!result.processed) });
        logger.warn({ tenant, eventId: result.eventId, errors: failures, processed: result.processed }, 'event routing reported errors');
      }
      return result;
    },
  };
}
