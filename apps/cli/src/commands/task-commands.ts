import type { JsonValue, TaskStatus } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { formatTable } from '../output/format-table.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';

/** Options of `baton tasks`. */
export interface TasksOptions {
  readonly status?: TaskStatus;
  readonly runId?: string;
  readonly json?: boolean;
}

/** `baton tasks [--status S] [--run R]`: lists human tasks. */
export async function tasksCommand(client: BatonApiClient, options: TasksOptions, io: CliIo): Promise<ExitCode> {
  try {
    const answer = await client.listTasks({ ...(options.status ? { status: options.status } : {}), ...(options.runId ? { runId: options.runId } : {}) });
    if (options.json) {
      printJson(io, answer);
      return EXIT.ok;
    }
    if (answer.items.length === 0) {
      io.out('no tasks');
      return EXIT.ok;
    }
    io.out(formatTable(['TASK', 'RUN', 'TYPE', 'STATUS', 'ASSIGNEE', 'TITLE'], answer.items.map((t) => [t.taskId, t.runId, t.taskType, t.status, t.assignee ?? '-', t.title])));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** Options of `baton task complete`. */
export interface CompleteTaskOptions {
  readonly response: JsonValue;
  /** who completed it @default the API key's tenant */
  readonly by?: string;
  readonly json?: boolean;
}

/** `baton task complete <taskId> --response <json>`: completes a human task (the API checks the response against its form schema). */
export async function completeTaskCommand(client: BatonApiClient, taskId: string, options: CompleteTaskOptions, io: CliIo): Promise<ExitCode> {
  try {
    const done = await client.completeTask(taskId, options.response, options.by);
    if (options.json) printJson(io, done);
    else io.out(`task ${done.taskId} ${done.status} (run ${done.runId})`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
