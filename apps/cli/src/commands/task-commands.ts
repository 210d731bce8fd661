import type { JsonValue, TaskStatus } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { formatTable } from '../output/format-table.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';

/** `baton tasks [--status S] [--run R]`: lists human tasks. */
export async function tasksCommand(client: BatonApiClient, options: { status?: TaskStatus; runId?: string }, io: CliIo): Promise<ExitCode> {
  try {
    const { items } = await client.listTasks({ ...(options.status ? { status: options.status } : {}), ...(options.runId ? { runId: options.runId } : {}) });
    if (items.length === 0) {
      io.out('no tasks');
      return EXIT.ok;
    }
    io.out(formatTable(['TASK', 'RUN', 'TYPE', 'STATUS', 'ASSIGNEE', 'TITLE'], items.map((t) => [t.taskId, t.runId, t.taskType, t.status, t.assignee ?? '-', t.title])));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
}

/** `baton complete-task <taskId> --response <json>`: completes a human task (the form schema is checked by the API). */
export async function completeTaskCommand(client: BatonApiClient, taskId: string, options: { response: JsonValue; by?: string }, io: CliIo): Promise<ExitCode> {
  try {
    const done = await client.completeTask(taskId, options.response, options.by);
    io.out(`task ${done.taskId} ${done.status} (run ${done.runId})`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
}
