import type { PgPoolClientLike } from '../database/pg-pool.js';
import type { StepRecord, WorkflowDefinition } from '@baton/event-schemas';
import {
  advance,
  generationLimitState,
  nextGenerationStart,
  planNextGeneration,
  type AdvanceOptions,
  type AdvanceResult,
  type InterpreterCommand,
  type InterpreterState,
} from '@baton/runtime-core';
import type { DefinitionSource } from './definition-source.js';

/** The run's interpreter position plus the definition it runs (which changes at continue-as-new). */
export interface RunCursor {
  state: InterpreterState;
  definition: WorkflowDefinition;
  version: string;
  definitionHash: string;
  /** step records and commands since the last commit */
  readonly steps: StepRecord[];
  readonly commands: InterpreterCommand[];
}

/**
 * Takes an accepted advance result into the cursor and, while the run continued-as-new, starts the
 * next generation as runtime-core plans it (`planNextGeneration`: the version pinned, else the
 * policy; the back-to-back cap fails the run with `CONTINUE_AS_NEW_LIMIT_EXCEEDED`): a `continued`
 * state is never committed, so no commit ever needs the ContinueAsNew command again.
 */
export async function applyResult(
  cursor: RunCursor,
  result: AdvanceResult,
  run: { readonly tenant: string; readonly runKey: string; readonly startedAt: string },
  definitions: DefinitionSource,
  now: () => string,
  options: AdvanceOptions,
  /** the caller's in-transaction connection, for definition reads under a row lock */
  via?: PgPoolClientLike,
): Promise<void> {
  let current = result;
  // Generations started by this one input, each straight from the previous one's Start.
  for (let backToBack = 0; ; ) {
    cursor.state = current.state;
    cursor.steps.push(...current.steps);
    cursor.commands.push(...current.commands);
    const next = current.commands.find((c) => c.type === 'ContinueAsNew');
    if (cursor.state.status !== 'continued' || !next || next.type !== 'ContinueAsNew') return;
    const plan = planNextGeneration(next, { workflow: cursor.state.context.workflow, version: cursor.version, runKey: run.runKey }, backToBack);
    if (plan.kind === 'limit') {
      cursor.state = generationLimitState(cursor.state, plan.error, now());
      return;
    }
    backToBack = plan.backToBack;
    if (!plan.keepCurrent) {
      const published = await definitions.resolve(run.tenant, plan.request.workflow, plan.request.runKey, plan.request.pinVersion !== undefined ? { pinVersion: plan.request.pinVersion } : {}, via);
      cursor.definition = published.definition;
      cursor.version = published.version;
      cursor.definitionHash = published.hash;
    }
    current = await advance(cursor.definition, undefined, nextGenerationStart(cursor.state, next, cursor.version, now()), options);
  }
}
