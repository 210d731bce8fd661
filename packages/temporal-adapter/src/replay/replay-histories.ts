import type { HistoryAndWorkflowId } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import { batonWorkflowsPath, resolveTsSources, type InterpreterMode } from '../worker/workflow-bundle.js';

/** Outcome of replaying one history. */
export interface ReplayOutcome {
  readonly workflowId: string;
  readonly runId: string;
  /** The file the history came from, when it was read from one. */
  readonly file?: string;
  /** Absent when the current workflow code replays the history exactly. */
  readonly error?: {
    /** `true` when the code made different decisions than the history recorded (non-determinism). */
    readonly nondeterministic: boolean;
    readonly name: string;
    readonly message: string;
  };
}

/** Progress of a replay, reported after each history. */
export interface ReplayProgress {
  readonly done: number;
  readonly total: number;
  readonly outcome: ReplayOutcome;
}

/** What {@link replayHistories} found: one outcome per history; `error` when the replay worker itself failed. */
export interface ReplayResultSet {
  readonly results: ReplayOutcome[];
  /** Histories whose replay failed. */
  readonly failed: number;
  /** Set when the replay stopped early (the workflow bundle failed to load, a history is malformed). */
  readonly error?: Error;
}

/** Options of {@link replayHistories}. */
export interface ReplayHistoriesOptions {
  /** A prebuilt workflow bundle; built from {@link workflowsPath} when absent. @default undefined */
  readonly workflowBundle?: WorkflowBundle;
  /** Workflow module to replay against. @default batonWorkflowsPath(interpreter) */
  readonly workflowsPath?: string;
  /** Interpreter placement whose Baton workflow module is replayed against (when no bundle or path is given). @default 'workflow' */
  readonly interpreter?: InterpreterMode;
  /** Called after each history. @default undefined */
  readonly onProgress?: (progress: ReplayProgress) => void;
}

/**
 * Replays recorded histories against the current workflow code with `Worker.runReplayHistories`
 * and reports, per history, whether the code still makes the decisions the history recorded.
 */
export async function replayHistories(
  histories: readonly (HistoryAndWorkflowId & { readonly file?: string })[],
  options: ReplayHistoriesOptions = {},
): Promise<ReplayResultSet> {
  const source = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: options.workflowsPath ?? batonWorkflowsPath(options.interpreter), bundlerOptions: { webpackConfigHook: resolveTsSources } };
  const results: ReplayOutcome[] = [];
  let failed = 0;
  try {
    let index = 0;
    for await (const result of Worker.runReplayHistories({ ...source, replayName: 'baton-replay' }, histories)) {
      const file = histories[index]?.file;
      index += 1;
      const outcome: ReplayOutcome = {
        workflowId: result.workflowId,
        runId: result.runId,
        ...(file ? { file } : {}),
        ...(result.error
          ? {
              error: {
                nondeterministic: result.error instanceof DeterminismViolationError,
                name: result.error.name,
                message: result.error.message,
              },
            }
          : {}),
      };
      if (outcome.error) failed += 1;
      results.push(outcome);
      options.onProgress?.({ done: results.length, total: histories.length, outcome });
    }
  } catch (error) {
    return { results, failed, error: error instanceof Error ? error : new Error(String(error)) };
  }
  return { results, failed };
}
