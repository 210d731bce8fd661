import { z } from 'zod';
import { JsonValue } from '../json-value.js';
import { IsoDateTime, RunId } from './common.js';

/** Lifecycle of a human task. */
export const TaskStatus = z.enum(['OPEN', 'COMPLETED', 'CANCELED']).describe('A task closed by timeout or run cancellation is CANCELED');
export type TaskStatus = z.infer<typeof TaskStatus>;

/** Why a CANCELED task ended without a response. */
export const TaskCloseReason = z.enum(['TIMED_OUT', 'CANCELED']).describe('TIMED_OUT: its timeoutMs elapsed first; CANCELED: the run was cancelled');
export type TaskCloseReason = z.infer<typeof TaskCloseReason>;

/** A human task as the API shows it. */
export const HumanTaskView = z
  .object({
    taskId: z.string(),
    runId: RunId,
    stepId: z.string(),
    taskType: z.string(),
    title: z.string(),
    formSchema: JsonValue.optional().describe('JSON Schema the response must satisfy'),
    assignee: z.string().optional(),
    status: TaskStatus,
    closeReason: TaskCloseReason.optional().describe('Set on a CANCELED task: why it ended without a response'),
    response: JsonValue.optional(),
    completedBy: z.string().optional(),
    createdAt: IsoDateTime,
    timeoutAt: IsoDateTime.optional(),
    completedAt: IsoDateTime.optional(),
  })
  .meta({ id: 'HumanTaskView' });
export type HumanTaskView = z.infer<typeof HumanTaskView>;

/** Query of `GET /v1/tasks`. */
export const ListTasksQuery = z
  .object({ status: TaskStatus.optional(), runId: RunId.optional() })
  .meta({ id: 'ListTasksQuery' });
export type ListTasksQuery = z.infer<typeof ListTasksQuery>;

/** Answer of `GET /v1/tasks`. */
export const ListTasksResponse = z.object({ items: z.array(HumanTaskView) }).meta({ id: 'ListTasksResponse' });
export type ListTasksResponse = z.infer<typeof ListTasksResponse>;

/** Path parameters of `/v1/tasks/:taskId...`. */
export const TaskIdParams = z.object({ taskId: z.string().min(1) });
export type TaskIdParams = z.infer<typeof TaskIdParams>;

/** Body of `POST /v1/tasks/:taskId/complete`. */
export const CompleteTaskBody = z
  .strictObject({
    response: JsonValue.describe('Must satisfy the task formSchema (400 VALIDATION_ERROR otherwise)'),
    completedBy: z.string().min(1).max(500).optional().describe('Who completed the task; default: the API key tenant'),
  })
  .meta({ id: 'CompleteTaskBody' });
export type CompleteTaskBody = z.infer<typeof CompleteTaskBody>;

/** Answer of `POST /v1/tasks/:taskId/complete`. */
export const CompleteTaskResponse = z
  .object({ taskId: z.string(), runId: RunId, status: z.literal('COMPLETED') })
  .meta({ id: 'CompleteTaskResponse' });
export type CompleteTaskResponse = z.infer<typeof CompleteTaskResponse>;
