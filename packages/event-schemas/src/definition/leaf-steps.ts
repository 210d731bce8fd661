import { z } from 'zod';
import { JsonValue } from '../json-value.js';
import { Expr, StringOrExpr, ValueTemplate } from './expr.js';
import { ActionName, ActionVersion, DurationMs, EventName, StepId, VarPath, WorkflowName } from './names.js';
import { RetryPolicy } from './retry-policy.js';

/** A timeout in milliseconds: a positive integer, or an expression evaluated when the step starts. */
export const TimeoutMs = z.union([DurationMs, Expr]).describe('Timeout in ms (number or expression)');
export type TimeoutMs = z.infer<typeof TimeoutMs>;

/** Fields every step has. */
export const stepBase = {
  id: StepId,
  description: z.string().max(2000).optional().describe('Free text for humans'),
};

/** What happens when an action.call step fails after its retries. */
export const OnError = z.enum(['fail', 'continue']).describe('"continue": record the step FAILED and go on. Default "fail"');
export type OnError = z.infer<typeof OnError>;

/** `action.call`: run a registered action with the resolved input. */
export const ActionCallStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('action.call'),
    action: ActionName,
    actionVersion: ActionVersion,
    input: ValueTemplate.optional().describe('Action input (value template). Default null'),
    saveAs: VarPath.optional().describe('Where the action output is stored, e.g. "vars.charge"'),
    retry: RetryPolicy.optional(),
    timeoutMs: TimeoutMs.optional().describe('Per-attempt timeout in ms (number or expression); elapsed = TimeoutError'),
    idempotencyKey: StringOrExpr.optional().describe('Idempotency key (prefixed by the tenant). Default "{runId}:{stepId}:{iteration}"'),
    onError: OnError.optional(),
  })
  .describe('Run a registered action; its output goes to saveAs')
  .meta({ id: 'ActionCallStep' });
export type ActionCallStep = z.infer<typeof ActionCallStep>;

/** `transform.assign`: set variables, in key order (each sees the previous assignments). */
export const TransformAssignStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('transform.assign'),
    assign: z
      .record(VarPath, ValueTemplate)
      .refine((r) => Object.keys(r).length > 0, 'assign needs at least one entry')
      .describe('Map of write target (under vars.) to value template'),
  })
  .describe('Set workflow variables')
  .meta({ id: 'TransformAssignStep' });
export type TransformAssignStep = z.infer<typeof TransformAssignStep>;

/** `control.callWorkflow`: start a child run on the same engine and wait for its output. */
export const CallWorkflowStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('control.callWorkflow'),
    workflow: WorkflowName,
    version: z.string().min(1).optional().describe('Semver range of the child version. Default: the child workflow version policy'),
    input: ValueTemplate.optional().describe('Child run input (value template). Default null'),
    saveAs: VarPath.optional().describe('Where the child output is stored'),
  })
  .describe('Start a child run on the same engine and wait for its output')
  .meta({ id: 'CallWorkflowStep' });
export type CallWorkflowStep = z.infer<typeof CallWorkflowStep>;

/** `control.return`: finish the run SUCCEEDED. */
export const ReturnStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('control.return'),
    output: ValueTemplate.optional().describe('Run output (value template). Default: vars'),
  })
  .describe('Finish the run SUCCEEDED with this output')
  .meta({ id: 'ReturnStep' });
export type ReturnStep = z.infer<typeof ReturnStep>;

/** `control.fail`: raise a catchable error; uncaught, the run ends FAILED. */
export const FailStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('control.fail'),
    code: z.string().min(1).max(200).describe('Error code, e.g. "INVOICE_REJECTED"'),
    message: StringOrExpr.describe('Error message (string or expression)'),
  })
  .describe('Fail the run (catchable by an enclosing tryCatch)')
  .meta({ id: 'FailStep' });
export type FailStep = z.infer<typeof FailStep>;

/** `control.continueAsNew`: restart with fresh history and new input. */
export const ContinueAsNewStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('control.continueAsNew'),
    input: ValueTemplate.optional().describe('Input of the next generation (value template). Default: the current run input'),
    pinVersion: z.boolean().optional().describe('Keep the current version instead of re-resolving the version policy. Default false'),
  })
  .describe('Restart the run with fresh history and new input')
  .meta({ id: 'ContinueAsNewStep' });
export type ContinueAsNewStep = z.infer<typeof ContinueAsNewStep>;

/** Where the event inbox window of an `event.wait` starts (SPEC-dsl "Event inbox"). */
export const EventWaitSince = z.enum(['runStart', 'waitStart']).meta({ id: 'EventWaitSince' });
export type EventWaitSince = z.infer<typeof EventWaitSince>;

/** `event.wait`: wait for a routed event whose filter is true. */
export const EventWaitStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('event.wait'),
    eventName: EventName,
    correlationKey: z.union([z.string().min(1), Expr]).describe('Correlation key the event must carry (string or expression)'),
    filter: Expr.optional().describe('Boolean expression over `event`; the wait resumes only when it is true'),
    timeoutMs: TimeoutMs.optional().describe('Elapsed without a matching event = TimeoutError (number or expression)'),
    saveAs: VarPath.optional().describe('Where the event {eventId, eventName, correlationKey, payload} is stored'),
    since: EventWaitSince.optional().describe(
      'Oldest event the wait takes from the event inbox: "runStart" (events received since the run started) or "waitStart" (only events received after the wait opened). Default "runStart"',
    ),
  })
  .describe('Wait for a routed event')
  .meta({ id: 'EventWaitStep' });
export type EventWaitStep = z.infer<typeof EventWaitStep>;

/** `time.wait`: a durable timer, by duration or until a time. */
export const TimeWaitStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('time.wait'),
    durationMs: z.union([z.number().int().min(0), Expr]).optional().describe('Sleep duration in ms (number or expression)'),
    until: z.union([z.iso.datetime({ offset: true }), Expr]).optional().describe('ISO-8601 time to sleep until (string or expression)'),
  })
  .refine((s) => (s.durationMs === undefined) !== (s.until === undefined), {
    message: 'time.wait needs exactly one of durationMs or until',
  })
  .describe('Durable timer: exactly one of durationMs or until')
  .meta({ id: 'TimeWaitStep' });
export type TimeWaitStep = z.infer<typeof TimeWaitStep>;

/** `human.task`: open a task; the completion response must satisfy `formSchema`. */
export const HumanTaskStep = z
  .strictObject({
    ...stepBase,
    type: z.literal('human.task'),
    taskType: z.string().min(1).max(200).describe('Kind of task, e.g. "approval"'),
    title: StringOrExpr.describe('Title shown to the assignee (string or expression)'),
    formSchema: z
      .union([z.record(z.string(), JsonValue), z.boolean()])
      .optional()
      .describe('JSON Schema (2020-12) the completion response must satisfy'),
    assignee: StringOrExpr.optional().describe('Who should complete the task (string or expression)'),
    timeoutMs: TimeoutMs.optional().describe('Elapsed without completion = TimeoutError (number or expression)'),
    saveAs: VarPath.optional().describe('Where the completion response is stored'),
  })
  .describe('Open a human task and wait for its completion')
  .meta({ id: 'HumanTaskStep' });
export type HumanTaskStep = z.infer<typeof HumanTaskStep>;
