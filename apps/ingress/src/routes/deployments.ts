import { BatonError, ErrorCode } from '@baton/runtime-core';
import { DrainBody, DrainResult, ListDeploymentsResponse } from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from './error-responses.js';

/** Options of {@link deploymentRoutes}: both absent when Temporal is not configured. */
export interface DeploymentRoutesOptions {
  readonly deployments?: { list(tenant: string): Promise<ListDeploymentsResponse> };
  readonly drain?: { drain(tenant: string, body: DrainBody): Promise<DrainResult> };
}

const NOT_CONFIGURED = 'Temporal is not configured in this ingress (TEMPORAL_ADDRESS): there are no worker deployments';

/** `GET /v1/deployments`, `POST /v1/deployments/drain`. */
export const deploymentRoutes: FastifyPluginAsyncZod<DeploymentRoutesOptions> = async (app, { deployments, drain }) => {
  app.get('/deployments', {
    schema: {
      summary: 'Temporal worker deployment versions with their drainage status and the runs still pinned to each',
      description:
        "Every version of every worker deployment of the namespace: whether new runs go to it (current, ramping), Temporal's status (CURRENT, RAMPING, DRAINING, DRAINED, INACTIVE) and drainage status, its workers seen polling Baton's task queue within the last 2 minutes, and how many of the caller's unfinished Temporal runs are pinned to it (among the caller's 500 newest unfinished Temporal runs; runsJudged says how many were asked). Without Temporal: 200 with no items and a note. Temporal configured but not answering: 503 ENGINE_UNAVAILABLE.",
      tags: ['deployments'],
      response: { 200: ListDeploymentsResponse, ...errorResponses(503) },
    },
    handler: async (request) => (deployments ? deployments.list(request.tenant) : { items: [], runsJudged: 0, note: NOT_CONFIGURED }),
  });

  app.post('/deployments/drain', {
    schema: {
      summary: 'Move Temporal runs off a build (or the runs of a definition version) onto the current build, each after its history replays there',
      description:
        "Selects the caller's unfinished Temporal runs pinned to `buildId` (or the runs of `workflow`@`version`), replays each run's own history against the workflow code of this ingress (deploy it from the same release as the current worker build), and pins every run whose replay succeeded to its deployment's current version with a versioning override. Every run not moved is reported in `refused` with the reason: REPLAY_FAILED (with the replay error, e.g. a non-determinism error), NOT_FOUND, NOT_PINNED, NO_CURRENT_VERSION, ALREADY_ON_TARGET, HISTORY_CHANGED (the run progressed after its replay; drain again), UPDATE_FAILED. `dryRun`: replay and report, change nothing. 503 ENGINE_UNAVAILABLE when Temporal is not configured or not answering.",
      tags: ['deployments'],
      body: DrainBody,
      response: { 200: DrainResult, ...errorResponses(503) },
    },
    handler: async (request) => {
      if (!drain) throw new BatonError(ErrorCode.ENGINE_UNAVAILABLE, NOT_CONFIGURED, { details: { engine: 'temporal' } });
      return drain.drain(request.tenant, request.body);
    },
  });
};
