/**
 * The cost of shadowing on the primary, in one invocation: the run service (`createRuntime`) over the
 * harness Postgres with the Postgres engine (primary) and a Temporal worker (shadow) in this process.
 * BENCH_ROUNDS (1) rounds of three phases (policy `{engine: db, shadow: {percent}}`), BENCH_RUNS (100)
 * runs of a BENCH_STEPS (5)-step `core.echo` workflow each, BENCH_CONCURRENCY (8) closed-loop clients:
 * `startRun`, then `getRun` waiting for the primary to finish:
 *  - 0 % shadow;
 *  - 100 % shadow with the Temporal worker running the shadows in this process (on this machine the
 *    shadows' engine competes with the primary for the same cores);
 *  - 100 % shadow with the Temporal worker stopped during the phase and the shadows run after it: what
 *    the primary itself pays for being shadowed (the shadow and comparison rows, its recorded action
 *    outcomes, the shadow's start).
 * The primary's workflows/s of a 100 % phase over the 0 % phase is the figure (issue 17 goal: at least
 * 0.8). After each 100 % phase the shadows are drained (not timed) until the shadow report has no pending
 * pair, so a phase never pays for the previous one's backlog.
 * Run with `npm run bench:shadow` (builds first). Prints a table, writes bench/results/shadow.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime as TemporalRuntime } from '@temporalio/worker';
import pg from 'pg';
import { createDatabase, createPostgresEngine, createPostgresRunCompletionFeed, createPostgresStores, migrateToLatest } from '@baton/db-legacy-adapter';
import { upServices } from '@baton/dev-services';
import { createActionRegistry, createRuntime, type Runtime } from '@baton/runtime-core';
import { bundleBatonWorkflows, createBatonWorker, createTemporalEngine, setCurrentDeploymentVersion } from '@baton/temporal-adapter';
import { closedLoop as closedLoopOf } from '../shared/closed-loop.js';
import { echoChainDefinition } from '../shared/echo-chain.js';
import { summarize } from '../shared/latency-stats.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RUNS = num('BENCH_RUNS', 100);
const ROUNDS = num('BENCH_ROUNDS', 1);
const STEPS = num('BENCH_STEPS', 5);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const WARMUP = num('BENCH_WARMUP', 10);
const GOAL = 0.8;
const TENANT = 'bench';
const WORKFLOW = 'bench.shadowed';
const suffix = randomUUID().slice(0, 8);
const root = path.join(import.meta.dirname, '..', '..');

function log(message: string): void {
  process.stderr.write(`[bench:shadow] ${message}\n`);
}

interface Phase {
  readonly name: string;
  readonly latenciesMs: number[];
  durationMs: number;
  cpuMs: number;
}

/** `count` runs through CONCURRENCY closed-loop clients; each waits for its primary to finish. */
function closedLoop(runtime: Runtime, count: number, into?: Phase): Promise<void[]> {
  return closedLoopOf(CONCURRENCY, count, async (i) => {
    const { runId } = await runtime.startRun(TENANT, { workflow: WORKFLOW, input: { i } });
    let view = await runtime.getRun(TENANT, runId, { waitMs: 60_000 });
    while (view.status === 'RUNNING' || view.status === 'WAITING') view = await runtime.getRun(TENANT, runId, { waitMs: 60_000 });
    if (view.status !== 'SUCCEEDED') throw new Error(`run ${runId} ended ${view.status}`);
  }, into);
}

async function setShadow(runtime: Runtime, percent: number): Promise<void> {
  await runtime.setPolicy(TENANT, WORKFLOW, { engine: { type: 'db' }, shadow: percent > 0 ? { percent } : null });
}

/** Waits (not timed as a phase) until every shadowed pair is compared; answers how long it took. */
async function drainShadows(runtime: Runtime): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const report = await runtime.getShadowReport(TENANT, WORKFLOW);
    if (report.pending === 0) return performance.now() - t0;
    if (performance.now() - t0 > 300_000) throw new Error(`shadows not drained after 300 s: ${JSON.stringify(report)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  TemporalRuntime.install({ logger: new DefaultLogger('WARN') });
  const { env } = await upServices({ only: ['postgres', 'temporal'], temporal: { ui: false } });
  const pool = new pg.Pool({ connectionString: env['DATABASE_URL']!, max: 24 });
  pool.on('error', (error) => log(`pool: ${error.message}`));
  const schema = `bench_shadow_${suffix}`;
  const migrated = await migrateToLatest(createDatabase(pool, schema), { schema });
  if (migrated.error) throw migrated.error;

  const actions = createActionRegistry();
  const stores = createPostgresStores({ pool, schema });
  const completions = createPostgresRunCompletionFeed({ pool, schema });
  await completions.ready;
  const filed = { MATCH: 0, DIFFERENT: 0 };
  const onShadowCompared = (result: 'MATCH' | 'DIFFERENT') => void filed[result]++;
  const pgEngine = createPostgresEngine({ pool, schema, actions, concurrency: CONCURRENCY, pollIntervalMs: 1000, onShadowCompared });
  await pgEngine.startWorker();

  log('bundling workflows (not timed)');
  const address = env['TEMPORAL_ADDRESS']!;
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const taskQueue = `bench-shadow-${suffix}`;
  const deployment = { deploymentName: `bench-shadow-${suffix}`, buildId: 'bench' };
  const workflowBundle = await bundleBatonWorkflows();
  // The Temporal worker (the shadows' engine) runs in this process; the deferred phase stops it so
  // only what the primary itself pays for its shadow is measured (the shadows run after the phase).
  let temporalWorker: { stop: () => Promise<void> } | undefined;
  const startTemporalWorker = async () => {
    const worker = await createBatonWorker({ connection: native, taskQueue, actions, store: stores, deployment, workflowBundle, onShadowCompared });
    const running = worker.run();
    temporalWorker = {
      stop: async () => {
        worker.shutdown();
        await running;
      },
    };
  };
  await startTemporalWorker();
  await setCurrentDeploymentVersion(client.workflowService, deployment);
  const runtime = createRuntime({ ...stores, engines: { db: pgEngine, temporal: createTemporalEngine({ client, taskQueue }) }, completions });

  await runtime.publishDefinition(TENANT, echoChainDefinition(WORKFLOW, STEPS));


  log(`warm-up: ${WARMUP} runs at 0 % and at 100 % shadow`);
  await setShadow(runtime, 0);
  await closedLoop(runtime, WARMUP);
  await setShadow(runtime, 100);
  await closedLoop(runtime, WARMUP);
  await drainShadows(runtime);

  const modes = [
    { name: '0 % shadow', percent: 0, deferShadows: false },
    { name: '100 % shadow, shadow engine in this process', percent: 100, deferShadows: false },
    { name: '100 % shadow, shadows run after the phase', percent: 100, deferShadows: true },
  ] as const;
  const phases = modes.map((m): Phase => ({ name: m.name, latenciesMs: [], durationMs: 0, cpuMs: 0 }));
  const drainsMs: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, mode] of modes.entries()) {
      await setShadow(runtime, mode.percent);
      if (mode.deferShadows) await temporalWorker!.stop();
      log(`round ${round}: ${RUNS} runs, ${mode.name}`);
      await closedLoop(runtime, RUNS, phases[i]);
      if (mode.deferShadows) await startTemporalWorker();
      if (mode.percent > 0) drainsMs.push(await drainShadows(runtime));
    }
  }
  const report = await runtime.getShadowReport(TENANT, WORKFLOW);

  const rows = phases.map((phase) => {
    const stats = summarize(phase.latenciesMs);
    const runs = phase.latenciesMs.length;
    return { phase: phase.name, runs, workflowsPerSecond: (runs * 1000) / phase.durationMs, p50Ms: stats.p50, p99Ms: stats.p99, cpuMsPerRun: phase.cpuMs / runs };
  });
  const ratio = rows[1]!.workflowsPerSecond / rows[0]!.workflowsPerSecond;
  const deferredRatio = rows[2]!.workflowsPerSecond / rows[0]!.workflowsPerSecond;
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg() },
    settings: { runsPerPhase: RUNS, rounds: ROUNDS, steps: STEPS, concurrency: CONCURRENCY, primary: 'db', shadow: 'temporal' },
    rows,
    ratio,
    deferredRatio,
    goal: GOAL,
    met: ratio >= GOAL,
    metDeferred: deferredRatio >= GOAL,
    shadows: { compared: report.compared, matched: report.matched, different: report.different, pending: report.pending, filedByDrivers: filed, drainAfterPhaseMs: drainsMs, latency: report.latency },
  };

  const table = [
    '| phase | runs | primary workflows/s | p50 ms | p99 ms | process CPU ms / primary run |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.phase} | ${r.runs} | ${r.workflowsPerSecond.toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} | ${r.cpuMsPerRun.toFixed(1)} |`),
    '',
    `100 % / 0 %: ${ratio.toFixed(2)} with the shadow engine in this process, ${deferredRatio.toFixed(2)} with the shadows run after the phase (goal >= ${GOAL}); shadows compared ${report.compared} (${report.matched} MATCH, ${report.different} DIFFERENT), drain after each 100 % phase ${drainsMs.map((ms) => `${Math.round(ms)} ms`).join(', ')}; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'shadow.json'), `${JSON.stringify(result, null, 2)}\n`);

  await temporalWorker!.stop();
  await pgEngine.stopWorker({ graceMs: 1_000 });
  await completions.close();
  await connection.close();
  await native.close();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:shadow] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
