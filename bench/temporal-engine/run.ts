/**
 * Temporal engine benchmark, in one invocation on one dev server:
 *  - BENCH_RUNS (200) runs of a 10-step `core.echo` definition through the Temporal engine
 *    (`createTemporalEngine` + `createBatonWorker`, projections into runtime-core's in-memory ports);
 *  - as the baseline, BENCH_RUNS runs of a hand-written workflow that calls the same action
 *    activity (`batonRunAction`, core.echo) 10 times;
 *  both with BENCH_CONCURRENCY (8) closed-loop clients, after a warm-up, in alternating rounds so
 *  neither side gets the quieter half of the machine. Measures workflows/s, p50/p99 start-to-result
 *  latency, history events and bytes per run, the ratios, and `replayHistories` over every
 *  recorded fixture (histories/s).
 * Run with `npm run bench:temporal-engine` (builds first). Prints a table, writes
 * bench/results/temporal-engine.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { upServices } from '@baton/dev-services';
import { createActionRegistry, createInMemoryStores, validateDefinition, type StartRunRequest } from '@baton/runtime-core';
import {
  bundleBatonWorkflows,
  createBatonActivities,
  createBatonWorker,
  createTemporalEngine,
  readHistoryFiles,
  replayHistories,
  resolveTsSources,
  setCurrentDeploymentVersion,
  workflowIdForRun,
} from '@baton/temporal-adapter';
import type { BaselineInput } from './baseline-workflow.js';
import { closedLoop as closedLoopOf } from '../shared/closed-loop.js';
import { percentile } from '../shared/latency-stats.js';

const RUNS = Number(process.env['BENCH_RUNS'] ?? 200);
const CONCURRENCY = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 16);
const ROUNDS = 2;
const STEPS = 10;
const TENANT = 'bench';
const GOALS = { timeRatio: 1.15, historyEventsRatio: 1.2 } as const;

const root = path.join(import.meta.dirname, '..', '..');
const suffix = randomUUID().slice(0, 8);

function log(message: string): void {
  process.stderr.write(`[bench:temporal-engine] ${message}\n`);
}

interface Phase {
  readonly latenciesMs: number[];
  readonly workflowIds: string[];
  durationMs: number;
  /** CPU time of this process (client, workers, activities) spent in the phase, in ms. */
  cpuMs: number;
}

/** Runs `count` runs with CONCURRENCY closed-loop clients, keeping each run's workflow id. */
async function closedLoop(count: number, run: (index: number) => Promise<string>, into: Phase): Promise<void> {
  into.workflowIds.push(...(await closedLoopOf(CONCURRENCY, count, run, into)));
}

interface HistoryStats {
  readonly eventsPerRun: number;
  readonly bytesPerRun: number;
}

async function historyStats(client: Client, workflowIds: readonly string[]): Promise<HistoryStats> {
  let events = 0;
  let bytes = 0;
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    events += history.events?.length ?? 0;
    bytes += proto.temporal.api.history.v1.History.encode(history).finish().length;
  }
  return { eventsPerRun: events / workflowIds.length, bytesPerRun: bytes / workflowIds.length };
}

function summary(phase: Phase): { workflowsPerSecond: number; p50Ms: number; p99Ms: number; durationMs: number; processCpuMsPerRun: number } {
  const sorted = [...phase.latenciesMs].sort((a, b) => a - b);
  return {
    workflowsPerSecond: phase.latenciesMs.length / (phase.durationMs / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    durationMs: phase.durationMs,
    processCpuMsPerRun: phase.cpuMs / phase.latenciesMs.length,
  };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { env } = await upServices({ only: ['temporal'], temporal: { ui: false } });
  const address = env['TEMPORAL_ADDRESS']!;
  log(`Temporal at ${address}; ${RUNS} runs per side, ${CONCURRENCY} clients, ${STEPS} steps`);

  const stores = createInMemoryStores();
  const actions = createActionRegistry();
  const validated = validateDefinition(
    {
      name: 'bench.echo10',
      version: '1.0.0',
      steps: Array.from({ length: STEPS }, (_, i) => ({
        id: `s${i + 1}`,
        type: 'action.call',
        action: 'core.echo',
        actionVersion: 1,
        input: { $expr: i === 0 ? 'input' : 'vars.value' },
        saveAs: 'vars.value',
      })),
    },
    { actions },
  );
  if (!validated.ok) throw new Error(`the bench definition is invalid: ${JSON.stringify(validated.issues)}`);
  const { definition, hash } = validated;

  log('bundling workflows (not timed)');
  const batonBundle = await bundleBatonWorkflows();
  const baselineBundle = await bundleWorkflowCode({
    workflowsPath: path.join(import.meta.dirname, 'baseline-workflow.ts'),
    webpackConfigHook: resolveTsSources,
    logger: new DefaultLogger('WARN'),
  });

  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const batonQueue = `bench-baton-${suffix}`;
  const baselineQueue = `bench-baseline-${suffix}`;
  const batonDeployment = { deploymentName: `bench-baton-${suffix}`, buildId: 'bench' };
  const baselineDeployment = { deploymentName: `bench-baseline-${suffix}`, buildId: 'bench' };
  const batonWorker = await createBatonWorker({ connection: native, taskQueue: batonQueue, actions, store: stores, deployment: batonDeployment, workflowBundle: batonBundle });
  const baselineWorker = await Worker.create({
    connection: native,
    taskQueue: baselineQueue,
    workflowBundle: baselineBundle,
    activities: createBatonActivities({ actions, store: stores }),
    workerDeploymentOptions: { version: baselineDeployment, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' },
  });
  const running = [batonWorker.run(), baselineWorker.run()];
  await setCurrentDeploymentVersion(client.workflowService, batonDeployment);
  await setCurrentDeploymentVersion(client.workflowService, baselineDeployment);
  const engine = createTemporalEngine({ client, taskQueue: batonQueue });

  const value = { order: 'A-1', lines: [1, 2, 3] };
  const runBaton = async (): Promise<string> => {
    const runId = randomUUID();
    const createdAt = new Date().toISOString();
    await stores.runs.create(TENANT, {
      runId,
      workflow: definition.name,
      version: definition.version,
      definitionHash: hash,
      engine: 'temporal',
      status: 'RUNNING',
      input: value,
      executionKey: null,
      runKey: runId,
      createdAt,
    });
    const request: StartRunRequest = {
      tenant: TENANT,
      runId,
      workflow: { name: definition.name, version: definition.version, hash },
      definition,
      input: value,
      executionKey: null,
      runKey: runId,
      startedAt: createdAt,
    };
    await engine.start(request);
    const output = (await client.workflow.getHandle(workflowIdForRun(runId)).result()) as { value?: unknown };
    if (JSON.stringify(output.value) !== JSON.stringify(value)) throw new Error(`run ${runId} returned ${JSON.stringify(output)}`);
    return workflowIdForRun(runId);
  };
  const runBaseline = async (): Promise<string> => {
    const runId = randomUUID();
    const workflowId = `bench-baseline:${runId}`;
    const args: BaselineInput = { tenant: TENANT, runId, steps: STEPS, value };
    const handle = await client.workflow.start('baselineEcho', { taskQueue: baselineQueue, workflowId, args: [args] });
    const output = await handle.result();
    if (JSON.stringify(output) !== JSON.stringify(value)) throw new Error(`baseline ${runId} returned ${JSON.stringify(output)}`);
    return workflowId;
  };

  log(`warm-up: ${WARMUP} runs per side`);
  const ignored: Phase = { latenciesMs: [], workflowIds: [], durationMs: 0, cpuMs: 0 };
  await closedLoop(WARMUP, runBaseline, ignored);
  await closedLoop(WARMUP, runBaton, ignored);

  const baseline: Phase = { latenciesMs: [], workflowIds: [], durationMs: 0, cpuMs: 0 };
  const baton: Phase = { latenciesMs: [], workflowIds: [], durationMs: 0, cpuMs: 0 };
  const perRound = Math.ceil(RUNS / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    const count = Math.min(perRound, RUNS - round * perRound);
    log(`round ${round + 1}: ${count} baseline runs, then ${count} engine runs`);
    await closedLoop(count, runBaseline, baseline);
    await closedLoop(count, runBaton, baton);
  }

  log('reading histories');
  const baselineHistory = await historyStats(client, baseline.workflowIds);
  const batonHistory = await historyStats(client, baton.workflowIds);

  log('replaying the recorded fixtures');
  const fixtures = await readHistoryFiles([path.join(root, 'packages/temporal-adapter/histories')]);
  const replayStarted = performance.now();
  const replay = await replayHistories(fixtures, { workflowBundle: batonBundle });
  const replayMs = performance.now() - replayStarted;
  if (replay.error || replay.failed) throw new Error(`replay failed: ${replay.error?.message ?? `${replay.failed} histories`}`);

  batonWorker.shutdown();
  baselineWorker.shutdown();
  await Promise.all(running);
  await connection.close();
  await native.close();

  const b = summary(baseline);
  const e = summary(baton);
  const ratios = {
    time: e.durationMs / b.durationMs,
    throughput: e.workflowsPerSecond / b.workflowsPerSecond,
    p50: e.p50Ms / b.p50Ms,
    p99: e.p99Ms / b.p99Ms,
    processCpu: e.processCpuMsPerRun / b.processCpuMsPerRun,
    historyEvents: batonHistory.eventsPerRun / baselineHistory.eventsPerRun,
    historyBytes: batonHistory.bytesPerRun / baselineHistory.bytesPerRun,
  };
  const replayPerSecond = fixtures.length / (replayMs / 1000);
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  const rows: [string, string, string, string][] = [
    ['metric', 'hand-written', 'Baton engine', 'ratio'],
    ['workflows/s', fmt(b.workflowsPerSecond), fmt(e.workflowsPerSecond), fmt(ratios.throughput, 2)],
    ['wall time (s)', fmt(b.durationMs / 1000, 2), fmt(e.durationMs / 1000, 2), fmt(ratios.time, 2)],
    ['p50 latency (ms)', fmt(b.p50Ms), fmt(e.p50Ms), fmt(ratios.p50, 2)],
    ['p99 latency (ms)', fmt(b.p99Ms), fmt(e.p99Ms), fmt(ratios.p99, 2)],
    ['worker process CPU/run (ms)', fmt(b.processCpuMsPerRun), fmt(e.processCpuMsPerRun), fmt(ratios.processCpu, 2)],
    ['history events/run', fmt(baselineHistory.eventsPerRun), fmt(batonHistory.eventsPerRun), fmt(ratios.historyEvents, 2)],
    ['history bytes/run', fmt(baselineHistory.bytesPerRun, 0), fmt(batonHistory.bytesPerRun, 0), fmt(ratios.historyBytes, 2)],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  process.stdout.write(`\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(`\nreplayHistories: ${fixtures.length} fixture histories in ${fmt(replayMs, 0)} ms = ${fmt(replayPerSecond)} histories/s\n`);
  const verdict = (name: string, value: number, goal: number) =>
    `${name}: ${fmt(value, 2)} (goal <= ${goal}) ${value <= goal ? 'met' : `MISSED by ${fmt((value / goal - 1) * 100)} %`}`;
  process.stdout.write(`${verdict('time ratio', ratios.time, GOALS.timeRatio)}\n${verdict('history events ratio', ratios.historyEvents, GOALS.historyEventsRatio)}\n`);

  const result = {
    benchmark: 'temporal-engine',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    config: { runs: RUNS, concurrency: CONCURRENCY, warmup: WARMUP, rounds: ROUNDS, steps: STEPS, projectionStore: 'runtime-core in-memory ports' },
    baseline: { ...b, history: baselineHistory },
    engine: { ...e, history: batonHistory },
    ratios,
    goals: GOALS,
    goalsMet: { time: ratios.time <= GOALS.timeRatio, historyEvents: ratios.historyEvents <= GOALS.historyEventsRatio },
    replay: { histories: fixtures.length, durationMs: replayMs, historiesPerSecond: replayPerSecond },
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/temporal-engine.json'), `${JSON.stringify(result, null, 2)}\n`);
  log('wrote bench/results/temporal-engine.json');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
