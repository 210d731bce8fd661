import { Command, InvalidArgumentError, Option } from 'commander';
import { EngineKind, JsonValue, RunStatus, TaskStatus } from '@baton/event-schemas';
import { createApiClient } from './api/baton-api-client.js';
import { resolveApiTarget, type ApiTargetOptions } from './api/resolve-api-target.js';
import { benchCommand } from './commands/bench-command.js';
import { EXIT, type CliIo, type ExitCode } from './commands/cli-io.js';
import { devCommand } from './commands/dev-command.js';
import { eventCommand } from './commands/event-command.js';
import { migrateCommand } from './commands/migrate-command.js';
import { parseJsonOption, UsageError } from './commands/parse-json-option.js';
import { publishCommand } from './commands/publish-command.js';
import { replayCommand } from './commands/replay-command.js';
import { runCommand } from './commands/run-command.js';
import { runsCommand, showCommand } from './commands/runs-command.js';
import { completeTaskCommand, tasksCommand } from './commands/task-commands.js';
import { validateCommand } from './commands/validate-command.js';
import { validateWithModulesCommand } from './commands/validate-modules.js';
import { validateAgainstCatalogCommand } from './commands/validate-url-command.js';
import { actionsCommand } from './commands/actions-command.js';

function jsonValue(option: string): (value: string) => JsonValue {
  return (value) => {
    try {
      const parsed = JsonValue.safeParse(parseJsonOption(option, value));
      if (!parsed.success) throw new InvalidArgumentError('not a JSON value');
      return parsed.data;
    } catch (error) {
      throw new InvalidArgumentError(error instanceof UsageError ? error.message : String(error));
    }
  };
}

function oneOf<T extends string>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, what: string): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`not a ${what}`);
    return parsed.data as T;
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function apiOptions(command: Command): Command {
  return command
    .option('--url <url>', 'ingress URL (default: BATON_URL, the running baton dev, or http://127.0.0.1:7300)')
    .option('--key <key>', 'API key (default: BATON_API_KEY or the running baton dev key)');
}

/**
 * The `baton` command line (SPEC-api "CLI"). `setExitCode` receives each command's exit code,
 * so tests can run commands in-process.
 */
export function createProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = new Command('baton')
    .description('Baton: durable workflows defined as data, on Postgres or Temporal.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    // Set before the subcommands are added, so they inherit it: usage errors exit 2, help exits 0.
    .exitOverride((error) => {
      setExitCode(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
      throw error;
    });
  const done = async (code: Promise<ExitCode> | ExitCode): Promise<void> => setExitCode(await code);
  const client = (opts: ApiTargetOptions) => createApiClient(resolveApiTarget(opts));

  program
    .command('dev')
    .description('start Postgres, Redis and (if available) Temporal on loopback, run migrations, start worker + ingress, publish examples/, print URLs and a dev API key, run a demo')
    .option('--examples <dir>', 'definitions to publish (default: the repository examples/)')
    .option('--no-demo', 'do not start the demo run')
    .option('--no-temporal', 'run the Postgres engine only')
    .option('--logs', 'show worker and ingress logs here instead of .baton/logs/')
    .action((opts: { examples?: string; demo: boolean; temporal: boolean; logs?: boolean }) =>
      done(devCommand({ ...(opts.examples ? { examples: opts.examples } : {}), demo: opts.demo, temporal: opts.temporal, logs: opts.logs ?? false }, io)),
    );

  program
    .command('validate')
    .description('validate definitions (folders: their *.workflow.json), print every issue with its step path, exit 1 on any')
    .argument('<file...>')
    .option('--test-actions', 'accept test.fail@1 and test.flaky@1 (default: BATON_ENABLE_TEST_ACTIONS=1)')
    .option('--url <url>', 'check actions against the live catalog of this ingress (with --key or BATON_API_KEY)')
    .option('--key <key>', 'API key for --url')
    .option('--actions <modules>', 'also accept the actions of these modules, comma separated (default: BATON_ACTIONS)')
    .action((files: string[], opts: { testActions?: boolean; url?: string; key?: string; actions?: string }) => {
      const modules = (opts.actions ?? process.env.BATON_ACTIONS ?? '').split(',').map((m) => m.trim()).filter(Boolean);
      const testActions = opts.testActions ? { testActions: true } : {};
      if (opts.url) return done(validateAgainstCatalogCommand(client(opts), files, io));
      return done(modules.length ? validateWithModulesCommand(files, modules, testActions, io) : validateCommand(files, testActions, io));
    });

  apiOptions(program.command('actions').description('the live action catalog: every action@version and the live workers providing it').option('--json', 'print the API answer')).action(
    (opts: ApiTargetOptions & { json?: boolean }) => done(actionsCommand(client(opts), opts.json ? { json: true } : {}, io)),
  );

  apiOptions(program.command('publish').description('publish definitions to an ingress').argument('<file...>')).action(
    (files: string[], opts: ApiTargetOptions) => done(publishCommand(client(opts), files, io)),
  );

  apiOptions(
    program
      .command('run')
      .description('start a run, follow it and print its step timeline (exit 1 unless it SUCCEEDED)')
      .argument('<workflow>')
      .requiredOption('--input <json>', 'run input as JSON, or @file', jsonValue('--input'))
      .option('--version <semver>', 'exact version (default: the version policy)')
      .addOption(new Option('--engine <engine>', 'engine (default: the engine policy)').choices(EngineKind.options))
      .option('--execution-key <key>', 'idempotency key of the start')
      .option('--no-follow', 'print the run id and return')
      .option('--timeout <ms>', 'stop following after this long', positiveInt),
  ).action((workflow: string, opts: ApiTargetOptions & { input: JsonValue; version?: string; engine?: EngineKind; executionKey?: string; follow: boolean; timeout?: number }) =>
    done(
      runCommand(
        client(opts),
        workflow,
        {
          input: opts.input,
          follow: opts.follow,
          ...(opts.version ? { version: opts.version } : {}),
          ...(opts.engine ? { engine: opts.engine } : {}),
          ...(opts.executionKey ? { executionKey: opts.executionKey } : {}),
          ...(opts.timeout ? { timeoutMs: opts.timeout } : {}),
        },
        io,
      ),
    ),
  );

  // `--key` is the correlation key here (SPEC-api), so the API key is `--api-key`.
  program
    .command('event')
    .description('send an event')
    .argument('<name>')
    .requiredOption('--payload <json>', 'payload as JSON, or @file', jsonValue('--payload'))
    .option('--key <correlationKey>', 'explicit correlation key')
    .option('--id <eventId>', 'event id (default: a random UUID)')
    .option('--url <url>', 'ingress URL (default: BATON_URL, the running baton dev, or http://127.0.0.1:7300)')
    .option('--api-key <key>', 'API key (default: BATON_API_KEY or the running baton dev key)')
    .action((name: string, opts: { url?: string; payload: JsonValue; key?: string; id?: string; apiKey?: string }) =>
    done(
      eventCommand(
        client({ ...(opts.url ? { url: opts.url } : {}), ...(opts.apiKey ? { key: opts.apiKey } : {}) }),
        name,
        { payload: opts.payload, ...(opts.key === undefined ? {} : { key: opts.key }), ...(opts.id ? { id: opts.id } : {}) },
        io,
      ),
    ),
  );

  apiOptions(
    program
      .command('runs')
      .description('list runs, newest first')
      .option('--status <status>', 'RUNNING, WAITING, SUCCEEDED, FAILED or CANCELED', oneOf(RunStatus, 'run status'))
      .option('--workflow <name>', 'only this workflow')
      .addOption(new Option('--engine <engine>', 'only this engine').choices(EngineKind.options))
      .option('--limit <n>', 'page size (default 20)', positiveInt)
      .option('--json', 'print the API answer'),
  ).action((opts: ApiTargetOptions & { status?: RunStatus; workflow?: string; engine?: EngineKind; limit?: number; json?: boolean }) =>
    done(
      runsCommand(
        client(opts),
        {
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.workflow ? { workflow: opts.workflow } : {}),
          ...(opts.engine ? { engine: opts.engine } : {}),
          ...(opts.limit ? { limit: opts.limit } : {}),
          ...(opts.json ? { json: true } : {}),
        },
        io,
      ),
    ),
  );

  apiOptions(program.command('show').description('inspect a run: input, output or error, waits, step timeline').argument('<runId>').option('--json', 'print the API answers')).action(
    (runId: string, opts: ApiTargetOptions & { json?: boolean }) => done(showCommand(client(opts), runId, opts.json ? { json: true } : {}, io)),
  );

  apiOptions(
    program
      .command('tasks')
      .description('list human tasks')
      .option('--status <status>', 'OPEN, COMPLETED or CANCELED', oneOf(TaskStatus, 'task status'))
      .option('--run <runId>', 'only tasks of this run'),
  ).action((opts: ApiTargetOptions & { status?: TaskStatus; run?: string }) =>
    done(tasksCommand(client(opts), { ...(opts.status ? { status: opts.status } : {}), ...(opts.run ? { runId: opts.run } : {}) }, io)),
  );

  apiOptions(
    program
      .command('complete-task')
      .description('complete a human task with a response (checked against its form schema)')
      .argument('<taskId>')
      .requiredOption('--response <json>', 'response as JSON, or @file', jsonValue('--response'))
      .option('--by <who>', 'who completed it'),
  ).action((taskId: string, opts: ApiTargetOptions & { response: JsonValue; by?: string }) =>
    done(completeTaskCommand(client(opts), taskId, { response: opts.response, ...(opts.by ? { by: opts.by } : {}) }, io)),
  );

  program
    .command('replay')
    .description('replay recorded Temporal histories against the current workflow code; exit 1 on any non-determinism')
    .argument('<dir-or-files...>')
    .action((paths: string[]) => done(replayCommand(paths, io)));

  program
    .command('bench')
    .description('run a benchmark scenario (bench/<scenario>/run.ts) and print its table')
    .argument('[scenario]')
    .argument('[args...]')
    .allowUnknownOption()
    .action((scenario: string | undefined, args: string[]) => done(benchCommand(scenario, args, io)));

  program
    .command('migrate')
    .description('apply pending database migrations to DATABASE_URL (schema BATON_DB_SCHEMA, default baton)')
    .action(() => done(migrateCommand(process.env, io)));

  return program;
}
