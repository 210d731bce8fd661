import { ListUpgradesQuery, ListUpgradesResponse, UpgradeApplyBody, UpgradeApplyResult, WorkflowNameParams } from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngressRuntime } from '../app/ingress-runtime.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link upgradeRoutes}. */
export interface UpgradeRoutesOptions {
  readonly runtime: Pick<IngressRuntime, 'applyUpgrade' | 'listUpgrades'>;
}

/** `POST /v1/workflows/:name/upgrade` (move in-flight runs to another version) and `GET /v1/workflows/:name/upgrades` (their audit). */
export const upgradeRoutes: FastifyPluginAsyncZod<UpgradeRoutesOptions> = async (app, { runtime }) => {
  app.post('/workflows/:name/upgrade', {
    schema: {
      summary: 'Move the in-flight runs of one version of a workflow to another at their current wait',
      description:
        'Every unfinished run of `from` (or only `runIds`) that the upgrade plan classes MOVES_NOW is moved to `to` by its own engine, at the wait it is at, with the same variables: the engine decides again under the run\'s lock, so a run that moved on since is skipped with its new class, and a run already moved is never moved twice. Each run handed to an engine gets an audit record (GET /v1/workflows/:name/upgrades) naming the API key. `dryRun` reports what would move and changes nothing. 404 WORKFLOW_NOT_FOUND when either version is not published; 400 when `from` = `to`.',
      tags: ['workflows'],
      params: WorkflowNameParams,
      body: UpgradeApplyBody,
      response: { 200: UpgradeApplyResult, ...errorResponses(404) },
    },
    handler: (request) => runtime.applyUpgrade(request.tenant, request.params.name, request.body, { actor: request.apiKeyName }),
  });

  app.get('/workflows/:name/upgrades', {
    schema: {
      summary: 'The upgrade audit of a workflow: one record per run an apply handed to its engine, newest first',
      tags: ['workflows'],
      params: WorkflowNameParams,
      querystring: z.object(ListUpgradesQuery.shape),
      response: { 200: ListUpgradesResponse, ...errorResponses(404) },
    },
    handler: (request) =>
      runtime.listUpgrades(request.tenant, request.params.name, {
        ...(request.query.runId !== undefined ? { runId: request.query.runId } : {}),
        ...(request.query.limit !== undefined ? { limit: request.query.limit } : {}),
      }),
  });
};
