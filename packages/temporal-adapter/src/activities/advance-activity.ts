// The interpreter activity of `localActivity` mode: resolves the run's definition (by tenant,
// name, version and hash, cached), migrates the state to the interpreter's format, advances it and
// echoes the sequence number, packed (`advance-codec.ts`). Interpreter errors (driver misuse, unknown format) cannot succeed on
// a retry: they are non-retryable failures that fail the run.
import { deflateSync } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowDefinition } from '@baton/event-schemas';
import { advance as runtimeAdvance, InterpreterError, migrateState, type Advance, type DefinitionStore, type RunStore } from '@baton/runtime-core';
import type { AdvanceRequest } from '../workflows/activity-contracts.js';
import { advanceDictionary, type AdvanceAnswer } from '../workflows/advance-codec.js';

/** Statuses a Temporal run's projection row may still change from (as in `writeProjection`). */
const UNFINISHED = ['RUNNING', 'WAITING'] as const;

/** Failure type of an interpreter error raised in the interpreter activity (details: `{ code, message, path }`). */
export const INTERPRETER_FAILURE_TYPE = 'InterpreterError';

/** Options of {@link createAdvanceActivity}. */
export interface AdvanceActivityOptions {
  readonly definitions: DefinitionStore;
  /**
   * Where the step records of each advance are written, before the answer (while the run row is
   * unfinished): they then travel in no history event. @default none: they are answered to the workflow
   */
  readonly runs?: RunStore;
  /** The interpreter. @default runtime-core's `advance` */
  readonly advance?: Advance;
  /** Definitions kept in memory (least recently used dropped first). @default 256 */
  readonly cacheSize?: number;
  /** Test-only: replaces the response (e.g. a wrong sequence number). @default none */
  readonly respond?: (request: AdvanceRequest, response: AdvanceAnswer) => AdvanceAnswer;
}

/** Creates `batonAdvance`. */
export function createAdvanceActivity(options: AdvanceActivityOptions): (request: AdvanceRequest) => Promise<Uint8Array> {
  const advance = options.advance ?? runtimeAdvance;
  const cacheSize = options.cacheSize ?? 256;
  const cache = new Map<string, WorkflowDefinition>();

  async function definitionOf(request: AdvanceRequest): Promise<WorkflowDefinition> {
    const { workflow, version, hash } = request.definition;
    const key = `${request.tenant}\u0000${workflow}\u0000${version}\u0000${hash}`;
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const published = await options.definitions.get(request.tenant, workflow, version);
    if (!published || published.hash !== hash) {
      // A published version is immutable: a missing one or another hash will not change on retry.
      throw ApplicationFailure.create({
        type: INTERPRETER_FAILURE_TYPE,
        message: published ? `${workflow}@${version} is published with another hash than the run's ${hash}` : `${workflow}@${version} is not published for tenant ${request.tenant}`,
        nonRetryable: true,
        details: [{ code: 'DEFINITION_MISMATCH', path: 'definition' }],
      });
    }
    cache.set(key, published.definition);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return published.definition;
  }

  return async (request) => {
    const definition = await definitionOf(request);
    let response: AdvanceAnswer;
    try {
      const state = request.state === undefined ? undefined : migrateState(request.state);
      const advanced = await advance(definition, state, request.input, request.options ?? {});
      let result = advanced;
      if (options.runs && advanced.steps.length > 0) {
        // Written here, the steps reach the store before any effect of this advance starts (as a
        // folded projection is written before its action runs) and stay out of the history.
        await options.runs.upsertSteps(request.tenant, request.runId, advanced.steps, { statusIn: UNFINISHED });
        result = { ...advanced, steps: [] };
      }
      response = { sequence: request.sequence, result };
    } catch (error) {
      if (!(error instanceof InterpreterError)) throw error;
      throw ApplicationFailure.create({ type: INTERPRETER_FAILURE_TYPE, message: error.message, nonRetryable: true, details: [{ code: error.code, path: error.path }] });
    }
    const answer = options.respond ? options.respond(request, response) : response;
    // Packed against what the workflow holds (the state before any migration, and the input).
    return deflateSync(JSON.stringify(answer), { level: 9, dictionary: advanceDictionary(request.state, request.input) });
  };
}
