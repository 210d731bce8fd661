import { ListActionsResponse } from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ActionCatalogSource } from '../actions/action-catalog-source.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link actionRoutes}. */
export interface ActionRoutesOptions {
  readonly catalog: ActionCatalogSource;
}

/** `GET /v1/actions`: the live action catalog. */
export const actionRoutes: FastifyPluginAsyncZod<ActionRoutesOptions> = async (app, { catalog }) => {
  app.get('/actions', {
    schema: {
      summary: 'The action catalog',
      description:
        'Every action@version a definition may call: the built-ins plus what live workers registered (id, version, description, input and output JSON Schema), with how many live workers of each engine provide it. A worker drops out when its heartbeat expires.',
      tags: ['actions'],
      response: { 200: ListActionsResponse, ...errorResponses() },
    },
    handler: async () => ({ items: await catalog.list() }),
  });
};
