import type { EngineKind, RunStatus } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { formatTable } from '../output/format-table.js';
import { formatStepLine, sortSteps } from '../output/step-timeline.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';
import { describeWaits } from './run-command.js';

/** Filters of `baton runs`. */
export interface RunsOptions {
  readonly status?: RunStatus;
  readonly workflow?: string;
  readonly engine?: EngineKind;
  readonly limit?: number;
  /** only the runs that cannot progress, with why (`GET /v1/runs?stuck=true`) */
  readonly stuck?: boolean;
  readonly json?: boolean;
}

/** `baton runs [--status S]`: lists runs, newest first; `--stuck`: the runs that cannot progress, with the reason. */
export async function runsCommand(client: BatonApiClient, options: RunsOptions, io: CliIo): Promise<ExitCode> {
  try {
    const page = await client.listRuns({
      ...(options.stuck ? { stuck: true } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(options.workflow ? { workflow: options.workflow } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
      limit: options.limit ?? 20,
    });
    if (options.json) {
      printJson(io, page);
      return EXIT.ok;
    }
    if (page.items.length === 0) {
      io.out(options.stuck ? 'no stuck runs' : 'no runs');
      return EXIT.ok;
    }
    io.out(
      options.stuck
        ? formatTable(
            ['RUN', 'WORKFLOW', 'ENGINE', 'STATUS', 'REASON', 'DETAIL'],
            page.items.map((r) => [r.runId, `${r.workflow}@${r.version}`, r.engine, r.status, r.stuckReason?.code ?? '', r.stuckReason?.message ?? '']),
          )
        : formatTable(
            ['RUN', 'WORKFLOW', 'ENGINE', 'STATUS', 'CREATED'],
            page.items.map((r) => [r.runId, `${r.workflow}@${r.version}`, r.engine, r.status, r.createdAt]),
          ),
    );
    if (page.nextCursor) io.err(`(more: --limit, or the API with cursor=${page.nextCursor})`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** `baton show <runId>`: the run (input, output or error, open waits) and its step timeline. */
export async function showCommand(client: BatonApiClient, runId: string, options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  try {
    const [run, steps] = await Promise.all([client.getRun(runId), client.listSteps(runId)]);
    if (options.json) {
      printJson(io, { run, steps: steps.items });
      return EXIT.ok;
    }
    io.out(`run       ${run.runId}`);
    io.out(`workflow  ${run.workflow}@${run.version}`);
    io.out(`engine    ${run.engine}`);
    io.out(`status    ${run.status}`);
    io.out(`created   ${run.createdAt}${run.completedAt ? `   completed ${run.completedAt}` : ''}`);
    io.out(`input     ${JSON.stringify(run.input)}`);
    if (run.output !== undefined) io.out(`output    ${JSON.stringify(run.output)}`);
    if (run.error) io.out(`error     ${run.error.category}/${run.error.code} at ${run.error.stepId}: ${run.error.message}`);
    for (const line of describeWaits(run)) io.out(`wait      ${line}`);
    io.out('steps');
    for (const step of sortSteps(steps.items)) io.out(formatStepLine(step, run.createdAt));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
