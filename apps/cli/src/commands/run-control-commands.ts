import type { JsonValue } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';

/** Reason sent when the user gives none (the API requires one; it is kept in the run's audit trail). */
export const DEFAULT_REASON = 'requested with the baton CLI';

/** Options shared by `baton cancel|retry|resume`. */
export interface RunControlOptions {
  /** why (recorded with the run) @default {@link DEFAULT_REASON} */
  readonly reason?: string;
  readonly json?: boolean;
}

/**
 * `baton cancel <runId>`: cancels a run. 200 `CANCELED`; a Temporal run that has not settled yet
 * answers 202 `CANCEL_REQUESTED` (the run ends CANCELED when the workflow has stopped): both exit 0.
 */
export async function cancelCommand(client: BatonApiClient, runId: string, options: RunControlOptions, io: CliIo): Promise<ExitCode> {
  try {
    const { body } = await client.cancelRun(runId, options.reason ?? DEFAULT_REASON);
    if (options.json) printJson(io, { runId, ...body });
    else io.out(body.status === 'CANCELED' ? `run ${runId} CANCELED` : `run ${runId} CANCEL_REQUESTED (Temporal has not stopped it yet; baton show ${runId} follows it)`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** `baton retry <runId>`: re-runs a FAILED Postgres-engine run from its failed step. */
export async function retryCommand(client: BatonApiClient, runId: string, options: RunControlOptions, io: CliIo): Promise<ExitCode> {
  try {
    const answer = await client.retryRun(runId, options.reason ?? DEFAULT_REASON);
    if (options.json) printJson(io, answer);
    else io.out(`run ${answer.runId} retried: ${answer.status}`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** `baton resume <runId> [--response <json>]`: the operator resolves a Postgres-engine run's current wait. */
export async function resumeCommand(client: BatonApiClient, runId: string, options: RunControlOptions & { response?: JsonValue }, io: CliIo): Promise<ExitCode> {
  try {
    const answer = await client.resumeRun(runId, options.reason ?? DEFAULT_REASON, options.response);
    if (options.json) printJson(io, answer);
    else io.out(`run ${answer.runId} resumed: ${answer.status}`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
