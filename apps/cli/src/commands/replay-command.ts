import cliProgress from 'cli-progress';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { interpreterOfHistory, readHistoryFiles, replayHistories, type HistoryFile, type InterpreterMode, type ReplayOutcome, type ReplayResultSet } from '@baton/temporal-adapter';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson } from './report-api-error.js';
import type { ReplayInterpreter } from './replay-interpreters.js';

/** Tallies of a replay, for the summary line. */
export interface ReplaySummary {
  readonly total: number;
  readonly passed: number;
  readonly nondeterministic: number;
  readonly otherFailures: number;
}

/** Counts replay outcomes by kind. */
export function summarizeReplay(outcomes: readonly ReplayOutcome[]): ReplaySummary {
  const nondeterministic = outcomes.filter((o) => o.error?.nondeterministic).length;
  const failed = outcomes.filter((o) => o.error).length;
  return { total: outcomes.length, passed: outcomes.length - failed, nondeterministic, otherFailures: failed - nondeterministic };
}

/**
 * `baton replay <dir-or-files...>`: replays recorded Temporal histories against the workflow code
 * of this build (the bundle of the interpreter placement that recorded each history, or the one
 * `--interpreter` names), with a progress bar, then prints a summary and every failure; exits 1
 * when any history does not replay (non-determinism or another replay failure).
 */
export async function replayCommand(paths: readonly string[], options: { json?: boolean; interpreter?: ReplayInterpreter }, io: CliIo): Promise<ExitCode> {
  const fail = (code: string, message: string): ExitCode => {
    io.err(options.json ? JSON.stringify({ error: { code, message } }) : `${code}: ${message}`);
    return EXIT.failed;
  };
  let histories;
  try {
    histories = await readHistoryFiles(paths);
  } catch (error) {
    return fail('UNREADABLE_HISTORY', `cannot read histories: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (histories.length === 0) return fail('NO_HISTORIES', 'no history files (*.json) found');
  try {
    // The replay worker logs every bundle build and state change at INFO; keep the bar readable.
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // a runtime is already installed in this process
  }
  const bar = new cliProgress.SingleBar(
    // `--json`: no bar unless stderr is a terminal (a pipe gets the JSON summary only).
    { format: 'replay [{bar}] {value}/{total} histories  {failed} failed  {file}', stream: process.stderr, noTTYOutput: !io.interactive && !options.json, notTTYSchedule: 2000, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(histories.length, 0, { failed: 0, file: '' });
  let failed = 0;
  let done = 0;
  const chosen = options.interpreter ?? 'auto';
  const groups = new Map<InterpreterMode, HistoryFile[]>();
  for (const history of histories) {
    const mode = chosen === 'auto' ? interpreterOfHistory(history.history) : chosen;
    groups.set(mode, [...(groups.get(mode) ?? []), history]);
  }
  const interpreterOf = new Map<string, InterpreterMode>();
  const results: ReplayOutcome[] = [];
  let stopped: Error | undefined;
  // One replay per placement, each against that placement's bundle (a group stops at its first broken history).
  for (const [interpreter, group] of groups) {
    for (const history of group) interpreterOf.set(history.file, interpreter);
    const replayed: ReplayResultSet = await replayHistories(group, {
      interpreter,
      onProgress: ({ outcome }) => {
        done += 1;
        if (outcome.error) failed += 1;
        bar.update(done, { failed, file: outcome.file ?? outcome.workflowId });
      },
    });
    results.push(...replayed.results);
    stopped ??= replayed.error;
  }
  const result = { results, ...(stopped ? { error: stopped } : {}) };
  bar.stop();
  const summary = summarizeReplay(result.results);
  const notRun = histories.length - result.results.length;
  const ok = summary.passed === histories.length && !result.error;
  if (options.json) {
    const failures = result.results
      .filter((o) => o.error)
      .map((o) => ({
        file: o.file,
        workflowId: o.workflowId,
        interpreter: interpreterOf.get(o.file ?? ''),
        nondeterministic: Boolean(o.error?.nondeterministic),
        name: o.error?.name,
        message: o.error?.message,
      }));
    const interpreters = Object.fromEntries([...groups].map(([mode, group]) => [mode, group.length]));
    printJson(io, { ...summary, histories: histories.length, notReplayed: notRun, interpreters, failures, ...(result.error ? { stoppedEarly: result.error.message } : {}) });
    if (!ok) fail(summary.nondeterministic ? 'NON_DETERMINISM' : 'REPLAY_FAILED', `${summary.total - summary.passed + notRun} of ${histories.length} histories did not replay`);
    return ok ? EXIT.ok : EXIT.failed;
  }
  for (const outcome of result.results.filter((o) => o.error)) {
    const bundle = interpreterOf.get(outcome.file ?? '');
    io.out(`${outcome.error?.nondeterministic ? 'NON-DETERMINISTIC' : 'FAILED'}  ${outcome.file ?? outcome.workflowId} (${bundle} bundle): ${outcome.error?.name}: ${outcome.error?.message}`);
  }
  if (result.error) io.out(`replay stopped early: ${result.error.message}`);
  const against = [...groups].map(([mode, group]) => `${group.length} on the ${mode} bundle`).join(', ');
  io.out(
    `replayed ${summary.total} of ${histories.length} histories (${against}): ${summary.passed} ok, ${summary.nondeterministic} non-deterministic, ${summary.otherFailures} other failures${notRun ? `, ${notRun} not replayed` : ''}`,
  );
  return ok ? EXIT.ok : EXIT.failed;
}
