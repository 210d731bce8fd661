import { EntityParams, EntityView } from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IngressRuntime } from '../app/ingress-runtime.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link entityRoutes}. */
export interface EntityRoutesOptions {
  readonly runtime: Pick<IngressRuntime, 'getEntity'>;
}

/** `GET /v1/entities/:workflow/:entityKey`: an entity of an entity workflow (SPEC-dsl "Entity workflows"). */
export const entityRoutes: FastifyPluginAsyncZod<EntityRoutesOptions> = async (app, { runtime }) => {
  app.get('/entities/:workflow/:entityKey', {
    schema: {
      summary: 'An entity of an entity workflow',
      description:
        "The entity's live run (or its last one when none is live): its engine and status, the sequence number of the last event the entity's runs took, how many admitted events are not taken yet, and `state`, the run's variables as its engine holds them. ENTITY_NOT_FOUND for a key no event was admitted to (or another tenant's).",
      tags: ['entities'],
      params: EntityParams,
      response: { 200: EntityView, ...errorResponses(404, 503) },
    },
    handler: (request) => runtime.getEntity(request.tenant, request.params.workflow, request.params.entityKey),
  });
};
