import {
  CancelRunBody,
  GetRunQuery,
  isTerminalRunStatus,
  MAX_RUN_WAIT_MS,
  CancelRunResponse,
  CancelRequestedResponse,
  ListRunsQuery,
  ListRunsResponse,
  ResumeRunBody,
  RetryRunBody,
  RunControlResponse,
  RunIdParams,
  RunStepsResponse,
  RunView,
  StartRunBody,
  StartRunResponse,
  UnsupportedActionError,
} from '@baton/event-schemas';
import { BatonError, ErrorCode, type RunControlResult } from '@baton/runtime-core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngressRuntime } from '../app/ingress-runtime.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link runRoutes}. */
export interface RunRoutesOptions {
  readonly runtime: Pick<IngressRuntime, 'startRun' | 'getRun' | 'listRuns' | 'listSteps' | 'control'>;
}

const CONTROL_NOTE = `Temporal runs refuse retry and resume with 409 WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED (fields: ${Object.keys(UnsupportedActionError.shape).join(', ')}) before anything changes.`;

/** Retry and resume answer a run status (only a cancel can be left `CANCEL_REQUESTED`). */
function settledStatus(result: RunControlResult): RunControlResponse {
  if (result.status === 'CANCEL_REQUESTED') throw new BatonError(ErrorCode.INTERNAL, `run ${result.runId}: unexpected CANCEL_REQUESTED`);
  return { runId: result.runId, status: result.status };
}

/** Run routes: start, read, list, steps, and run control (cancel, retry, resume). */
export const runRoutes: FastifyPluginAsyncZod<RunRoutesOptions> = async (app, { runtime }) => {
  app.post('/runs', {
    schema: {
      summary: 'Start a run',
      description: `201 for a new run; the same executionKey for the same workflow answers 200 with the same run. Input not satisfying the inputSchema answers 400. With \`wait\` (ms, at most ${MAX_RUN_WAIT_MS}): 200 with the finished run (the GET /v1/runs/{runId} body) when it finishes in time, else the answer without wait.`,
      tags: ['runs'],
      body: StartRunBody,
      response: { 201: StartRunResponse, 200: z.union([RunView, StartRunResponse]), ...errorResponses(404, 413, 503) },
    },
    handler: async (request, reply) => {
      const began = performance.now();
      const { wait, ...body } = request.body;
      const { created, ...run } = await runtime.startRun(request.tenant, body);
      if (wait !== undefined) {
        // The wait counts from the request's arrival, not from the end of the start.
        const view = await runtime.getRun(request.tenant, run.runId, { waitMs: Math.max(0, wait - (performance.now() - began)) });
        if (isTerminalRunStatus(view.status)) return reply.code(200).send(view);
      }
      return reply.code(created ? 201 : 200).send({ runId: run.runId, workflow: run.workflow, version: run.version, engine: run.engine, status: run.status });
    },
  });

  app.get('/runs', {
    schema: {
      summary: 'List runs, newest first',
      description:
        'With `stuck=true`: only the runs that cannot progress, each with its `stuckReason` ({code, message, ...detail}); `ACTION_NOT_PROVIDED` (a Postgres-engine run parked on an action id@version no live worker of that engine provides, with `since` and `deadline`; oldest parked first), then `DEPLOYMENT_VERSION_NOT_POLLED` (a Temporal run pinned to a worker deployment version no worker polls, with `deploymentName`, `buildId`, `taskQueue`; among the 200 newest unfinished Temporal runs), then `DEFINITION_VERSION_RETIRED` (a run of a retired definition version, either engine, with `workflow`, `version`, `retiredAt`, `retiredReason`). `workflow`, `engine`, `limit` and `cursor` apply; `status`, `createdAfter` and `createdBefore` answer 400 VALIDATION_ERROR with it.',
      tags: ['runs'],
      // A query schema must be inline in the OpenAPI document (parameters cannot be $ref components).
      querystring: z.object(ListRunsQuery.shape),
      response: { 200: ListRunsResponse, ...errorResponses(503) },
    },
    handler: (request) => runtime.listRuns(request.tenant, request.query),
  });

  app.get('/runs/:runId', {
    schema: {
      summary: 'A run with its open waits',
      description: `With \`wait\` (ms, at most ${MAX_RUN_WAIT_MS}): answered as soon as the run has finished (SUCCEEDED, FAILED, CANCELED), or when the time is up with its state then.`,
      tags: ['runs'],
      params: RunIdParams,
      querystring: z.object(GetRunQuery.shape),
      response: { 200: RunView, ...errorResponses(404) },
    },
    handler: (request) => runtime.getRun(request.tenant, request.params.runId, { waitMs: request.query.wait ?? 0 }),
  });

  app.get('/runs/:runId/steps', {
    schema: {
      summary: 'The step records of a run',
      tags: ['runs'],
      params: RunIdParams,
      response: { 200: RunStepsResponse, ...errorResponses(404) },
    },
    handler: (request) => runtime.listSteps(request.tenant, request.params.runId),
  });

  app.post('/runs/:runId/cancel', {
    schema: {
      summary: 'Cancel a run',
      description:
        'A finished run answers 409 RUN_ALREADY_FINISHED. For a Temporal run, Temporal is the authority: the route waits (up to 10 s) for the workflow to settle and answers 200 CANCELED when it cancelled, 409 RUN_ALREADY_FINISHED when it completed first, 202 CANCEL_REQUESTED when it has not settled in time (the projection then follows the workflow); when Temporal refuses, 409 WORKFLOW_TEMPORAL_CANCEL_FAILED and nothing changed.',
      tags: ['run control'],
      params: RunIdParams,
      body: CancelRunBody,
      response: { 200: CancelRunResponse, 202: CancelRequestedResponse, ...errorResponses(404, 409, 502, 503) },
    },
    handler: async (request, reply) => {
      const result = await runtime.control(request.tenant, request.params.runId, 'cancel', request.body);
      if (result.status === 'CANCEL_REQUESTED') return reply.code(202).send({ status: 'CANCEL_REQUESTED' as const });
      if (result.status !== 'CANCELED') {
        // The run finished on its own between the check and the engine's answer.
        throw new BatonError(ErrorCode.RUN_ALREADY_FINISHED, `run ${result.runId} already finished (${result.status})`, {
          details: { runId: result.runId, status: result.status },
        });
      }
      return reply.code(200).send({ status: 'CANCELED' as const });
    },
  });

  app.post('/runs/:runId/retry', {
    schema: {
      summary: 'Retry a failed run from its failed step (Postgres engine)',
      description: `The retry continues the attempt count of the failed step. A run that is not FAILED answers 409 RUN_NOT_FAILED. ${CONTROL_NOTE}`,
      tags: ['run control'],
      params: RunIdParams,
      body: RetryRunBody,
      response: { 200: RunControlResponse, ...errorResponses(404, 409, 502, 503) },
    },
    handler: async (request) => settledStatus(await runtime.control(request.tenant, request.params.runId, 'retry', request.body)),
  });

  app.post('/runs/:runId/resume', {
    schema: {
      summary: "Resolve a run's current wait by operator decision (Postgres engine)",
      description: `The optional response is the value the wait resolves with. ${CONTROL_NOTE}`,
      tags: ['run control'],
      params: RunIdParams,
      body: ResumeRunBody,
      response: { 200: RunControlResponse, ...errorResponses(404, 409, 502, 503) },
    },
    handler: async (request) =>
      settledStatus(
        await runtime.control(request.tenant, request.params.runId, 'resume', {
          reason: request.body.reason,
          ...(request.body.response === undefined ? {} : { response: request.body.response }),
        }),
      ),
  });
};
