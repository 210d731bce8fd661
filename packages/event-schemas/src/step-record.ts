import { z } from 'zod';
import { StepType } from './definition/step-type.js';
import { JsonValue } from './json-value.js';
import { WorkflowError } from './workflow-error.js';

/** Status of one executed step. */
export const StepStatus = z.enum(['RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELED']);
export type StepStatus = z.infer<typeof StepStatus>;

const IsoTime = z.iso.datetime({ offset: true });

/**
 * One execution of a step, as the interpreter reports it. `(stepId, iteration)` is unique
 * within a run; `seq` orders records by first start within one generation.
 */
export const StepRecord = z
  .object({
    key: z.string().describe('Unique within the run: "<stepId>@<iteration>"; upsert step rows by it'),
    stepId: z.string().describe('Step id from the definition'),
    stepType: StepType,
    path: z.string().describe('Execution path: enclosing step ids joined by "/", forEach items as "[i]", e.g. "loop[2]/charge"'),
    iteration: z
      .string()
      .describe('Generation and enclosing forEach indexes joined by ".", e.g. "0" or "0.2.1"; part of the default idempotency key'),
    generation: z.number().int().min(0).describe('continueAsNew generation the step ran in (0 = first)'),
    seq: z.number().int().min(0).describe('Order of first start within the generation'),
    status: StepStatus,
    attempt: z.number().int().min(1).describe('Attempt number (1-based, cumulative across operator retries)'),
    startedAt: IsoTime,
    completedAt: IsoTime.optional(),
    output: JsonValue.optional().describe('Step output (action/child output, event, task response)'),
    error: WorkflowError.optional(),
  })
  .meta({ id: 'StepRecord' });
export type StepRecord = z.infer<typeof StepRecord>;
