import { Command, Option } from 'commander';
import { EngineKind, type EnginePolicy, type JsonValue, RunStatus, TaskStatus, type VersionPolicy } from '@baton/event-schemas';
import { createApiClient } from './api/baton-api-client.js';
import { resolveApiTarget, type ApiTargetOptions } from './api/resolve-api-target.js';
import { EXIT, type CliIo, type ExitCode } from './commands/cli-io.js';
import {
  benchCommand,
  cancelCommand,
  completeTaskCommand,
  devCommand,
  eventCommand,
  migrateCommand,
  policyCommand,
  publishCommand,
  replayCommand,
  resumeCommand,
  retryCommand,
  runCommand,
  runsCommand,
  showCommand,
  tasksCommand,
  validateCommand,
  validateAgainstCatalogCommand,
  validateWithModulesCommand,
  actionsCommand,
  secretsSetCommand,
  secretsListCommand,
  secretsDeleteCommand,
  rolloutStatusCommand,
  rolloutSetCommand,
  rolloutRollbackCommand,
  shadowCommand,
  upgradePlanCommand,
  retireCommand,
  deploymentsCommand,
  drainCommand,
  upgradeApplyCommand,
  upgradeAuditCommand,
} from './commands/lazy-commands.js';
import { REPLAY_INTERPRETERS, type ReplayInterpreter } from './commands/replay-interpreters.js';
import type { SecretValueSource } from './commands/secret-commands.js';
import { parseEnginePolicy, parseVersionPolicy } from './commands/policy-options.js';
import { jsonValue, oneOf, percent, positiveInt, usageParser, withApi, withJson } from './program-options.js';

type Json = { json?: boolean };
/** Keeps the options whose value is not undefined (commander leaves absent options undefined). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Options of {@link createProgram}. */
export interface ProgramOptions {
  /** where `secrets set` reads its value (tests) @default the `--value-file`, else stdin */
  readonly readSecretValue?: (valueFile: string | undefined) => SecretValueSource;
}

const defaultSecretValue =
  (valueFile: string | undefined): SecretValueSource =>
  async () =>
    (await import('./commands/secret-commands.js')).secretValueSource(valueFile)();

/**
 * The `baton` command line (SPEC-api "CLI"). `setExitCode` receives each command's exit code,
 * so tests can run commands in-process. Exit codes: 0 done, 1 failed (an API error, an invalid
 * definition, a run that did not succeed), 2 usage.
 */
export function createProgram(io: CliIo, setExitCode: (code: ExitCode) => void, options: ProgramOptions = {}): Command {
  const program = new Command('baton')
    .description('Baton: durable workflows defined as data, on Postgres or Temporal.')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    // Set before the subcommands are added, so they inherit it: usage errors exit 2, help exits 0.
    .exitOverride((error) => {
      setExitCode(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
      throw error;
    });
  program.addHelpText('after', '\nEvery command takes --json. API commands find the ingress by --url/--key, else BATON_URL/BATON_API_KEY, else the running baton dev.');
  const done = async (code: Promise<ExitCode> | ExitCode): Promise<void> => setExitCode(await code);
  const client = (opts: ApiTargetOptions) => createApiClient(resolveApiTarget(defined({ url: opts.url, key: opts.key })));

  // Local commands.
  withJson(
    program
      .command('dev')
      .description('start Postgres, Redis and (if available) Temporal on loopback, run migrations, start worker + ingress, publish examples/, print URLs and a dev API key, run a demo')
      .option('--examples <dir>', 'definitions to publish (default: the repository examples/)')
      .option('--no-demo', 'do not start the demo run')
      .option('--no-temporal', 'run the Postgres engine only')
      .option('--logs', 'show worker and ingress logs here instead of .baton/logs/'),
  ).action((opts: Json & { examples?: string; demo: boolean; temporal: boolean; logs?: boolean }) =>
    done(devCommand({ ...defined({ examples: opts.examples, json: opts.json }), demo: opts.demo, temporal: opts.temporal, logs: opts.logs ?? false }, io)),
  );

  withJson(
    program
      .command('validate')
      .description('validate definitions (folders: their *.workflow.json) and print every issue with its step path; exit 1 on any')
      .argument('<file...>')
      .option('--test-actions', 'accept test.fail@1 and test.flaky@1 (default: BATON_ENABLE_TEST_ACTIONS=1)')
      .option('--url <url>', 'check actions against the live catalog of this ingress (with --key or BATON_API_KEY)')
      .option('--key <key>', 'API key for --url')
      .option('--actions <modules>', 'also accept the actions of these modules, comma separated (default: BATON_ACTIONS)'),
  ).action((files: string[], opts: Json & { testActions?: boolean; url?: string; key?: string; actions?: string }) => {
    const modules = (opts.actions ?? process.env.BATON_ACTIONS ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    const options = defined({ testActions: opts.testActions || undefined, json: opts.json });
    if (opts.url) return done(validateAgainstCatalogCommand(client(opts), files, options, io));
    return done(modules.length ? validateWithModulesCommand(files, modules, options, io) : validateCommand(files, options, io));
  });

  withApi(program.command('actions').description('the live action catalog: every action@version and the live workers providing it')).action(
    (opts: ApiTargetOptions & Json) => done(actionsCommand(client(opts), defined({ json: opts.json }), io)),
  );

  // Definitions and runs.
  withApi(program.command('publish').description('publish definitions (folders: their *.workflow.json) to the ingress').argument('<file...>')).action(
    (files: string[], opts: ApiTargetOptions & Json) => done(publishCommand(client(opts), files, defined({ json: opts.json }), io)),
  );

  withApi(
    program
      .command('run')
      .description('start a run, follow it and print its step timeline; exit 1 unless it SUCCEEDED')
      .argument('<workflow>')
      .requiredOption('--input <json>', 'run input as JSON, or @file', jsonValue('--input'))
      .option('--version <semver>', 'exact version (default: the version policy)')
      .addOption(new Option('--engine <engine>', 'engine (default: the engine policy)').choices(EngineKind.options))
      .option('--execution-key <key>', 'idempotency key of the start')
      .option('--no-follow', 'print the run id and return')
      .option('--timeout <ms>', 'stop following after this long (exit 1)', positiveInt),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { input: JsonValue; version?: string; engine?: EngineKind; executionKey?: string; follow: boolean; timeout?: number }) =>
    done(
      runCommand(
        client(opts),
        workflow,
        { input: opts.input, follow: opts.follow, ...defined({ version: opts.version, engine: opts.engine, executionKey: opts.executionKey, timeoutMs: opts.timeout, json: opts.json }) },
        io,
      ),
    ),
  );

  withApi(
    program
      .command('runs')
      .description('list runs, newest first; --stuck: the runs that cannot progress, with the reason')
      .option('--stuck', 'only runs that cannot progress (e.g. waiting for an action no live worker provides), each with its reason')
      .option('--status <status>', RunStatus.options.join(', '), oneOf(RunStatus))
      .option('--workflow <name>', 'only this workflow')
      .addOption(new Option('--engine <engine>', 'only this engine').choices(EngineKind.options))
      .option('--limit <n>', 'page size (default 20)', positiveInt),
  ).action((opts: ApiTargetOptions & Json & { stuck?: boolean; status?: RunStatus; workflow?: string; engine?: EngineKind; limit?: number }) =>
    done(
      runsCommand(client(opts), defined({ stuck: opts.stuck, status: opts.status, workflow: opts.workflow, engine: opts.engine, limit: opts.limit, json: opts.json }), io),
    ),
  );

  withApi(program.command('show').description('inspect a run: input, output or error, open waits, step timeline').argument('<runId>')).action(
    (runId: string, opts: ApiTargetOptions & Json) => done(showCommand(client(opts), runId, defined({ json: opts.json }), io)),
  );

  // Run control.
  const reason = (command: Command) => command.option('--reason <text>', 'why (kept with the run; default: "requested with the baton CLI")');
  withApi(reason(program.command('cancel').description('cancel a run (a Temporal run that has not stopped yet answers CANCEL_REQUESTED; exit 0)').argument('<runId>'))).action(
    (runId: string, opts: ApiTargetOptions & Json & { reason?: string }) => done(cancelCommand(client(opts), runId, defined({ reason: opts.reason, json: opts.json }), io)),
  );
  withApi(reason(program.command('retry').description('re-run a FAILED run from its failed step (Postgres engine)').argument('<runId>'))).action(
    (runId: string, opts: ApiTargetOptions & Json & { reason?: string }) => done(retryCommand(client(opts), runId, defined({ reason: opts.reason, json: opts.json }), io)),
  );
  withApi(
    reason(
      program
        .command('resume')
        .description("resolve a run's current wait as an operator (Postgres engine)")
        .argument('<runId>')
        .option('--response <json>', 'event payload or task response that resolves the wait, as JSON or @file', jsonValue('--response')),
    ),
  ).action((runId: string, opts: ApiTargetOptions & Json & { reason?: string; response?: JsonValue }) =>
    done(resumeCommand(client(opts), runId, defined({ reason: opts.reason, response: opts.response, json: opts.json }), io)),
  );

  // Events and human tasks.
  withApi(
    program
      .command('event')
      .description('send an event and print the runs it resumed or started')
      .argument('<name>')
      .requiredOption('--payload <json>', 'payload as JSON, or @file', jsonValue('--payload'))
      .option('--correlation-key <key>', 'explicit correlation key (default: derived from the payload by the ingress configuration)')
      .option('--id <eventId>', 'event id, for deduplication (default: a random UUID)'),
  ).action((name: string, opts: ApiTargetOptions & Json & { payload: JsonValue; correlationKey?: string; id?: string }) =>
    done(eventCommand(client(opts), name, { payload: opts.payload, ...defined({ correlationKey: opts.correlationKey, id: opts.id, json: opts.json }) }, io)),
  );

  withApi(
    program
      .command('tasks')
      .description('list human tasks')
      .option('--status <status>', TaskStatus.options.join(', '), oneOf(TaskStatus))
      .option('--run <runId>', 'only tasks of this run'),
  ).action((opts: ApiTargetOptions & Json & { status?: TaskStatus; run?: string }) =>
    done(tasksCommand(client(opts), defined({ status: opts.status, runId: opts.run, json: opts.json }), io)),
  );

  const completeTask = (command: Command) =>
    withApi(
      command
        .description('complete a human task with a response (checked against its form schema)')
        .argument('<taskId>')
        .requiredOption('--response <json>', 'response as JSON, or @file', jsonValue('--response'))
        .option('--by <who>', 'who completed it (default: the API key tenant)'),
    ).action((taskId: string, opts: ApiTargetOptions & Json & { response: JsonValue; by?: string }) =>
      done(completeTaskCommand(client(opts), taskId, { response: opts.response, ...defined({ by: opts.by, json: opts.json }) }, io)),
    );
  const task = program.command('task').description('act on one human task (task complete <taskId> --response <json>)');
  completeTask(task.command('complete'));
  // The earlier spelling, kept working (not listed).
  completeTask(program.command('complete-task', { hidden: true }));

  // Secrets: write-only values for {"$secret": name} action inputs.
  const secrets = program.command('secrets').description('tenant secrets for {"$secret": name} action inputs: set, list, delete (values are never shown)');
  withApi(
    secrets
      .command('set')
      .description('create or replace a secret; the value is read from stdin (or --value-file), never from the command line')
      .argument('<name>')
      .option('--value-file <path>', 'read the value from this file (one trailing newline is dropped)'),
  ).action((name: string, opts: ApiTargetOptions & Json & { valueFile?: string }) =>
    done(secretsSetCommand(client(opts), name, defined({ json: opts.json }), options.readSecretValue?.(opts.valueFile) ?? defaultSecretValue(opts.valueFile), io)),
  );
  withApi(secrets.command('list').description("the tenant's secret names and when each was written")).action((opts: ApiTargetOptions & Json) =>
    done(secretsListCommand(client(opts), defined({ json: opts.json }), io)),
  );
  withApi(secrets.command('delete').description('delete a secret').argument('<name>')).action((name: string, opts: ApiTargetOptions & Json) =>
    done(secretsDeleteCommand(client(opts), name, defined({ json: opts.json }), io)),
  );

  // Policies.
  withApi(
    program
      .command('policy')
      .description("show a workflow's versions and policy, or set its engine and version policy (the part not given keeps its value)")
      .argument('<workflow>')
      .option('--engine <policy>', 'db, temporal, or percent:<0-100> (that share of new runs to Temporal)', usageParser(parseEnginePolicy))
      .option('--version-policy <policy>', 'latest, exact:<version>, or weighted:<json> (e.g. weighted:{"1.0.0":90,"1.1.0":10}, or weighted:@file)', usageParser(parseVersionPolicy)),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { engine?: EnginePolicy; versionPolicy?: VersionPolicy }) =>
    done(policyCommand(client(opts), workflow, defined({ engine: opts.engine, versionPolicy: opts.versionPolicy, json: opts.json }), io)),
  );

  // Retired definition versions (issue 18).
  withApi(
    program
      .command('retire')
      .description('retire a published version: no new run gets it (an explicit start of it answers WORKFLOW_VERSION_RETIRED); its runs keep running and show in runs --stuck')
      .argument('<workflow>')
      .argument('<version>')
      .option('--reason <text>', 'why (kept with the version)'),
  ).action((workflow: string, version: string, opts: ApiTargetOptions & Json & { reason?: string }) =>
    done(retireCommand(client(opts), workflow, version, defined({ reason: opts.reason, json: opts.json }), io)),
  );

  // Gated rollout to Temporal and the shadow report (issue 17).
  const rollout = program.command('rollout').description("a workflow's rollout to Temporal: status, set the Temporal share (gated), roll back");
  withApi(rollout.command('status').description('engine policy, shadow, rollout gate, rollback rule, shadow report figures and the policy history').argument('<workflow>')).action(
    (workflow: string, opts: ApiTargetOptions & Json) => done(rolloutStatusCommand(client(opts), workflow, defined({ json: opts.json }), io)),
  );
  withApi(
    rollout
      .command('set')
      .description("set Temporal's share of new runs; raising it past an unmet rollout gate is refused (ROLLOUT_GATE_NOT_MET, with the measured figures) unless --force")
      .argument('<workflow>')
      .requiredOption('--temporal-percent <n>', 'share of new runs sent to Temporal, 0-100', percent)
      .option('--force', 'raise it even though the rollout gate is not met (recorded as forced in the policy history)')
      .option('--reason <text>', 'why (recorded in the policy history)'),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { temporalPercent: number; force?: boolean; reason?: string }) =>
    done(rolloutSetCommand(client(opts), workflow, { temporalPercent: opts.temporalPercent, ...defined({ force: opts.force, reason: opts.reason, json: opts.json }) }, io)),
  );
  withApi(
    rollout
      .command('rollback')
      .description("set Temporal's share of new runs to 0 (running runs keep their engine), recorded in the policy history")
      .argument('<workflow>')
      .option('--reason <text>', 'why (recorded in the policy history; default "manual")'),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { reason?: string }) =>
    done(rolloutRollbackCommand(client(opts), workflow, defined({ reason: opts.reason, json: opts.json }), io)),
  );
  withApi(program.command('shadow').description("a workflow's shadow report: comparisons, discrepancy rate, latency, and each difference").argument('<workflow>')).action(
    (workflow: string, opts: ApiTargetOptions & Json) => done(shadowCommand(client(opts), workflow, defined({ json: opts.json }), io)),
  );

  // Definition upgrades (issue 18): plan, apply (move the MOVES_NOW runs), audit.
  const upgrade = program.command('upgrade').description("move a workflow's in-flight runs to another version: plan, apply, audit");
  withApi(
    upgrade
      .command('plan')
      .description('diff two versions\' step trees and class every in-flight run of the older: MOVES_NOW, MOVES_AT_CONTINUE_AS_NEW or CANNOT_MOVE (with why); read-only')
      .argument('<workflow>')
      .requiredOption('--to <version>', 'the version runs would move to')
      .option('--from <version>', 'the version whose runs are classed (default: the version published just before --to)'),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { to: string; from?: string }) =>
    done(upgradePlanCommand(client(opts), workflow, { to: opts.to, ...defined({ from: opts.from, json: opts.json }) }, io)),
  );
  withApi(
    upgrade
      .command('apply')
      .description('move the in-flight runs of --from that the plan classes MOVES_NOW to --to, at their current wait, with the same variables (both engines; audited per run)')
      .argument('<workflow>')
      .requiredOption('--from <version>', 'the version whose runs move')
      .requiredOption('--to <version>', 'the version they move to')
      .option('--run <runId>', 'only this run (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
      .option('--dry-run', 'report what would move; move nothing, record nothing'),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { from: string; to: string; run?: string[]; dryRun?: boolean }) =>
    done(upgradeApplyCommand(client(opts), workflow, { from: opts.from, to: opts.to, ...defined({ runIds: opts.run, dryRun: opts.dryRun, json: opts.json }) }, io)),
  );
  withApi(
    upgrade
      .command('audit')
      .description('the upgrade audit of a workflow: each run an apply moved or skipped, when and by which key, newest first')
      .argument('<workflow>')
      .option('--run <runId>', 'only this run'),
  ).action((workflow: string, opts: ApiTargetOptions & Json & { run?: string }) =>
    done(upgradeAuditCommand(client(opts), workflow, defined({ runId: opts.run, json: opts.json }), io)),
  );

  // Temporal worker builds: drainage and replay-verified moves (issue 18).
  withApi(program.command('deployments').description("Temporal worker deployment versions: routing, drainage status, live pollers and your runs pinned to each")).action(
    (opts: ApiTargetOptions & Json) => done(deploymentsCommand(client(opts), defined({ json: opts.json }), io)),
  );
  withApi(
    program
      .command('drain')
      .description("move Temporal runs pinned to a build (or of workflow@version) onto the current build, each only after its own history replays there; exit 1 when a run was refused")
      .argument('<buildId|workflow@version>')
      .option('--dry-run', 'replay and report, change nothing'),
  ).action((target: string, opts: ApiTargetOptions & Json & { dryRun?: boolean }) =>
    done(drainCommand(client(opts), target, defined({ dryRun: opts.dryRun, json: opts.json }), io)),
  );

  // Operations.
  withJson(
    program
      .command('replay')
      .description('replay recorded Temporal histories against the current workflow code, with a progress bar; exit 1 on any non-determinism')
      .argument('<dir-or-files...>')
      .addOption(
        new Option('--interpreter <mode>', 'workflow bundle to replay against: the interpreter placement that recorded each history (auto: localActivity when it holds batonAdvance markers), or this one for all')
          .choices(REPLAY_INTERPRETERS)
          .default('auto'),
      ),
  ).action((paths: string[], opts: Json & { interpreter?: ReplayInterpreter }) => done(replayCommand(paths, defined({ json: opts.json, interpreter: opts.interpreter }), io)));

  withJson(
    program
      .command('bench')
      .description('run a benchmark scenario (bench/<scenario>/run.ts) and print its table')
      .argument('[scenario]')
      .argument('[args...]', 'passed to the scenario')
      .allowUnknownOption(),
  ).action((scenario: string | undefined, args: string[], opts: Json) => done(benchCommand(scenario, args, defined({ json: opts.json }), io)));

  withJson(program.command('migrate').description('apply pending database migrations to DATABASE_URL (schema BATON_DB_SCHEMA, default baton)')).action((opts: Json) =>
    done(migrateCommand(process.env, defined({ json: opts.json }), io)),
  );

  return program;
}
