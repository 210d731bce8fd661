import { hostname } from 'node:os';
import { z } from 'zod';
import { EngineKind, wholeNumber } from '@baton/event-schemas';
import { BatonError, ErrorCode, EVENT_BATCHING_DEFAULTS, parseCorrelationConfig, type CorrelationConfig } from '@baton/runtime-core';
import { parseApiKeys, type ApiKeyTable } from '../auth/api-keys.js';
import { JSON_SHAPE_DEFAULTS } from '../body/json-shape.js';
import { parseRetention } from './retention-duration.js';
import { parseSecretKey, SecretKeyError, type SecretKey } from '@baton/db-legacy-adapter';

/** Limits and defaults of the ingress configuration. */
export const INGRESS_DEFAULTS = {
  port: 7300,
  host: '127.0.0.1',
  /** 2 MiB: a definition may be 1 MiB (SPEC-dsl limits), run inputs 256 KiB, plus envelope slack. */
  bodyLimitBytes: 2 * 1024 * 1024,
  schema: 'baton',
  poolSize: 10,
  temporalNamespace: 'default',
  taskQueue: 'baton',
  stream: 'baton:events',
  streamGroup: 'baton-ingress',
  streamMaxAttempts: 5,
  streamReclaimIdleMs: 30_000,
  streamBatchSize: 64,
  streamBlockMs: 2_000,
  /** SPEC-api `BATON_EVENT_INBOX_RETENTION`. */
  inboxRetention: '7d',
  taskHandoffIntervalMs: 5_000,
} as const;

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const positiveInt = z.coerce.number().int().positive();

/** The environment variables the ingress reads (SPEC-api "Configuration" plus ingress-only knobs). */
export const IngressEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).describe('Postgres connection (postgres://...)'),
  BATON_DB_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default(INGRESS_DEFAULTS.schema),
  BATON_DB_MIGRATE: flag.default(true).describe('apply pending migrations at start'),
  BATON_DB_POOL_SIZE: positiveInt.default(INGRESS_DEFAULTS.poolSize).describe('Postgres connections of the ingress'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default(INGRESS_DEFAULTS.temporalNamespace),
  BATON_TASK_QUEUE: z.string().min(1).default(INGRESS_DEFAULTS.taskQueue),
  BATON_INGRESS_PORT: z.coerce.number().int().min(0).max(65535).default(INGRESS_DEFAULTS.port),
  BATON_INGRESS_HOST: z.string().min(1).default(INGRESS_DEFAULTS.host),
  BATON_INGRESS_BODY_LIMIT: positiveInt.default(INGRESS_DEFAULTS.bodyLimitBytes),
  BATON_INGRESS_MAX_JSON_DEPTH: positiveInt.max(10_000).default(JSON_SHAPE_DEFAULTS.maxDepth).describe('deepest nesting of a JSON body or stream event'),
  BATON_API_KEYS: z.string().min(1, 'at least one tenant:key pair is required'),
  BATON_EVENT_CORRELATION_PATHS: z.string().optional(),
  BATON_EVENT_INBOX_RETENTION: z.string().default(INGRESS_DEFAULTS.inboxRetention).describe('how long accepted events stay in the event inbox'),
  BATON_EVENT_BATCH_LINGER_MS: wholeNumber(0, 1_000, { unit: 'milliseconds', coerce: true })
    .default(EVENT_BATCHING_DEFAULTS.lingerMs)
    .describe('under load, how long a batch of events may wait for more before it is routed (0: no wait)'),
  BATON_DEFAULT_ENGINE: EngineKind.default('db'),
  BATON_EVENT_STREAM: z.string().min(1).default(INGRESS_DEFAULTS.stream),
  BATON_EVENT_STREAM_GROUP: z.string().min(1).default(INGRESS_DEFAULTS.streamGroup),
  BATON_EVENT_STREAM_CONSUMER: z.string().min(1).optional(),
  BATON_EVENT_STREAM_DEAD_LETTER: z.string().min(1).optional(),
  BATON_EVENT_STREAM_MAX_ATTEMPTS: positiveInt.default(INGRESS_DEFAULTS.streamMaxAttempts),
  BATON_EVENT_STREAM_RECLAIM_IDLE_MS: positiveInt.default(INGRESS_DEFAULTS.streamReclaimIdleMs),
  BATON_EVENT_STREAM_BATCH: positiveInt.default(INGRESS_DEFAULTS.streamBatchSize),
  BATON_CONSOLE_DIR: z.string().min(1).optional().describe('the built operator console served at /ui (default: apps/console/dist)'),
  BATON_SECRETS_FILE: z.string().min(1).optional().describe('per-tenant secrets, JSON {tenant: {name: value}}: publishing checks {"$secret": name} names against it'),
  BATON_SECRETS_KEY: z.string().min(1).optional().describe('base64 32-byte key encrypting the secrets table (PUT /v1/secrets/:name needs it)'),
  BATON_TASK_HANDOFF_INTERVAL_MS: positiveInt.default(INGRESS_DEFAULTS.taskHandoffIntervalMs).describe('time between drains of the task hand-off outbox'),
  BATON_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type IngressEnv = z.infer<typeof IngressEnv>;

/** Settings of the Redis stream consumer. */
export interface StreamSettings {
  readonly url: string;
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  readonly deadLetterStream: string;
  readonly maxAttempts: number;
  readonly reclaimIdleMs: number;
  readonly batchSize: number;
}

/** The parsed configuration of the ingress process. */
export interface IngressConfig {
  readonly databaseUrl: string;
  readonly schema: string;
  readonly migrate: boolean;
  readonly poolSize: number;
  readonly temporal?: { readonly address: string; readonly namespace: string; readonly taskQueue: string };
  readonly http: { readonly host: string; readonly port: number; readonly bodyLimit: number };
  /** deepest nesting of objects and arrays in a JSON body or stream event (`BATON_INGRESS_MAX_JSON_DEPTH`) */
  readonly maxJsonDepth: number;
  /** time between drains of the task hand-off outbox (`BATON_TASK_HANDOFF_INTERVAL_MS`) */
  readonly taskHandoffIntervalMs: number;
  readonly apiKeys: ApiKeyTable;
  readonly correlation: CorrelationConfig;
  readonly defaultEngine: EngineKind;
  /** How long an accepted event stays in the event inbox (ms). */
  readonly inboxRetentionMs: number;
  /** `BATON_EVENT_BATCH_LINGER_MS`: under load, how long an event batch may wait for more events */
  readonly eventBatchLingerMs: number;
  /** absent when `REDIS_URL` is not set: the stream consumer is off */
  readonly stream?: StreamSettings;
  readonly logLevel: IngressEnv['BATON_LOG_LEVEL'];
  /** `BATON_CONSOLE_DIR`: the built console served at `/ui/` (absent: the workspace's `apps/console/dist`) */
  readonly consoleDir?: string;
  /** `BATON_SECRETS_FILE` (read at start) and `BATON_SECRETS_KEY` (encrypts the secrets table) */
  readonly secrets: { readonly file?: string; readonly key?: SecretKey };
}

/** A configuration problem, naming the variable. */
export interface ConfigIssue {
  readonly variable: string;
  readonly message: string;
}

/** Thrown by {@link loadIngressConfig}: every problem found, one line per variable. */
export class IngressConfigError extends Error {
  override readonly name = 'IngressConfigError';
  readonly code = 'INVALID_CONFIGURATION';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(`invalid ingress configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.issues = issues;
  }
}

function blankToUndefined(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) out[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  return out;
}

/** Parses the ingress configuration from environment variables; throws {@link IngressConfigError} naming each bad variable. */
export function loadIngressConfig(env: Readonly<Record<string, string | undefined>> = process.env): IngressConfig {
  const parsed = IngressEnv.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    throw new IngressConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(environment)'), message: i.message })));
  }
  const e = parsed.data;
  const issues: ConfigIssue[] = [];
  let apiKeys: ApiKeyTable | undefined;
  try {
    apiKeys = parseApiKeys(e.BATON_API_KEYS);
  } catch (err) {
    issues.push({ variable: 'BATON_API_KEYS', message: (err as Error).message });
  }
  let correlation: CorrelationConfig | undefined;
  try {
    correlation = parseCorrelationConfig(e.BATON_EVENT_CORRELATION_PATHS);
  } catch (err) {
    issues.push({ variable: 'BATON_EVENT_CORRELATION_PATHS', message: err instanceof BatonError && err.code === ErrorCode.INVALID_CORRELATION_CONFIG ? err.message : String(err) });
  }
  const inboxRetentionMs = parseRetention(e.BATON_EVENT_INBOX_RETENTION);
  if (inboxRetentionMs === undefined) {
    issues.push({ variable: 'BATON_EVENT_INBOX_RETENTION', message: `expected a positive duration such as 7d, 36h, 90m or 3600s, got "${e.BATON_EVENT_INBOX_RETENTION}"` });
  }
  let secretsKey: SecretKey | undefined;
  if (e.BATON_SECRETS_KEY !== undefined) {
    try {
      secretsKey = parseSecretKey(e.BATON_SECRETS_KEY);
    } catch (err) {
      if (!(err instanceof SecretKeyError)) throw err;
      issues.push({ variable: 'BATON_SECRETS_KEY', message: err.message });
    }
  }
  if (issues.length || !apiKeys || !correlation || inboxRetentionMs === undefined) throw new IngressConfigError(issues);

  return {
    databaseUrl: e.DATABASE_URL,
    schema: e.BATON_DB_SCHEMA,
    migrate: e.BATON_DB_MIGRATE,
    poolSize: e.BATON_DB_POOL_SIZE,
    ...(e.TEMPORAL_ADDRESS ? { temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.BATON_TASK_QUEUE } } : {}),
    http: { host: e.BATON_INGRESS_HOST, port: e.BATON_INGRESS_PORT, bodyLimit: e.BATON_INGRESS_BODY_LIMIT },
    maxJsonDepth: e.BATON_INGRESS_MAX_JSON_DEPTH,
    taskHandoffIntervalMs: e.BATON_TASK_HANDOFF_INTERVAL_MS,
    apiKeys,
    correlation,
    defaultEngine: e.BATON_DEFAULT_ENGINE,
    inboxRetentionMs,
    eventBatchLingerMs: e.BATON_EVENT_BATCH_LINGER_MS,
    ...(e.REDIS_URL
      ? {
          stream: {
            url: e.REDIS_URL,
            stream: e.BATON_EVENT_STREAM,
            group: e.BATON_EVENT_STREAM_GROUP,
            consumer: e.BATON_EVENT_STREAM_CONSUMER ?? `${hostname()}-${process.pid}`,
            deadLetterStream: e.BATON_EVENT_STREAM_DEAD_LETTER ?? `${e.BATON_EVENT_STREAM}:dead`,
            maxAttempts: e.BATON_EVENT_STREAM_MAX_ATTEMPTS,
            reclaimIdleMs: e.BATON_EVENT_STREAM_RECLAIM_IDLE_MS,
            batchSize: e.BATON_EVENT_STREAM_BATCH,
          },
        }
      : {}),
    logLevel: e.BATON_LOG_LEVEL,
    ...(e.BATON_CONSOLE_DIR ? { consoleDir: e.BATON_CONSOLE_DIR } : {}),
    secrets: { ...(e.BATON_SECRETS_FILE ? { file: e.BATON_SECRETS_FILE } : {}), ...(secretsKey ? { key: secretsKey } : {}) },
  };
}
