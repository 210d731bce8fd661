import type { EngineKind, JsonValue, RunView, StartRunResponse } from '@baton/event-schemas';
import type { ApiAnswer, BatonApiClient } from '../api/baton-api-client.js';
import { FOLLOW_SLICE_MS, followRun, formatRunHeadline, formatStepLine, sortSteps } from '../output/step-timeline.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';

/** Options of `baton run`. */
export interface RunOptions {
  readonly input: JsonValue;
  readonly version?: string;
  readonly engine?: EngineKind;
  readonly executionKey?: string;
  /** follow the run and print its step timeline @default true */
  readonly follow?: boolean;
  /** stop following after this long @default no limit */
  readonly timeoutMs?: number;
  /** print the start answer (`--no-follow`) or the finished run with its steps as JSON, no timeline */
  readonly json?: boolean;
}

/** Prints what an open wait needs, so a user knows how to move the run on. */
export function describeWaits(run: RunView): string[] {
  return run.waits.map((wait) => {
    switch (wait.type) {
      case 'EVENT':
        return `waiting for event ${wait.eventName} with correlation key "${wait.correlationKey}" (baton event ${wait.eventName} --correlation-key ${wait.correlationKey} --payload '{...}')`;
      case 'HUMAN_TASK':
        return `waiting for human task ${wait.waitId} "${wait.title ?? wait.taskType}" (baton task complete ${wait.waitId} --response '{...}')`;
      case 'TIMER':
        return `waiting for a timer until ${wait.timeoutAt ?? '?'}`;
      case 'CHILD_WORKFLOW':
        return `waiting for child run ${wait.waitId} (${wait.childWorkflow ?? ''})`;
    }
  });
}

/** Prints the end of a followed run: output or error; the exit code says whether it SUCCEEDED. */
export function reportFinishedRun(run: RunView, io: CliIo): ExitCode {
  io.out(formatRunHeadline(run));
  if (run.status === 'SUCCEEDED') {
    io.out(JSON.stringify(run.output ?? null, null, 2));
    return EXIT.ok;
  }
  if (run.error) io.out(`${run.error.category}/${run.error.code} at ${run.error.stepId}: ${run.error.message}`);
  if (run.status === 'RUNNING' || run.status === 'WAITING') io.err(`stopped following: the run is still ${run.status}`);
  return EXIT.failed;
}

/** Follows a run, printing each step change as a timeline line; resolves with the final view. */
export async function printRunTimeline(client: BatonApiClient, runId: string, io: CliIo, options: { timeoutMs?: number; signal?: AbortSignal; initial?: RunView } = {}): Promise<RunView> {
  let printedWaits = '';
  return followRun(client, runId, {
    ...options,
    onStep: (step, run) => io.out(formatStepLine(step, run.createdAt)),
    onStatus: (run) => {
      if (run.status !== 'WAITING') return;
      const waits = describeWaits(run).join('\n');
      if (waits && waits !== printedWaits) {
        printedWaits = waits;
        for (const line of describeWaits(run)) io.err(`          ${line}`);
      }
    },
  });
}

/**
 * Starts the run; when it is followed, with `"wait"` so a run that finishes within the first slice is
 * answered finished by the start itself. With an `executionKey` the start is sent without `wait`: only
 * its 201/200 tells a new run from an existing one, and a finished answer would not.
 */
async function start(client: BatonApiClient, body: Parameters<BatonApiClient['startRun']>[0], waitMs: number | undefined): Promise<{ answer: ApiAnswer<StartRunResponse>; finished?: RunView }> {
  if (waitMs === undefined || body.executionKey !== undefined) return { answer: await client.startRun(body) };
  const answer = await client.startRunWaiting(body, waitMs);
  return 'finished' in answer ? { answer: { status: 201, body: answer.finished }, finished: answer.finished } : { answer };
}

/** `baton run <workflow> --input <json>`: starts a run, follows it and prints its step timeline. */
export async function runCommand(client: BatonApiClient, workflow: string, options: RunOptions, io: CliIo): Promise<ExitCode> {
  try {
    const began = performance.now();
    const follow = options.follow !== false;
    const { answer, finished } = await start(
      client,
      {
        workflow,
        input: options.input,
        ...(options.version ? { version: options.version } : {}),
        ...(options.engine ? { engine: options.engine } : {}),
        ...(options.executionKey ? { executionKey: options.executionKey } : {}),
      },
      follow ? Math.min(FOLLOW_SLICE_MS, options.timeoutMs ?? Infinity) : undefined,
    );
    const { status, body } = answer;
    const following = {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: Math.max(0, options.timeoutMs - (performance.now() - began)) }),
      ...(finished ? { initial: finished } : {}),
    };
    if (options.json) {
      if (!follow) {
        printJson(io, { ...body, created: status === 201 });
        return EXIT.ok;
      }
      const run = await followRun(client, body.runId, { ...following, onStep: () => undefined });
      printJson(io, { run, steps: sortSteps((await client.listSteps(run.runId)).items) });
      return run.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
    }
    io.out(`${status === 201 ? 'started' : 'existing'} ${formatRunHeadline(body)}`);
    if (!follow) return EXIT.ok;
    const run = await printRunTimeline(client, body.runId, io, following);
    return reportFinishedRun(run, io);
  } catch (error) {
    return reportError(error, io, options);
  }
}
