/**
 * Postgres engine benchmark, in one invocation on the harness Postgres (synchronous_commit on):
 *  (a) BENCH_RUNS (2000) runs of a 10-step `core.echo` definition on the Baton Postgres engine
 *      (one in-process worker, concurrency 8);
 *  (b) BENCH_RUNS runs of the equivalent 10-step DBOS Transact workflow (each step a `DBOS.runStep`);
 *      both driven by BENCH_CONCURRENCY (8) closed-loop clients, in alternating rounds after a warm-up;
 *  (c) `pgbench -N` with 8 clients for 15 s against a scratch database: the machine's commit limit.
 * Then the event-to-resume latency of 1,000 waiting runs (deliverEvent -> wait resolved and
 * committed, and -> the next step done by the worker woken through LISTEN/NOTIFY).
 * Run with `npm run bench:postgres-engine`. Prints a table, writes bench/results/postgres-engine.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import type { JsonValue, WorkflowDefinition } from '@baton/event-schemas';
import { contentHash, createActionRegistry, createRunRef, type RunRef } from '@baton/runtime-core';
import { createDatabase, createPostgresEngine, createPostgresStores, migrateToLatest, type PostgresEngine } from '@baton/db-legacy-adapter';
import { upServices } from '@baton/dev-services';
import { STEPS, launchDbos, runDbosWorkflow, shutdownDbos } from './dbos-baseline.js';
import { closedLoop as closedLoopOf } from '../shared/closed-loop.js';
import { echoChainDefinition } from '../shared/echo-chain.js';
import { summarize } from '../shared/latency-stats.js';
import { pgbench } from '../shared/pgbench.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 2000);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 100);
const WAITING_RUNS = Number(process.env['BENCH_WAITING_RUNS'] ?? 1000);
const PGBENCH_SECONDS = Number(process.env['BENCH_PGBENCH_SECONDS'] ?? 15);
const NESTED = process.env['BENCH_PAYLOAD'] === 'nested';
const ROUNDS = 2;
const TENANT = 'bench';
const GOALS = { versusDbos: 1.5, versusPgbench: 0.5 } as const;

const root = path.join(import.meta.dirname, '..', '..');
const suffix = randomUUID().slice(0, 8);

function log(message: string): void {
  process.stderr.write(`[bench:postgres-engine] ${message}\n`);
}

interface Phase {
  readonly latenciesMs: number[];
  durationMs: number;
  cpuMs: number;
}

const newPhase = (): Phase => ({ latenciesMs: [], durationMs: 0, cpuMs: 0 });

const closedLoop = (count: number, run: (index: number) => Promise<void>, into?: Phase) => closedLoopOf(CONCURRENCY, count, run, into);

const echoDefinition = (): WorkflowDefinition => echoChainDefinition('bench.ten-echoes', STEPS, { nested: NESTED }) as unknown as WorkflowDefinition;

function waitingDefinition(): WorkflowDefinition {
  return {
    name: 'bench.wait-then-echo',
    version: '1.0.0',
    steps: [
      { id: 'wait', type: 'event.wait', eventName: 'BENCH_GO', correlationKey: { $expr: 'input.key' }, saveAs: 'vars.event' },
      { id: 'after', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'vars.event.payload' }, saveAs: 'vars.after' },
    ],
  } as unknown as WorkflowDefinition;
}

async function main(): Promise<void> {
  const url = process.env['DATABASE_URL'] ?? (await upServices({ only: ['postgres'] })).env['DATABASE_URL']!;
  const pool = new pg.Pool({ connectionString: url, max: 24 });
  pool.on('error', (error) => log(`pool: ${error.message}`));
  const settings = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'server_version')`,
  );
  const pgSettings = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
  if (pgSettings['synchronous_commit'] !== 'on' || pgSettings['fsync'] !== 'on') {
    throw new Error(`the benchmark needs synchronous_commit=on and fsync=on (as shipped); the server has ${JSON.stringify(pgSettings)}`);
  }
  log(`Postgres ${pgSettings['server_version']} at ${url.replace(/\/\/[^@]*@/, '//')} synchronous_commit=on`);

  const schema = `bench_pg_${suffix}`;
  const dbosSchema = `bench_dbos_${suffix}`;
  const db = createDatabase(pool, schema);
  const migrated = await migrateToLatest(db, { schema });
  if (migrated.error) throw migrated.error;

  const settled = new Map<string, () => void>();
  const engine: PostgresEngine = createPostgresEngine({
    pool,
    schema,
    actions: createActionRegistry(),
    concurrency: CONCURRENCY,
    pollIntervalMs: 5000,
    ...(process.env['BENCH_COMMIT_CONCURRENCY'] ? { commitConcurrency: Number(process.env['BENCH_COMMIT_CONCURRENCY']) } : {}),
    onRunSettled: (run) => settled.get(run.runId)?.(),
  });
  const stores = createPostgresStores({ pool, schema });
  const published = new Map<string, { definition: WorkflowDefinition; hash: string }>();
  for (const definition of [echoDefinition(), waitingDefinition()]) {
    const hash = contentHash(definition);
    await stores.definitions.publish(TENANT, { name: definition.name, version: definition.version, hash, definition, triggerEventName: null, publishedAt: new Date().toISOString() });
    published.set(definition.name, { definition, hash });
  }
  await engine.startWorker();

  const startRun = async (name: string, input: JsonValue, runId = randomUUID()): Promise<RunRef<'db'>> => {
    const { definition, hash } = published.get(name)!;
    return engine.start({ tenant: TENANT, runId, workflow: { name, version: definition.version, hash }, definition, input, executionKey: null, runKey: runId, startedAt: new Date().toISOString() });
  };
  const runToEnd = async (name: string, input: JsonValue): Promise<void> => {
    const runId = randomUUID();
    const done = new Promise<void>((resolve) => settled.set(runId, resolve));
    await startRun(name, input, runId);
    await done;
    settled.delete(runId);
  };

  await launchDbos(url, dbosSchema, 16);

  log(`warm-up: ${WARMUP} runs on each side`);
  await closedLoop(WARMUP, (i) => runToEnd('bench.ten-echoes', { i }));
  await closedLoop(WARMUP, (i) => runDbosWorkflow({ i }, NESTED));

  const baton = newPhase();
  const dbos = newPhase();
  const perRound = Math.ceil(RUNS / ROUNDS);
  const statsBefore = engine.commitStats;
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: ${perRound} runs of the Baton Postgres engine`);
    await closedLoop(perRound, (i) => runToEnd('bench.ten-echoes', { i }), baton);
    log(`round ${round}/${ROUNDS}: ${perRound} runs of DBOS Transact`);
    await closedLoop(perRound, (i) => runDbosWorkflow({ i }, NESTED), dbos);
  }
  const statsAfter = engine.commitStats;
  const batches = statsAfter.batches - statsBefore.batches;
  const commits = statsAfter.commits - statsBefore.commits;

  log(`pgbench -N -c 8 for ${PGBENCH_SECONDS} s`);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const bench = await pgbench(adminUrl.toString(), { seconds: PGBENCH_SECONDS });

  log(`event-to-resume: ${WAITING_RUNS} waiting runs`);
  const waiting: RunRef<'db'>[] = [];
  await closedLoop(WAITING_RUNS, async (i) => void waiting.push(await startRun('bench.wait-then-echo', { key: `key-${i}` })));
  const waitingCount = async () =>
    Number(
      (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.id(schema, 'workflow_run_waits')} WHERE status = 'WAITING' AND event_name = 'BENCH_GO'`.execute(db)).rows[0]!.n,
    );
  while ((await waitingCount()) < WAITING_RUNS) await new Promise((r) => setTimeout(r, 100));
  const resumedMs: number[] = [];
  const nextStepMs: number[] = [];
  let cursor = 0;
  await closedLoop(WAITING_RUNS, async () => {
    const ref = waiting[cursor++]!;
    const done = new Promise<void>((resolve) => settled.set(ref.runId, resolve));
    const key = (await stores.runs.get(TENANT, ref.runId))!.input as { key: string };
    const t0 = performance.now();
    await engine.deliverEvent(createRunRef('db', TENANT, ref.runId), { eventId: `go-${ref.runId}`, eventName: 'BENCH_GO', correlationKey: key.key, payload: { go: true } });
    resumedMs.push(performance.now() - t0);
    await done;
    nextStepMs.push(performance.now() - t0);
    settled.delete(ref.runId);
  });

  await engine.stopWorker();
  await shutdownDbos();
  await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
  await sql`DROP SCHEMA IF EXISTS ${sql.id(dbosSchema)} CASCADE`.execute(db);
  await pool.end();

  const row = (phase: Phase) => {
    const seconds = phase.durationMs / 1000;
    return {
      runs: phase.latenciesMs.length,
      workflowsPerSecond: phase.latenciesMs.length / seconds,
      stepsPerSecond: (phase.latenciesMs.length * STEPS) / seconds,
      runLatencyMs: summarize(phase.latenciesMs),
      cpuMsPerRun: phase.cpuMs / phase.latenciesMs.length,
    };
  };
  const a = row(baton);
  const b = row(dbos);
  const ratios = { aOverB: a.workflowsPerSecond / b.workflowsPerSecond, stepsOverPgbench: a.stepsPerSecond / bench.tps };
  const result = {
    benchmark: 'postgres-engine',
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: os.loadavg(),
    postgres: pgSettings,
    runs: RUNS,
    payload: NESTED ? 'nested' : 'flat',
    concurrency: CONCURRENCY,
    steps: STEPS,
    baton: { ...a, groupCommit: { transactions: batches, runCommits: commits, runCommitsPerTransaction: commits / Math.max(1, batches) } },
    dbos: b,
    pgbench: { clients: 8, seconds: PGBENCH_SECONDS, tps: bench.tps, latencyMs: bench.latencyMs },
    ratios,
    goals: { ...GOALS, met: { versusDbos: ratios.aOverB >= GOALS.versusDbos, versusPgbench: ratios.stepsOverPgbench >= GOALS.versusPgbench } },
    eventToResume: { runs: WAITING_RUNS, resumedCommittedMs: summarize(resumedMs), nextStepDoneMs: summarize(nextStepMs) },
  };

  const f = (n: number, digits = 0) => n.toFixed(digits);
  const lines = [
    '',
    `| ${CONCURRENCY}-way, ${RUNS} runs x ${STEPS} steps${NESTED ? ' (nested payload)' : ''} | workflows/s | steps/s | p50 run ms | p99 run ms | CPU ms/run (node) |`,
    '|---|---:|---:|---:|---:|---:|',
    `| (a) Baton Postgres engine | ${f(a.workflowsPerSecond, 1)} | ${f(a.stepsPerSecond)} | ${f(a.runLatencyMs.p50, 1)} | ${f(a.runLatencyMs.p99, 1)} | ${f(a.cpuMsPerRun, 2)} |`,
    `| (b) DBOS Transact ${'5.x'} | ${f(b.workflowsPerSecond, 1)} | ${f(b.stepsPerSecond)} | ${f(b.runLatencyMs.p50, 1)} | ${f(b.runLatencyMs.p99, 1)} | ${f(b.cpuMsPerRun, 2)} |`,
    `| (c) pgbench -N, 8 clients, ${PGBENCH_SECONDS} s | | ${f(bench.tps)} tps | ${f(bench.latencyMs, 2)} (avg tx) | | |`,
    '',
    `a/b = ${f(ratios.aOverB, 2)} (goal >= ${GOALS.versusDbos})   steps/s (a) / tps (c) = ${f(ratios.stepsOverPgbench, 2)} (goal >= ${GOALS.versusPgbench})`,
    `group commit: ${commits} run commits in ${batches} transactions (${f(commits / Math.max(1, batches), 2)} per transaction)`,
    `event-to-resume (${WAITING_RUNS} waiting runs, ${CONCURRENCY} clients): wait resolved+committed p50 ${f(result.eventToResume.resumedCommittedMs.p50, 1)} ms, p99 ${f(result.eventToResume.resumedCommittedMs.p99, 1)} ms; next step done p50 ${f(result.eventToResume.nextStepDoneMs.p50, 1)} ms, p99 ${f(result.eventToResume.nextStepDoneMs.p99, 1)} ms`,
    `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const outDir = path.join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = NESTED ? 'postgres-engine-nested.json' : 'postgres-engine.json';
  writeFileSync(path.join(outDir, file), `${JSON.stringify(result, null, 2)}\n`);
  log(`wrote bench/results/${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
