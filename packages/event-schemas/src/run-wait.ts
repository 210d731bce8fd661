import { z } from 'zod';

/** What an open wait of a run is waiting for. */
export const WaitType = z.enum(['EVENT', 'HUMAN_TASK', 'TIMER', 'CHILD_WORKFLOW']);
export type WaitType = z.infer<typeof WaitType>;

/** An open wait of a run: an event, a human task, a durable timer or a child run. */
export const RunWait = z
  .object({
    waitId: z.string().describe('Wait id; the task id for HUMAN_TASK, the timer id for TIMER, the child run id for CHILD_WORKFLOW'),
    type: WaitType,
    stepId: z.string(),
    eventName: z.string().optional().describe('EVENT: the event name waited for'),
    correlationKey: z.string().optional().describe('EVENT: the correlation key waited for'),
    taskType: z.string().optional().describe('HUMAN_TASK: the task type'),
    title: z.string().optional().describe('HUMAN_TASK: the task title'),
    assignee: z.string().optional().describe('HUMAN_TASK: who should complete it'),
    childWorkflow: z.string().optional().describe('CHILD_WORKFLOW: the child workflow name'),
    createdAt: z.iso.datetime({ offset: true }),
    timeoutAt: z.iso.datetime({ offset: true }).optional().describe('When the wait times out (EVENT, HUMAN_TASK) or fires (TIMER)'),
  })
  .meta({ id: 'RunWait' });
export type RunWait = z.infer<typeof RunWait>;
