import { CompleteTaskBody, CompleteTaskResponse, ListTasksQuery, ListTasksResponse, TaskIdParams } from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IngressRuntime } from '../app/ingress-runtime.js';
import { errorResponses } from './error-responses.js';

/** Options of {@link taskRoutes}. */
export interface TaskRoutesOptions {
  readonly runtime: Pick<IngressRuntime, 'listTasks' | 'completeTask'>;
}

/** `GET /v1/tasks`, `POST /v1/tasks/:taskId/complete`. */
export const taskRoutes: FastifyPluginAsyncZod<TaskRoutesOptions> = async (app, { runtime }) => {
  app.get('/tasks', {
    schema: {
      summary: 'List human tasks, oldest first',
      tags: ['tasks'],
      // A query schema must be inline in the OpenAPI document (parameters cannot be $ref components).
      querystring: z.object(ListTasksQuery.shape),
      response: { 200: ListTasksResponse, ...errorResponses() },
    },
    handler: (request) => runtime.listTasks(request.tenant, request.query),
  });

  app.post('/tasks/:taskId/complete', {
    schema: {
      summary: 'Complete a human task',
      description:
        'A response not satisfying the form schema answers 400 VALIDATION_ERROR; a task already done 409 TASK_ALREADY_COMPLETED; ' +
        'a task the run closed first (its timeout, the run cancel) 409 TASK_ALREADY_CLOSED with {taskId, runId, status, closeReason}.',
      tags: ['tasks'],
      params: TaskIdParams,
      body: CompleteTaskBody,
      response: { 200: CompleteTaskResponse, ...errorResponses(404, 409, 502, 503) },
    },
    handler: (request) =>
      runtime.completeTask(request.tenant, request.params.taskId, { ...request.body, completedBy: request.body.completedBy ?? request.tenant }),
  });
};
