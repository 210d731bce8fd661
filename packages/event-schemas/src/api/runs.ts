import { z } from 'zod';
import { WorkflowName, WorkflowVersion } from '../definition/names.js';
import { EngineKind } from '../engine-kind.js';
import { JsonValue } from '../json-value.js';
import { RunStatus } from '../run-status.js';
import { RunWait } from '../run-wait.js';
import { StepRecord } from '../step-record.js';
import { WorkflowError } from '../workflow-error.js';
import { IsoDateTime, RunId, wholeNumber, wholeNumberMessage } from './common.js';
import { RunShadowView } from './shadow.js';
import { StuckReason } from './stuck-runs.js';

/** Longest wait for a run to finish (`GET /v1/runs/:runId?wait=`, `POST /v1/runs` `wait`), in ms. */
export const MAX_RUN_WAIT_MS = 60_000;

/** The message of a bad `wait`, whatever was wrong with it (not a number, fractional, out of range). */
export const RUN_WAIT_MESSAGE = wholeNumberMessage(0, MAX_RUN_WAIT_MS, 'milliseconds');

/** How long a request waits for its run to finish, in ms (at most {@link MAX_RUN_WAIT_MS}). */
const RunWaitMs = wholeNumber(0, MAX_RUN_WAIT_MS, { unit: 'milliseconds' });

/** Body of `POST /v1/runs`. */
export const StartRunBody = z
  .strictObject({
    workflow: WorkflowName,
    version: WorkflowVersion.optional().describe('Exact version; default: the workflow version policy'),
    input: JsonValue.describe('Run input; must satisfy the definition inputSchema (400 otherwise)'),
    executionKey: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .describe('Idempotency of the start: the same key for the same workflow answers 200 with the same run'),
    engine: EngineKind.optional().describe('Engine of the new run; default: the workflow engine policy'),
    wait: RunWaitMs.optional().describe(
      'Wait up to this many ms for the run to finish: 200 with the finished run (the GET /v1/runs/:runId body) when it does, else 201 (or 200 for the same executionKey) as without wait',
    ),
  })
  .meta({ id: 'StartRunBody' });
export type StartRunBody = z.infer<typeof StartRunBody>;

/** Answer of `POST /v1/runs` (201 new, 200 same executionKey). */
export const StartRunResponse = z
  .object({
    runId: RunId,
    workflow: WorkflowName,
    version: WorkflowVersion,
    engine: EngineKind,
    status: RunStatus,
  })
  .meta({ id: 'StartRunResponse' });
export type StartRunResponse = z.infer<typeof StartRunResponse>;

/** Path parameters of `/v1/runs/:runId...`. */
export const RunIdParams = z.object({ runId: RunId });
export type RunIdParams = z.infer<typeof RunIdParams>;

/** Query of `GET /v1/runs/:runId`. */
export const GetRunQuery = z
  .object({
    wait: wholeNumber(0, MAX_RUN_WAIT_MS, { unit: 'milliseconds', coerce: true })
      .optional()
      .describe(`Answer when the run has finished (SUCCEEDED, FAILED, CANCELED) or after this many ms (at most ${MAX_RUN_WAIT_MS}), with its state then`),
  })
  .meta({ id: 'GetRunQuery' });
export type GetRunQuery = z.infer<typeof GetRunQuery>;

/** A run as `GET /v1/runs/:runId` shows it. */
export const RunView = z
  .object({
    runId: RunId,
    workflow: WorkflowName,
    version: WorkflowVersion,
    engine: EngineKind,
    status: RunStatus,
    input: JsonValue,
    output: JsonValue.optional().describe('Present when SUCCEEDED'),
    error: WorkflowError.optional().describe('Present when FAILED (or CANCELED: category Canceled)'),
    waits: z.array(RunWait).describe('Open waits (empty unless WAITING)'),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
    completedAt: IsoDateTime.optional(),
    shadow: RunShadowView.optional().describe('Present on a shadowed run: its shadow on the other engine and how the two compare'),
  })
  .meta({ id: 'RunView' });
export type RunView = z.infer<typeof RunView>;

/** One row of `GET /v1/runs`. */
export const RunSummary = RunView.pick({
  runId: true,
  workflow: true,
  version: true,
  engine: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  completedAt: true,
})
  .extend({ stuckReason: StuckReason.optional().describe('Present with stuck=true: why the run cannot progress') })
  .meta({ id: 'RunSummary' });
export type RunSummary = z.infer<typeof RunSummary>;

/** Query of `GET /v1/runs`. */
export const ListRunsQuery = z
  .object({
    workflow: WorkflowName.optional(),
    status: RunStatus.optional(),
    engine: EngineKind.optional(),
    createdAfter: IsoDateTime.optional().describe('Only runs created at or after this time'),
    createdBefore: IsoDateTime.optional().describe('Only runs created before this time'),
    limit: wholeNumber(1, 200, { coerce: true }).optional().describe('Page size. Default 50'),
    cursor: z.string().optional().describe('nextCursor of the previous page; any other value answers 400 VALIDATION_ERROR with an INVALID_CURSOR issue'),
    stuck: z
      .stringbool({ truthy: ['true'], falsy: ['false'] })
      .optional()
      .describe('true: only runs that cannot progress, each with its stuckReason (status, createdAfter and createdBefore are refused with it)'),
  })
  .meta({ id: 'ListRunsQuery' });
export type ListRunsQuery = z.infer<typeof ListRunsQuery>;

/** Answer of `GET /v1/runs`, newest first. */
export const ListRunsResponse = z
  .object({
    items: z.array(RunSummary),
    nextCursor: z.string().nullable().describe('Pass as cursor for the next page; null on the last page'),
  })
  .meta({ id: 'ListRunsResponse' });
export type ListRunsResponse = z.infer<typeof ListRunsResponse>;

/** Answer of `GET /v1/runs/:runId/steps`, ordered by (generation, seq). */
export const RunStepsResponse = z
  .object({ items: z.array(StepRecord) })
  .meta({ id: 'RunStepsResponse' });
export type RunStepsResponse = z.infer<typeof RunStepsResponse>;

/** Body of `POST /v1/runs/:runId/cancel`. */
export const CancelRunBody = z.strictObject({ reason: z.string().min(1).max(2000) }).meta({ id: 'CancelRunBody' });
export type CancelRunBody = z.infer<typeof CancelRunBody>;

/** Answer of `POST /v1/runs/:runId/cancel`. */
export const CancelRunResponse = z.object({ status: z.literal('CANCELED') }).meta({ id: 'CancelRunResponse' });
export type CancelRunResponse = z.infer<typeof CancelRunResponse>;

/** 202 answer of `POST /v1/runs/:runId/cancel`: Temporal accepted the cancel, the run had not settled in time (its projection follows the workflow). */
export const CancelRequestedResponse = z.object({ status: z.literal('CANCEL_REQUESTED') }).meta({ id: 'CancelRequestedResponse' });
export type CancelRequestedResponse = z.infer<typeof CancelRequestedResponse>;

/** Body of `POST /v1/runs/:runId/retry` (Postgres engine: re-run from the failed step). */
export const RetryRunBody = z.strictObject({ reason: z.string().min(1).max(2000) }).meta({ id: 'RetryRunBody' });
export type RetryRunBody = z.infer<typeof RetryRunBody>;

/** Body of `POST /v1/runs/:runId/resume` (Postgres engine: operator resolves the current wait). */
export const ResumeRunBody = z
  .strictObject({
    reason: z.string().min(1).max(2000),
    response: JsonValue.optional().describe('Event payload or task response used to resolve the wait'),
  })
  .meta({ id: 'ResumeRunBody' });
export type ResumeRunBody = z.infer<typeof ResumeRunBody>;

/** Answer of retry and resume: the run after the operation. */
export const RunControlResponse = z
  .object({ runId: RunId, status: RunStatus })
  .meta({ id: 'RunControlResponse' });
export type RunControlResponse = z.infer<typeof RunControlResponse>;
