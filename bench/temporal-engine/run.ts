/**
 * Temporal engine benchmark, in one invocation on one dev server:
 *  - BENCH_RUNS (200) runs of a 10-step `core.echo` definition through the Temporal engine
 *    (`createTemporalEngine` + `createBatonWorker`, projections into runtime-core's in-memory ports);
 *  - the same through a second Baton worker whose interpreter runs in local activities
 *    (`interpreter: 'localActivity'`, BATON_TEMPORAL_INTERPRETER=localActivity);
 *  - as the baseline, BENCH_RUNS runs of a hand-written workflow that calls the same action
 *    activity (`batonRunAction`, core.echo) 10 times;
 *  all with BENCH_CONCURRENCY (8) closed-loop clients, after a warm-up, in alternating rounds so
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
/** Goals of the localActivity interpreter against the hand-written workflow (issue 18). */
const LOCAL_ACTIVITY_GOALS = { timeRatio: 1.3, historyBytesRatio: 2 } as const;

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

/** `BENCH_DUMP_HISTORIES=<dir>`: the first history of each side is written there as JSON (to see what a run records). */
const DUMP_DIR = process.env['BENCH_DUMP_HISTORIES'];

async function historyStats(client: Client, workflowIds: readonly string[], side: string): Promise<HistoryStats> {
  let events = 0;
  let bytes = 0;
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    if (DUMP_DIR && workflowId === workflowIds[0]) {
      mkdirSync(DUMP_DIR, { recursive: true });
      writeFileSync(path.join(DUMP_DIR, `${side}.json`), `${JSON.stringify(proto.temporal.api.history.v1.History.toObject(history as never, { longs: String, bytes: String }), null, 2)}\n`);
    }
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
  // The localActivity interpreter reads the definition from the store (by name, version and hash).
  await stores.definitions.publish(TENANT, { name: definition.name, version: definition.version, hash, definition, triggerEventName: null, publishedAt: new Date().toISOString() });

  log('bundling workflows (not timed)');
  const batonBundle = await bundleBatonWorkflows();
  const localActivityBundle = await bundleBatonWorkflows({ interpreter: 'localActivity' });
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
  const localActivityQueue = `bench-baton-la-${suffix}`;
  const localActivityDeployment = { deploymentName: `bench-baton-la-${suffix}`, buildId: 'bench' };
  const baselineDeployment = { deploymentName: `bench-baseline-${suffix}`, buildId: 'bench' };
  const batonWorker = await createBatonWorker({ connection: native, taskQueue: batonQueue, actions, store: stores, deployment: batonDeployment, workflowBundle: batonBundle });
  const baselineWorker = await Worker.create({
    connection: native,
    taskQueue: baselineQueue,
    workflowBundle: baselineBundle,
    activities: createBatonActivities({ actions, store: stores }),
    workerDeploymentOptions: { version: baselineDeployment, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' },
  });
  const localActivityWorker = await createBatonWorker({
    connection: native,
    taskQueue: localActivityQueue,
    actions,
    store: stores,
    deployment: localActivityDeployment,
    interpreter: 'localActivity',
    workflowBundle: localActivityBundle,
  });
  const running = [batonWorker.run(), baselineWorker.run(), localActivityWorker.run()];
  await setCurrentDeploymentVersion(client.workflowService, batonDeployment, { waitForPropagation: false });
  await setCurrentDeploymentVersion(client.workflowService, localActivityDeployment, { waitForPropagation: false });
  await setCurrentDeploymentVersion(client.workflowService, baselineDeployment, { waitForPropagation: false });
  const engines = { workflow: createTemporalEngine({ client, taskQueue: batonQueue }), localActivity: createTemporalEngine({ client, taskQueue: localActivityQueue }) };

  const value = { order: 'A-1', lines: [1, 2, 3] };
  const runBatonOn = async (mode: keyof typeof engines): Promise<string> => {
    const engine = engines[mode];
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
  const runBaton = () => runBatonOn('workflow');
  const runLocalActivity = () => runBatonOn('localActivity');
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
  await closedLoop(WARMUP, runLocalActivity, ignored);

  const baseline: Phase = { latenciesMs: [], workflowIds: [], durationMs: 0, cpuMs: 0 };
  const baton: Phase = { latenciesMs: [], workflowIds: [], durationMs: 0, cpuMs: 0 };
  const localActivity: Phase = { latenciesMs: [], workflowIds: [], durationMs: 0, cpuMs: 0 };
  const perRound = Math.ceil(RUNS / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    const count = Math.min(perRound, RUNS - round * perRound);
    log(`round ${round + 1}: ${count} baseline runs, then ${count} engine runs, then ${count} localActivity engine runs`);
    await closedLoop(count, runBaseline, baseline);
    await closedLoop(count, runBaton, baton);
    await closedLoop(count, runLocalActivity, localActivity);
  }

  log('reading histories');
  const baselineHistory = await historyStats(client, baseline.workflowIds, 'hand-written');
  const batonHistory = await historyStats(client, baton.workflowIds, 'workflow');
  const localActivityHistory = await historyStats(client, localActivity.workflowIds, 'localActivity');

  log('replaying the recorded fixtures');
  const fixtures = await readHistoryFiles([path.join(root, 'packages/temporal-adapter/histories')]);
  const replayStarted = performance.now();
  const replay = await replayHistories(fixtures, { workflowBundle: batonBundle });
  const replayMs = performance.now() - replayStarted;
  if (replay.error || replay.failed) throw new Error(`replay failed: ${replay.error?.message ?? `${replay.failed} histories`}`);

  batonWorker.shutdown();
  baselineWorker.shutdown();
  localActivityWorker.shutdown();
  await Promise.all(running);
  await connection.close();
  await native.close();

  const b = summary(baseline);
  const e = summary(baton);
  const l = summary(localActivity);
  const ratiosOf = (side: ReturnType<typeof summary>, history: HistoryStats) => ({
    time: side.durationMs / b.durationMs,
    throughput: side.workflowsPerSecond / b.workflowsPerSecond,
    p50: side.p50Ms / b.p50Ms,
    p99: side.p99Ms / b.p99Ms,
    processCpu: side.processCpuMsPerRun / b.processCpuMsPerRun,
    historyEvents: history.eventsPerRun / baselineHistory.eventsPerRun,
    historyBytes: history.bytesPerRun / baselineHistory.bytesPerRun,
  });
  const ratios = ratiosOf(e, batonHistory);
  const localActivityRatios = ratiosOf(l, localActivityHistory);
  const replayPerSecond = fixtures.length / (replayMs / 1000);
  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  const rows: string[][] = [
    ['metric', 'hand-written', 'Baton (workflow)', 'ratio', 'Baton (localActivity)', 'ratio'],
    ['workflows/s', fmt(b.workflowsPerSecond), fmt(e.workflowsPerSecond), fmt(ratios.throughput, 2), fmt(l.workflowsPerSecond), fmt(localActivityRatios.throughput, 2)],
    ['wall time (s)', fmt(b.durationMs / 1000, 2), fmt(e.durationMs / 1000, 2), fmt(ratios.time, 2), fmt(l.durationMs / 1000, 2), fmt(localActivityRatios.time, 2)],
    ['p50 latency (ms)', fmt(b.p50Ms), fmt(e.p50Ms), fmt(ratios.p50, 2), fmt(l.p50Ms), fmt(localActivityRatios.p50, 2)],
    ['p99 latency (ms)', fmt(b.p99Ms), fmt(e.p99Ms), fmt(ratios.p99, 2), fmt(l.p99Ms), fmt(localActivityRatios.p99, 2)],
    ['worker process CPU/run (ms)', fmt(b.processCpuMsPerRun), fmt(e.processCpuMsPerRun), fmt(ratios.processCpu, 2), fmt(l.processCpuMsPerRun), fmt(localActivityRatios.processCpu, 2)],
    ['history events/run', fmt(baselineHistory.eventsPerRun), fmt(batonHistory.eventsPerRun), fmt(ratios.historyEvents, 2), fmt(localActivityHistory.eventsPerRun), fmt(localActivityRatios.historyEvents, 2)],
    ['history bytes/run', fmt(baselineHistory.bytesPerRun, 0), fmt(batonHistory.bytesPerRun, 0), fmt(ratios.historyBytes, 2), fmt(localActivityHistory.bytesPerRun, 0), fmt(localActivityRatios.historyBytes, 2)],
  ];
  const widths = [0, 1, 2, 3, 4, 5].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  process.stdout.write(`\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(`\nreplayHistories: ${fixtures.length} fixture histories in ${fmt(replayMs, 0)} ms = ${fmt(replayPerSecond)} histories/s\n`);
  const verdict = (name: string, value: number, goal: number) =>
    `${name}: ${fmt(value, 2)} (goal <= ${goal}) ${value <= goal ? 'met' : `MISSED by ${fmt((value / goal - 1) * 100)} %`}`;
  process.stdout.write(`${verdict('time ratio', ratios.time, GOALS.timeRatio)}\n${verdict('history events ratio', ratios.historyEvents, GOALS.historyEventsRatio)}\n`);
  process.stdout.write(
    `${verdict('localActivity time ratio', localActivityRatios.time, LOCAL_ACTIVITY_GOALS.timeRatio)}\n${verdict('localActivity history bytes ratio', localActivityRatios.historyBytes, LOCAL_ACTIVITY_GOALS.historyBytesRatio)}\n`,
  );

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
    localActivity: {
      ...l,
      history: localActivityHistory,
      ratios: localActivityRatios,
      goals: LOCAL_ACTIVITY_GOALS,
      goalsMet: { time: localActivityRatios.time <= LOCAL_ACTIVITY_GOALS.timeRatio, historyBytes: localActivityRatios.historyBytes <= LOCAL_ACTIVITY_GOALS.historyBytesRatio },
    },
    loadAverage: os.loadavg(),
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
