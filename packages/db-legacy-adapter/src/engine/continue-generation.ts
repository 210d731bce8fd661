import type { PgPoolClientLike } from '../database/pg-pool.js';
import type { StepRecord, WorkflowDefinition } from '@baton/event-schemas';
import { advance, type AdvanceOptions, type AdvanceResult, type InterpreterCommand, type InterpreterState } from '@baton/runtime-core';
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

/** Most generations started back to back by one input (a loop that continues without waiting). */
const MAX_CONSECUTIVE_GENERATIONS = 1000;

/**
 * Takes an accepted advance result into the cursor and, while the run continued-as-new, resolves the
 * next version (pinned, else the policy) and starts the next generation: a `continued` state is
 * never committed, so no commit ever needs the ContinueAsNew command again.
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
  for (let i = 0; ; i++) {
    cursor.state = current.state;
    cursor.steps.push(...current.steps);
    cursor.commands.push(...current.commands);
    const next = current.commands.find((c) => c.type === 'ContinueAsNew');
    if (cursor.state.status !== 'continued' || !next || next.type !== 'ContinueAsNew') return;
    if (i >= MAX_CONSECUTIVE_GENERATIONS) throw new Error(`run continued as new ${i} times without waiting`);
    const context = cursor.state.context;
    const published = await definitions.resolve(run.tenant, context.workflow, run.runKey, next.pinVersion !== undefined ? { pinVersion: next.pinVersion } : {}, via);
    cursor.definition = published.definition;
    cursor.version = published.version;
    cursor.definitionHash = published.hash;
    current = await advance(
      published.definition,
      undefined,
      {
        type: 'Start',
        now: now(),
        context: { ...context, version: published.version, startedAt: run.startedAt },
        input: next.input,
        generation: next.generation,
      },
      options,
    );
  }
}
