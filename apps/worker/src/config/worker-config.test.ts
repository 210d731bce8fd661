import { describe, expect, it } from 'vitest';
import { loadWorkerConfig, WorkerConfigError } from './worker-config.js';

const DATABASE_URL = 'postgres://u@127.0.0.1:5432/baton';

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadWorkerConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkerConfigError);
    return (error as WorkerConfigError).issues.map((i) => i.variable);
  }
  throw new Error('expected a configuration error');
}

describe('loadWorkerConfig', () => {
  it('runs the Postgres engine alone when no Temporal address is set, with the documented defaults', () => {
    const config = loadWorkerConfig({ DATABASE_URL });
    expect(config.engines).toEqual(['db']);
    expect(config.temporal).toBeUndefined();
    expect(config).toMatchObject({
      schema: 'baton',
      http: { host: '127.0.0.1', port: 7301 },
      concurrency: 8,
      shutdownTimeoutMs: 30_000,
      enableTestActions: false,
      migrate: true,
      deployment: { deploymentName: 'baton-worker', defaultBehavior: 'PINNED', setCurrent: false },
    });
    expect(config.deployment.buildId).toBeUndefined();
  });

  it('adds the Temporal engine when TEMPORAL_ADDRESS is set, with namespace and task queue', () => {
    const config = loadWorkerConfig({ DATABASE_URL, TEMPORAL_ADDRESS: '127.0.0.1:7233', BATON_TASK_QUEUE: 'orders' });
    expect(config.engines).toEqual(['db', 'temporal']);
    expect(config.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'orders', interpreter: 'workflow' });
  });

  it('reads BATON_TEMPORAL_INTERPRETER (workflow by default, or localActivity) and names a bad value', () => {
    expect(loadWorkerConfig({ DATABASE_URL, TEMPORAL_ADDRESS: 'h:1', BATON_TEMPORAL_INTERPRETER: 'localActivity' }).temporal?.interpreter).toBe('localActivity');
    expect(loadWorkerConfig({ DATABASE_URL, TEMPORAL_ADDRESS: 'h:1', BATON_TEMPORAL_INTERPRETER: 'workflow' }).temporal?.interpreter).toBe('workflow');
    expect(issuesOf({ DATABASE_URL, TEMPORAL_ADDRESS: 'h:1', BATON_TEMPORAL_INTERPRETER: 'activity' })).toEqual(['BATON_TEMPORAL_INTERPRETER']);
    expect(() => loadWorkerConfig({ DATABASE_URL, BATON_TEMPORAL_INTERPRETER: 'LocalActivity' })).toThrow(/BATON_TEMPORAL_INTERPRETER: must be 'workflow' or 'localActivity'/);
  });

  it('selects engines with BATON_WORKER_ENGINES (deduplicated, spaces allowed)', () => {
    expect(loadWorkerConfig({ DATABASE_URL, TEMPORAL_ADDRESS: 'h:1', BATON_WORKER_ENGINES: 'temporal' }).engines).toEqual(['temporal']);
    expect(loadWorkerConfig({ DATABASE_URL, TEMPORAL_ADDRESS: 'h:1', BATON_WORKER_ENGINES: ' db , temporal,db ' }).engines).toEqual(['db', 'temporal']);
    expect(loadWorkerConfig({ DATABASE_URL, TEMPORAL_ADDRESS: 'h:1', BATON_WORKER_ENGINES: 'db' }).temporal).toBeUndefined();
  });

  it('reads the http.request egress policy: BATON_HTTP_ALLOW hosts and CIDRs, BATON_HTTP_MAX_RESPONSE_BYTES', () => {
    expect(loadWorkerConfig({ DATABASE_URL }).httpEgress).toEqual({ allow: { entries: [] }, maxResponseBytes: 1024 * 1024 });
    const config = loadWorkerConfig({ DATABASE_URL, BATON_HTTP_ALLOW: 'inventory.internal,10.0.0.0/8,127.0.0.1:7310', BATON_HTTP_MAX_RESPONSE_BYTES: '4096' });
    expect(config.httpEgress.allow.entries).toHaveLength(3);
    expect(config.httpEgress.maxResponseBytes).toBe(4096);
    expect(issuesOf({ DATABASE_URL, BATON_HTTP_ALLOW: '10.0.0.0/99' })).toEqual(['BATON_HTTP_ALLOW']);
  });

  it('reads the Temporal reconciler settings (interval, staleness, batch) with their defaults, and rejects bad ones by name', () => {
    expect(loadWorkerConfig({ DATABASE_URL }).temporalReconcile).toEqual({ intervalMs: 60_000, staleMs: 300_000, batch: 100 });
    const config = loadWorkerConfig({ DATABASE_URL, BATON_TEMPORAL_RECONCILE_INTERVAL_MS: '0', BATON_TEMPORAL_RECONCILE_STALE_MS: '5000', BATON_TEMPORAL_RECONCILE_BATCH: '10' });
    expect(config.temporalReconcile).toEqual({ intervalMs: 0, staleMs: 5000, batch: 10 });
    expect(issuesOf({ DATABASE_URL, BATON_TEMPORAL_RECONCILE_INTERVAL_MS: 'soon', BATON_TEMPORAL_RECONCILE_BATCH: '0' })).toEqual([
      'BATON_TEMPORAL_RECONCILE_INTERVAL_MS',
      'BATON_TEMPORAL_RECONCILE_BATCH',
    ]);
  });

  it('reads the automatic rollback settings (interval, window, default engine) with their defaults, and rejects bad ones by name', () => {
    expect(loadWorkerConfig({ DATABASE_URL }).rollback).toEqual({ intervalMs: 60_000, windowRuns: 500, defaultEngine: 'db' });
    const config = loadWorkerConfig({ DATABASE_URL, BATON_ROLLBACK_INTERVAL_MS: '0', BATON_ROLLBACK_WINDOW_RUNS: '50', BATON_DEFAULT_ENGINE: 'temporal' });
    expect(config.rollback).toEqual({ intervalMs: 0, windowRuns: 50, defaultEngine: 'temporal' });
    expect(issuesOf({ DATABASE_URL, BATON_ROLLBACK_INTERVAL_MS: '-1', BATON_ROLLBACK_WINDOW_RUNS: '0', BATON_DEFAULT_ENGINE: 'mongo' })).toEqual([
      'BATON_ROLLBACK_INTERVAL_MS',
      'BATON_ROLLBACK_WINDOW_RUNS',
      'BATON_DEFAULT_ENGINE',
    ]);
  });

  it('names TEMPORAL_ADDRESS when the Temporal engine is asked for without it', () => {
    expect(issuesOf({ DATABASE_URL, BATON_WORKER_ENGINES: 'db,temporal' })).toEqual(['TEMPORAL_ADDRESS']);
  });

  it('reports every bad variable by name at once', () => {
    const variables = issuesOf({
      DATABASE_URL: 'mysql://x',
      BATON_WORKER_ENGINES: 'db,mongo',
      BATON_WORKER_PORT: '70000',
      BATON_WORKER_CONCURRENCY: 'many',
      BATON_ENABLE_TEST_ACTIONS: 'maybe',
      BATON_VERSIONING_BEHAVIOR: 'LATEST',
      TEMPORAL_ADDRESS: 'no-port',
    });
    expect(variables.sort()).toEqual([
      'BATON_ENABLE_TEST_ACTIONS',
      'BATON_VERSIONING_BEHAVIOR',
      'BATON_WORKER_CONCURRENCY',
      'BATON_WORKER_ENGINES',
      'BATON_WORKER_PORT',
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
    ]);
  });

  it('puts each variable and its problem on its own line of the message', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL, BATON_WORKER_PORT: 'abc' })).toThrow(/\n {2}BATON_WORKER_PORT: must be an integer from 0 to 65535/);
    expect(() => loadWorkerConfig({})).toThrow(/DATABASE_URL: /);
  });

  it('treats empty variables as unset and reads flags and the build id', () => {
    const config = loadWorkerConfig({
      DATABASE_URL,
      TEMPORAL_ADDRESS: '',
      BATON_ENABLE_TEST_ACTIONS: '1',
      BATON_DB_MIGRATE: 'false',
      BATON_DEPLOYMENT_SET_CURRENT: 'true',
      BATON_BUILD_ID: 'git-abc123',
    });
    expect(config.engines).toEqual(['db']);
    expect(config.enableTestActions).toBe(true);
    expect(config.migrate).toBe(false);
    expect(config.deployment).toMatchObject({ buildId: 'git-abc123', setCurrent: true });
  });
});
