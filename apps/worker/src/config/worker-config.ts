import { z } from 'zod';
import { EngineKind } from '@baton/event-schemas';
import { parseActionModuleList } from '../actions/load-action-modules.js';
import { EgressAllowListError, HTTP_REQUEST_DEFAULT_MAX_RESPONSE_BYTES, parseEgressAllowList, type EgressAllowList } from '@baton/runtime-core';
import { parseSecretKey, SecretKeyError, type SecretKey } from '@baton/db-legacy-adapter';
import { INTERPRETER_MODES, type InterpreterMode } from '@baton/temporal-adapter';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z
  .enum(['0', '1', 'true', 'false'], { message: 'must be 1/true or 0/false' })
  .transform((v) => v === '1' || v === 'true');

const intIn = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `must be an integer from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be an integer from ${min} to ${max}`).max(max, `must be an integer from ${min} to ${max}`));

const engineList = z
  .string()
  .transform((s) => s.split(',').map((e) => e.trim()).filter(Boolean))
  .pipe(z.array(EngineKind, { message: "must list engines 'db' and/or 'temporal', comma separated" }).min(1, 'must name at least one engine'))
  .transform((list) => [...new Set(list)]);

const egressAllowList = z.string().transform((text, ctx): EgressAllowList => {
  try {
    return parseEgressAllowList(text);
  } catch (error) {
    if (!(error instanceof EgressAllowListError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

const secretsKey = z.string().transform((text, ctx): SecretKey => {
  try {
    return parseSecretKey(text);
  } catch (error) {
    if (!(error instanceof SecretKeyError)) throw error;
    ctx.addIssue({ code: 'custom', message: error.message });
    return z.NEVER;
  }
});

/**
 * The worker's environment: every variable it reads, validated. Each key is the variable name, so
 * an issue's path names the variable that is wrong.
 */
export const WorkerEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, message: 'must be a postgres:// connection URL' }),
  BATON_DB_SCHEMA: z.string().min(1).max(63, 'must be a Postgres identifier (at most 63 bytes)').default('baton'),
  BATON_WORKER_ENGINES: engineList.optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  BATON_TASK_QUEUE: z.string().min(1).default('baton'),
  BATON_WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  BATON_WORKER_PORT: intIn(0, 65_535).default(7301),
  BATON_WORKER_CONCURRENCY: intIn(1, 1000).default(8),
  BATON_SHUTDOWN_TIMEOUT_MS: intIn(0, 3_600_000).default(30_000),
  BATON_METRICS_SAMPLE_MS: intIn(100, 3_600_000).default(5000),
  BATON_METRICS_LABEL_KEY: z.string().min(16, 'use at least 16 characters').optional(),
  BATON_METRICS_MAX_WORKFLOWS: intIn(1, 10_000).default(50),
  BATON_ENABLE_TEST_ACTIONS: flag.default(false),
  BATON_ACTIONS: z.string().optional(),
  BATON_HTTP_ALLOW: egressAllowList.optional(),
  BATON_SECRETS_FILE: z.string().optional(),
  BATON_SECRETS_KEY: secretsKey.optional(),
  BATON_HTTP_MAX_RESPONSE_BYTES: intIn(1, 1024 * 1024 * 1024).default(HTTP_REQUEST_DEFAULT_MAX_RESPONSE_BYTES),
  BATON_ACTION_CATALOG_TTL_MS: intIn(300, 3_600_000).default(30_000),
  BATON_ACTION_WAIT_TIMEOUT_MS: intIn(1, 2_147_483_647).default(86_400_000),
  BATON_TEMPORAL_RECONCILE_INTERVAL_MS: intIn(0, 86_400_000).default(60_000),
  BATON_TEMPORAL_RECONCILE_STALE_MS: intIn(0, 2_147_483_647).default(300_000),
  BATON_TEMPORAL_RECONCILE_BATCH: intIn(1, 1000).default(100),
  BATON_ROLLBACK_INTERVAL_MS: intIn(0, 86_400_000).default(60_000),
  BATON_ROLLBACK_WINDOW_RUNS: intIn(1, 1_000_000).default(500),
  BATON_DEFAULT_ENGINE: EngineKind.default('db'),
  BATON_DEPLOYMENT_NAME: z.string().min(1).default('baton-worker'),
  BATON_BUILD_ID: z.string().min(1).optional(),
  BATON_VERSIONING_BEHAVIOR: z.enum(['PINNED', 'AUTO_UPGRADE']).default('PINNED'),
  BATON_TEMPORAL_INTERPRETER: z.enum(INTERPRETER_MODES, { message: "must be 'workflow' or 'localActivity'" }).default('workflow'),
  BATON_DEPLOYMENT_SET_CURRENT: flag.default(false),
  BATON_DB_MIGRATE: flag.default(true),
  BATON_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});
export type WorkerEnv = z.infer<typeof WorkerEnv>;

/** The worker's validated configuration. */
export interface WorkerConfig {
  readonly databaseUrl: string;
  /** Postgres schema of Baton's tables. @default 'baton' */
  readonly schema: string;
  /** Engines this process runs: the Postgres claim loop and/or the Temporal worker. */
  readonly engines: readonly EngineKind[];
  /** `interpreter`: where the Temporal worker runs the interpreter (`BATON_TEMPORAL_INTERPRETER`). @default 'workflow' */
  readonly temporal?: { readonly address: string; readonly namespace: string; readonly taskQueue: string; readonly interpreter: InterpreterMode };
  readonly http: { readonly host: string; readonly port: number };
  /** Runs the Postgres engine advances at once. @default 8 */
  readonly concurrency: number;
  /** How long in-flight steps may take to finish after SIGTERM. @default 30_000 */
  readonly shutdownTimeoutMs: number;
  /** Interval of the gauges read from the database (waiting runs, claim lag). @default 5000 */
  readonly metricsSampleMs: number;
  /** workflow labels of `/metrics`: hash key and bound (`BATON_METRICS_LABEL_KEY`, `BATON_METRICS_MAX_WORKFLOWS`) */
  readonly metricsLabels: { readonly key?: string; readonly maxWorkflows: number };
  readonly enableTestActions: boolean;
  /** Action modules to load at start (`BATON_ACTIONS`): paths (relative to the working directory) or package names. @default [] */
  readonly actionModules: readonly string[];
  /** `http.request`: destinations allowed beyond public addresses, largest response read. @default none, 1 MiB */
  readonly httpEgress: { readonly allow: EgressAllowList; readonly maxResponseBytes: number };
  /** Where `{"$secret": name}` values come from: `BATON_SECRETS_FILE` (read at start), then the encrypted `secrets` table (`BATON_SECRETS_KEY` decrypts it). */
  readonly secrets: { readonly file?: string; readonly key?: SecretKey };
  /** How long this worker's entry in the live action catalog lives without a heartbeat (heartbeats every third of it). @default 30_000 */
  readonly actionCatalogTtlMs: number;
  /** How long a Postgres-engine run waits for a live worker that provides its next action before that step fails `ACTION_UNAVAILABLE`. @default 86_400_000 */
  readonly actionWaitTimeoutMs: number;
  /**
   * The reconciler of Temporal run projections: every `intervalMs` (0 = off), compare up to `batch`
   * RUNNING/WAITING projections unchanged for `staleMs` with Temporal. @default 60_000, 300_000, 100
   */
  readonly temporalReconcile: { readonly intervalMs: number; readonly staleMs: number; readonly batch: number };
  /**
   * Automatic rollback: every `intervalMs` (0 = off) one worker judges each workflow whose policy has
   * `rollback` and gives Temporal a share, over the `windowRuns` most recent finished runs per engine
   * (at least the policy's `minRuns`). `defaultEngine` is the ingress's `BATON_DEFAULT_ENGINE` (the
   * engine of workflows without an engine policy). @default 60_000, 500, 'db'
   */
  readonly rollback: { readonly intervalMs: number; readonly windowRuns: number; readonly defaultEngine: EngineKind };
  /** Worker Deployment Version of the Temporal worker; `buildId` absent = derived from the workflow code */
  readonly deployment: {
    readonly deploymentName: string;
    readonly buildId?: string;
    readonly defaultBehavior: 'PINNED' | 'AUTO_UPGRADE';
    /** make this build the deployment's current version when it starts polling (single-version setups, `baton dev`) */
    readonly setCurrent: boolean;
  };
  /** apply pending migrations at start */
  readonly migrate: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
}

/** A configuration value the worker cannot start with; `variable` names the environment variable. */
export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
  readonly code = 'INVALID_WORKER_CONFIG';
  constructor(
    readonly issues: readonly { readonly variable: string; readonly message: string }[],
  ) {
    super(`invalid worker configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
  }
}

/** Reads and validates the worker configuration from an environment; throws {@link WorkerConfigError} naming each bad variable. */
export function loadWorkerConfig(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  // An empty variable counts as unset, as shells and compose files often export empty values.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = WorkerEnv.safeParse(present);
  if (!parsed.success) {
    throw new WorkerConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '(environment)'), message: issue.message })));
  }
  const e = parsed.data;
  const engines = e.BATON_WORKER_ENGINES ?? (e.TEMPORAL_ADDRESS ? ['db', 'temporal'] : ['db']);
  if (engines.includes('temporal') && !e.TEMPORAL_ADDRESS) {
    throw new WorkerConfigError([{ variable: 'TEMPORAL_ADDRESS', message: "is required when BATON_WORKER_ENGINES includes 'temporal'" }]);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    schema: e.BATON_DB_SCHEMA,
    engines,
    ...(engines.includes('temporal') && e.TEMPORAL_ADDRESS
      ? { temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.BATON_TASK_QUEUE, interpreter: e.BATON_TEMPORAL_INTERPRETER } }
      : {}),
    http: { host: e.BATON_WORKER_HOST, port: e.BATON_WORKER_PORT },
    concurrency: e.BATON_WORKER_CONCURRENCY,
    shutdownTimeoutMs: e.BATON_SHUTDOWN_TIMEOUT_MS,
    metricsSampleMs: e.BATON_METRICS_SAMPLE_MS,
    metricsLabels: { ...(e.BATON_METRICS_LABEL_KEY ? { key: e.BATON_METRICS_LABEL_KEY } : {}), maxWorkflows: e.BATON_METRICS_MAX_WORKFLOWS },
    enableTestActions: e.BATON_ENABLE_TEST_ACTIONS,
    actionModules: parseActionModuleList(e.BATON_ACTIONS),
    httpEgress: { allow: e.BATON_HTTP_ALLOW ?? parseEgressAllowList(undefined), maxResponseBytes: e.BATON_HTTP_MAX_RESPONSE_BYTES },
    secrets: { ...(e.BATON_SECRETS_FILE ? { file: e.BATON_SECRETS_FILE } : {}), ...(e.BATON_SECRETS_KEY ? { key: e.BATON_SECRETS_KEY } : {}) },
    actionCatalogTtlMs: e.BATON_ACTION_CATALOG_TTL_MS,
    actionWaitTimeoutMs: e.BATON_ACTION_WAIT_TIMEOUT_MS,
    temporalReconcile: { intervalMs: e.BATON_TEMPORAL_RECONCILE_INTERVAL_MS, staleMs: e.BATON_TEMPORAL_RECONCILE_STALE_MS, batch: e.BATON_TEMPORAL_RECONCILE_BATCH },
    rollback: { intervalMs: e.BATON_ROLLBACK_INTERVAL_MS, windowRuns: e.BATON_ROLLBACK_WINDOW_RUNS, defaultEngine: e.BATON_DEFAULT_ENGINE },
    deployment: {
      deploymentName: e.BATON_DEPLOYMENT_NAME,
      ...(e.BATON_BUILD_ID ? { buildId: e.BATON_BUILD_ID } : {}),
      defaultBehavior: e.BATON_VERSIONING_BEHAVIOR,
      setCurrent: e.BATON_DEPLOYMENT_SET_CURRENT,
    },
    migrate: e.BATON_DB_MIGRATE,
    logLevel: e.BATON_LOG_LEVEL,
  };
}
