import { ListSecretsResponse, PutSecretBody, PutSecretResponse, SecretNameParams } from '@baton/event-schemas';
import { BatonError, ErrorCode, type SecretWriter } from '@baton/runtime-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from './error-responses.js';

/** Options of {@link secretRoutes}. */
export interface SecretRoutesOptions {
  /** the encrypted secrets table; absent when the ingress has no `BATON_SECRETS_KEY` (writes answer 409 `SECRETS_NOT_CONFIGURED`) */
  readonly writer?: SecretWriter;
  /** lists names and deletes without the key */
  readonly names?: Pick<SecretWriter, 'list' | 'delete'>;
}

const notConfigured = () =>
  new BatonError(ErrorCode.SECRETS_NOT_CONFIGURED, 'this ingress has no BATON_SECRETS_KEY: set it (base64 of 32 random bytes, the same on the workers) to store secrets');

/** `GET /v1/secrets`, `PUT /v1/secrets/:name`, `DELETE /v1/secrets/:name`: the tenant's secrets, write-only. */
export const secretRoutes: FastifyPluginAsyncZod<SecretRoutesOptions> = async (app, { writer, names }) => {
  const reader = names ?? writer;
  app.get('/secrets', {
    schema: {
      summary: "The tenant's secret names",
      description: 'Names and when each was last written; values are never returned by any route. Secrets of `BATON_SECRETS_FILE` are not listed.',
      tags: ['secrets'],
      response: { 200: ListSecretsResponse, ...errorResponses() },
    },
    handler: async (request) => ({ items: reader ? await reader.list(request.tenant) : [] }),
  });

  app.put('/secrets/:name', {
    schema: {
      summary: 'Create or replace a secret',
      description:
        'Stores the value encrypted (AES-256-GCM with the key of `BATON_SECRETS_KEY`) for this tenant. A definition refers to it as `{"$secret": "<name>"}` in an action input; it is resolved only when the action runs. 409 `SECRETS_NOT_CONFIGURED` when the ingress has no key.',
      tags: ['secrets'],
      params: SecretNameParams,
      body: PutSecretBody,
      response: { 200: PutSecretResponse, ...errorResponses(409) },
    },
    handler: async (request) => {
      if (!writer) throw notConfigured();
      const { created } = await writer.set(request.tenant, request.params.name, request.body.value);
      request.log.info({ secret: request.params.name, created }, 'secret written');
      return { name: request.params.name, created };
    },
  });

  app.delete('/secrets/:name', {
    schema: {
      summary: 'Delete a secret',
      description: 'Runs that reach an action naming it afterwards fail that step with `UNKNOWN_SECRET`.',
      tags: ['secrets'],
      params: SecretNameParams,
      response: { 200: PutSecretResponse.pick({ name: true }), ...errorResponses(404) },
    },
    handler: async (request) => {
      if (!reader || !(await reader.delete(request.tenant, request.params.name))) {
        throw new BatonError(ErrorCode.SECRET_NOT_FOUND, `no secret named "${request.params.name}"`, { details: { secret: request.params.name } });
      }
      return { name: request.params.name };
    },
  });
};
