import { EventAcceptedResponse, ListEventsQuery, ListEventsResponse, WorkflowEvent } from '@baton/event-schemas';
import { BatonError, ErrorCode } from '@baton/runtime-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventDeliveryResult, IngressRuntime } from '../app/ingress-runtime.js';
import type { EventRouter } from '../events/event-router.js';
import { EventSource } from '../metrics/ingress-metrics.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link eventRoutes}. */
export interface EventRoutesOptions {
  readonly router: EventRouter;
  readonly runtime: Pick<IngressRuntime, 'listEvents'>;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/** The error answered when routing did not finish: the client should send the same event again. */
function unfinished(result: EventDeliveryResult): BatonError {
  const first = result.errors.find((e) => e.retryable) ?? result.errors[0];
  const code = first && KNOWN_CODES.has(first.code) ? (first.code as ErrorCode) : ErrorCode.ENGINE_DELIVERY_FAILED;
  return new BatonError(code, `routing of event ${result.eventId} did not finish (${first?.message ?? 'unknown error'}); send the same event again`, {
    details: {
      eventId: result.eventId,
      correlationKey: result.correlationKey,
      correlationSource: result.correlationSource,
      routed: result.routed,
      startedRuns: result.startedRuns,
      errors: result.errors,
    },
  });
}

/** `POST /v1/events`: route an event to waiting runs and event-triggered workflows; `GET /v1/events`: the audit. */
export const eventRoutes: FastifyPluginAsyncZod<EventRoutesOptions> = async (app, { router, runtime }) => {
  app.get('/events', {
    schema: {
      summary: 'Received events, most recently received first',
      description:
        'The event audit of the tenant: each event with its correlation key and where it came from, the runs it resumed and started, and routing errors such as CORRELATION_KEY_MISSING.',
      tags: ['events'],
      // A query schema must be inline in the OpenAPI document (parameters cannot be $ref components).
      querystring: z.object(ListEventsQuery.shape),
      response: { 200: ListEventsResponse, ...errorResponses() },
    },
    handler: (request) => runtime.listEvents(request.tenant, request.query),
  });

  app.post('/events', {
    schema: {
      summary: 'Send an event',
      description:
        'Deduplicated per tenant by eventId (a duplicate answers 202 with duplicate: true and routes nothing). The correlation key is the envelope key, else the configured payload paths; without one the event is audited with CORRELATION_KEY_MISSING, resumes no wait, and event-triggered workflows still start. When an engine failed part of the routing, the answer is 502/503 with the partial outcome and the same event should be sent again (already resumed runs are not resumed twice).',
      tags: ['events'],
      body: WorkflowEvent,
      response: { 202: EventAcceptedResponse, ...errorResponses(413, 502, 503) },
    },
    handler: async (request, reply) => {
      const result = await router.route(request.tenant, request.body, EventSource.HTTP);
      if (!result.processed) throw unfinished(result);
      return reply.code(202).send({
        eventId: result.eventId,
        duplicate: result.duplicate,
        correlationKey: result.correlationKey,
        correlationSource: result.correlationSource,
        routed: result.routed,
        startedRuns: result.startedRuns,
        ...(result.entities ? { entities: result.entities } : {}),
      });
    },
  });
};
