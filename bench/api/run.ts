/**
 * The deployed shape, end to end: the ingress (`apps/ingress/dist/main.js`) and the worker
 * (`apps/worker/dist/main.js`) each as their own process, driven by HTTP clients from this process.
 *  1. starts: BENCH_STARTS (2,000) `POST /v1/runs` of a workflow whose first step waits for an event,
 *     BENCH_START_CLIENTS (16) closed-loop clients: starts/s and request p50/p99.
 *  2. workflows: BENCH_WORKFLOWS (600) runs of the 10-step `core.echo` workflow, 8 closed-loop clients,
 *     each `POST /v1/runs` with `"wait": 60000` (answered when the run finished): workflows/s, p50/p99.
 *  3. events: one `POST /v1/events` per run of phase 1 (BENCH_EVENTS, 2,000), 16 clients: events/s,
 *     request p50/p99, event -> run finished (its completed_at) p50/p99.
 *  4. Temporal starts (BENCH_TEMPORAL_STARTS, 200; 0 skips): `POST /v1/runs` on the Temporal engine
 *     against raw Temporal client starts of the same workflow type (on a queue no worker polls), 16 clients.
 * Both Baton schemas first get BENCH_HISTORY (20,000) finished runs and ANALYZE (`seed-history.ts`: a
 * deployment that has been running, not its first minute); BENCH_HISTORY=0 measures new, empty schemas.
 * In the same run, as anchors: the same 10-step workflow on DBOS Transact in this process, and on
 * Baton's Postgres engine in this process (`bench/postgres-engine`'s shape), 8 clients each, and
 * `pgbench -N` (8 clients, BENCH_PGBENCH_SECONDS = 10 s) as the commit ceiling.
 * Per phase: throughput, p50/p99, CPU ms per run of the ingress and the worker (/proc/<pid>/stat).
 * BENCH_INGRESS_NODE_ARGS / BENCH_WORKER_NODE_ARGS pass node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * Run with `npm run bench:api` (builds first). Prints a table, writes bench/results/api.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import type { JsonValue, WorkflowDefinition } from '@baton/event-schemas';
import { contentHash, createActionRegistry } from '@baton/runtime-core';
import { createPostgresEngine, createPostgresStores, createDatabase, migrateToLatest } from '@baton/db-legacy-adapter';
import { upServices } from '@baton/dev-services';
import { BATON_WORKFLOW_TYPE } from '@baton/temporal-adapter';
import { createJsonClient } from '../ingress/http-client.js';
import { runClosedLoop, until, type PhaseResult } from '../ingress/load.js';
import { runTimeline, type RunTimeline } from './run-timeline.js';
import { launchDbos, runDbosWorkflow, shutdownDbos, STEPS } from '../postgres-engine/dbos-baseline.js';
import { summarize } from '../shared/latency-stats.js';
import { pgbench } from '../shared/pgbench.js';
import { echoChainDefinition } from '../shared/echo-chain.js';
import { freePort } from '../shared/free-port.js';
import { commandCpuMs, machineBusyMs, processCpuMs } from '../shared/process-cpu.js';
import { seedHistory } from '../shared/seed-history.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const STARTS = num('BENCH_STARTS', 2_000);
const START_CLIENTS = num('BENCH_START_CLIENTS', 16);
const WORKFLOWS = num('BENCH_WORKFLOWS', 600);
const WORKFLOW_CLIENTS = num('BENCH_WORKFLOW_CLIENTS', 8);
const EVENTS = Math.min(STARTS, num('BENCH_EVENTS', 2_000));
const TEMPORAL_STARTS = num('BENCH_TEMPORAL_STARTS', 200);
const PGBENCH_SECONDS = num('BENCH_PGBENCH_SECONDS', 10);
const WARMUP = num('BENCH_WARMUP', 50);
/** finished runs (with their steps, waits and events) put into each Baton schema before measuring, then ANALYZE; 0 measures a new, empty schema */
const HISTORY = num('BENCH_HISTORY', 20_000);
const GOALS = { startsPerSecond: 1_000, startP99Ms: 50, apiOverDbos: 1.5, apiP50OverInProcessP50: 1.5, temporalOverRaw: 0.8, eventsPerSecond: 1_000 } as const;

const root = path.join(import.meta.dirname, '..', '..');
const suffix = randomUUID().slice(0, 8);
const schema = `bench_api_${suffix}`;
const inProcessSchema = `bench_api_inproc_${suffix}`;
const dbosSchema = `bench_api_dbos_${suffix}`;
const taskQueue = `bench-api-${suffix}`;
const apiKey = `bench-${randomUUID()}`;
const TENANT = 'bench';
const children: ChildProcess[] = [];

function log(message: string): void {
  process.stderr.write(`[bench:api] ${message}\n`);
}


function spawnApp(name: string, script: string, nodeArgs: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [...nodeArgs.split(' ').filter(Boolean), script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal === null) log(`${name} exited with ${code}`);
  });
  return child;
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
        }),
    ),
  );
}

const echoDefinition = (): WorkflowDefinition => echoChainDefinition('bench.ten-echoes', STEPS) as unknown as WorkflowDefinition;

const waitDefinition = {
  name: 'bench.wait',
  version: '1.0.0',
  steps: [
    { id: 'wait', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' } },
    { id: 'done', type: 'control.return', output: { ok: true } },
  ],
};

/** One measured phase as the table and the JSON show it. */
interface Row {
  readonly phase: string;
  readonly items: number;
  readonly perSecond: number;
  readonly latencyMs: ReturnType<typeof summarize>;
  /** a second latency (event -> run finished) where the phase has one */
  readonly secondLatencyMs?: ReturnType<typeof summarize>;
  /**
   * CPU ms per item of the ingress, the worker, and this process (the in-process anchors run here);
   * for the API phases also of Postgres (all its processes), of this process as the load clients,
   * and of the whole machine (busy time over both cores)
   */
  readonly cpuMsPerItem: { ingress?: number; worker?: number; inProcess?: number; postgres?: number; clients?: number; machine?: number };
}

const { env: serviceEnv } = await upServices({ only: ['postgres', 'temporal'], temporal: { ui: false } });
const databaseUrl = serviceEnv['DATABASE_URL']!;
const temporalAddress = serviceEnv['TEMPORAL_ADDRESS']!;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 12 });
pool.on('error', () => undefined);
const connection = await Connection.connect({ address: temporalAddress });
const temporal = new Client({ connection });
const rows: Row[] = [];
/** The database's clock: the run rows' stamps that {@link runTimeline} reads are on it. */
const databaseNow = async (): Promise<Date> => (await pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now;

try {
  const port = await freePort();
  const workerPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log(`ingress on ${base}, worker beside it (schema ${schema})`);
  const ingress = spawnApp('ingress', 'apps/ingress/dist/main.js', process.env['BENCH_INGRESS_NODE_ARGS'] ?? '', {
    DATABASE_URL: databaseUrl,
    BATON_DB_SCHEMA: schema,
    TEMPORAL_ADDRESS: temporalAddress,
    BATON_TASK_QUEUE: taskQueue,
    BATON_API_KEYS: `${TENANT}:${apiKey}`,
    BATON_INGRESS_PORT: String(port),
    BATON_DB_POOL_SIZE: '10',
    BATON_LOG_LEVEL: 'warn',
  });
  await until('the ingress to answer /healthz', () => fetch(`${base}/healthz`).then((r) => r.status, () => 0), (s) => s === 200, 120_000);
  const worker = spawnApp('worker', 'apps/worker/dist/main.js', process.env['BENCH_WORKER_NODE_ARGS'] ?? '', {
    DATABASE_URL: databaseUrl,
    BATON_DB_SCHEMA: schema,
    TEMPORAL_ADDRESS: temporalAddress,
    BATON_TASK_QUEUE: taskQueue,
    BATON_WORKER_ENGINES: 'db,temporal',
    BATON_WORKER_PORT: String(workerPort),
    BATON_DEPLOYMENT_NAME: `bench-api-${suffix}`,
    BATON_DEPLOYMENT_SET_CURRENT: '1',
    BATON_LOG_LEVEL: 'warn',
  });
  await until('the worker to answer /healthz', () => fetch(`http://127.0.0.1:${workerPort}/healthz`).then((r) => r.status, () => 0), (s) => s === 200, 120_000);

  /** Runs `phase` and adds the CPU the ingress and worker spent per item, including until `settle` resolves. */
  async function measured<T>(items: number, phase: () => Promise<PhaseResult<T>>, settle?: () => Promise<unknown>) {
    const read = () => ({
      ingress: processCpuMs(ingress.pid),
      worker: processCpuMs(worker.pid),
      postgres: commandCpuMs('postgres'),
      clients: (({ user, system }) => (user + system) / 1000)(process.cpuUsage()),
      machine: machineBusyMs(),
    });
    const before = read();
    const result = await phase();
    await settle?.();
    const after = read();
    const perItem = (k: keyof typeof before) => (after[k] - before[k]) / items;
    return { result, cpuMsPerItem: { ingress: perItem('ingress'), worker: perItem('worker'), postgres: perItem('postgres'), clients: perItem('clients'), machine: perItem('machine') } };
  }

  const http = createJsonClient(base, { authorization: `Bearer ${apiKey}` }, Math.max(START_CLIENTS, WORKFLOW_CLIENTS, 16));
  async function post<T>(url: string, body: unknown, expected: number): Promise<T> {
    const res = await http.post(url, body);
    if (res.status !== expected) throw new Error(`POST ${url} answered ${res.status}: ${res.text.slice(0, 500)}`);
    return JSON.parse(res.text) as T;
  }
  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const table = (name: string) => `"${schema}".${name}`;
  log(`history: ${HISTORY} finished runs in ${schema}, then ANALYZE`);
  await seedHistory(pool, schema, TENANT, HISTORY);
  await post('/v1/workflows', waitDefinition, 201);
  await post('/v1/workflows', echoDefinition(), 201);

  log(`warm-up: ${WARMUP} starts, ${WARMUP} events and ${WARMUP} workflows through the API`);
  await runClosedLoop(Array.from({ length: WARMUP }, (_, i) => i), START_CLIENTS, (i) => post('/v1/runs', { workflow: 'bench.wait', input: { key: `warm-${i}` }, engine: 'db' }, 201));
  // the event path too, so that phase 3 does not measure its first, unoptimised calls
  await runClosedLoop(Array.from({ length: WARMUP }, (_, i) => i), START_CLIENTS, (i) =>
    post('/v1/events', { eventId: `warm-ev-${suffix}-${i}`, eventName: 'PAID', correlationKey: `warm-${i}`, payload: { key: `warm-${i}` } }, 202),
  );
  await runClosedLoop(Array.from({ length: WARMUP }, (_, i) => i), WORKFLOW_CLIENTS, (i) => post('/v1/runs', { workflow: 'bench.ten-echoes', input: { i }, engine: 'db', wait: 60_000 }, 200));

  // 1. Starts of a run that waits.
  log(`starts: ${STARTS} runs, ${START_CLIENTS} clients`);
  const keys = Array.from({ length: STARTS }, (_, i) => `k-${suffix}-${i}`);
  const waitingNow = () => count(`select count(*) as n from ${table('workflow_run_waits')} where status = 'WAITING' and event_name = 'PAID' and correlation_key like $1`, [`k-${suffix}-%`]);
  const starts = await measured(
    STARTS,
    () => runClosedLoop(keys, START_CLIENTS, (key) => post<{ runId: string }>('/v1/runs', { workflow: 'bench.wait', input: { key }, engine: 'db' }, 201)),
    () => until(`${STARTS} runs waiting`, waitingNow, (n) => n >= STARTS, 600_000),
  );
  rows.push({ phase: 'API: start a run that waits (Postgres engine)', items: STARTS, perSecond: starts.result.perSecond, latencyMs: summarize(starts.result.latenciesMs), cpuMsPerItem: starts.cpuMsPerItem });

  // 2. The 10-step workflow, waiting for its result.
  log(`workflows: ${WORKFLOWS} runs of ${STEPS} core.echo steps, ${WORKFLOW_CLIENTS} clients, POST /v1/runs with wait`);
  const flowsSince = await databaseNow();
  const flows = await measured(WORKFLOWS, () =>
    runClosedLoop(Array.from({ length: WORKFLOWS }, (_, i) => i), WORKFLOW_CLIENTS, async (i) => {
      const run = await post<{ status: string }>('/v1/runs', { workflow: 'bench.ten-echoes', input: { i }, engine: 'db', wait: 60_000 }, 200);
      if (run.status !== 'SUCCEEDED') throw new Error(`run ended ${run.status}`);
    }),
  );
  rows.push({ phase: `API: ${STEPS}-step workflow, POST with wait`, items: WORKFLOWS, perSecond: flows.result.perSecond, latencyMs: summarize(flows.result.latenciesMs), cpuMsPerItem: flows.cpuMsPerItem });

  // 3. Event -> resumed, on the runs of phase 1.
  log(`events: one event for each of ${EVENTS} waiting runs, ${START_CLIENTS} clients`);
  const eventKeys = keys.slice(0, EVENTS);
  const runIds = starts.result.results.slice(0, EVENTS).map((r) => r.runId);
  const events = await measured(
    EVENTS,
    () => runClosedLoop(eventKeys, START_CLIENTS, (key) => post<{ routed: unknown[] }>('/v1/events', { eventId: `ev-${key}`, eventName: 'PAID', correlationKey: key, payload: { key } }, 202)),
    () => until(`${EVENTS} runs finished`, () => count(`select count(*) as n from ${table('workflow_runs')} where run_id = any($1) and status = 'SUCCEEDED'`, [runIds]), (n) => n === EVENTS, 600_000),
  );
  const completed = new Map((await pool.query<{ run_id: string; completed_at: Date }>(`select run_id, completed_at from ${table('workflow_runs')} where run_id = any($1)`, [runIds])).rows.map((r) => [r.run_id, r.completed_at.getTime()]));
  rows.push({
    phase: 'API: event -> waiting run resumed',
    items: EVENTS,
    perSecond: events.result.perSecond,
    latencyMs: summarize(events.result.latenciesMs),
    secondLatencyMs: summarize(runIds.map((id, i) => completed.get(id)! - events.result.sentAtMs[i]!)),
    cpuMsPerItem: events.cpuMsPerItem,
  });

  // 4. Temporal: starts through the API against raw client starts.
  if (TEMPORAL_STARTS > 0) {
    log(`Temporal: ${TEMPORAL_STARTS} starts through the API and ${TEMPORAL_STARTS} raw client starts`);
    const rawQueue = `${taskQueue}-raw`;
    const halves = [Math.floor(TEMPORAL_STARTS / 2), TEMPORAL_STARTS - Math.floor(TEMPORAL_STARTS / 2)];
    const api: Array<Awaited<ReturnType<typeof measured<unknown>>>> = [];
    const raw: Array<PhaseResult<unknown>> = [];
    for (const [round, size] of halves.entries()) {
      const items = Array.from({ length: size }, (_, i) => `t-${suffix}-${round}-${i}`);
      const viaApi = () => measured(size, () => runClosedLoop(items, START_CLIENTS, (key) => post('/v1/runs', { workflow: 'bench.wait', input: { key }, engine: 'temporal' }, 201)));
      const viaClient = () =>
        runClosedLoop(items, START_CLIENTS, (key) =>
          temporal.workflow.start(BATON_WORKFLOW_TYPE, { taskQueue: rawQueue, workflowId: `raw-${key}`, args: [{ context: { runId: key, tenant: TENANT, workflow: 'bench.wait', version: '1.0.0', engine: 'temporal', startedAt: new Date().toISOString() }, definition: waitDefinition, definitionHash: contentHash(waitDefinition), input: { key }, runKey: key }] }),
        );
      // alternate the order so drift on the machine weighs on both alike
      if (round % 2 === 0) {
        api.push(await viaApi());
        raw.push(await viaClient());
      } else {
        raw.push(await viaClient());
        api.push(await viaApi());
      }
    }
    const merge = (parts: Array<PhaseResult<unknown>>) => {
      const durationMs = parts.reduce((s, p) => s + p.durationMs, 0);
      const latencies = parts.flatMap((p) => p.latenciesMs);
      return { perSecond: (latencies.length * 1000) / durationMs, latencyMs: summarize(latencies) };
    };
    const viaApi = merge(api.map((a) => a.result));
    const viaRaw = merge(raw);
    const total = (k: 'ingress' | 'worker') => api.reduce((s, a, i) => s + a.cpuMsPerItem[k] * halves[i]!, 0) / TEMPORAL_STARTS;
    rows.push({ phase: 'raw Temporal client start (baseline)', items: TEMPORAL_STARTS, ...viaRaw, cpuMsPerItem: {} });
    rows.push({ phase: 'API: start on the Temporal engine', items: TEMPORAL_STARTS, ...viaApi, cpuMsPerItem: { ingress: total('ingress'), worker: total('worker') } });
  }

  // Anchors in this process: Baton's Postgres engine in-process, and DBOS Transact.
  log(`anchors: ${WORKFLOWS} runs each of the in-process Postgres engine and of DBOS Transact, ${WORKFLOW_CLIENTS} clients`);
  const migrated = await migrateToLatest(createDatabase(pool, inProcessSchema), { schema: inProcessSchema });
  if (migrated.error) throw migrated.error;
  await seedHistory(pool, inProcessSchema, TENANT, HISTORY);
  const settled = new Map<string, () => void>();
  const engine = createPostgresEngine({ pool, schema: inProcessSchema, actions: createActionRegistry(), concurrency: WORKFLOW_CLIENTS, pollIntervalMs: 5000, onRunSettled: (run) => settled.get(run.runId)?.() });
  const stores = createPostgresStores({ pool, schema: inProcessSchema });
  const echo = echoDefinition();
  const hash = contentHash(echo);
  await stores.definitions.publish(TENANT, { name: echo.name, version: echo.version, hash, definition: echo, triggerEventName: null, publishedAt: new Date().toISOString() });
  await engine.startWorker();
  const inProcessRun = async (i: number) => {
    const runId = randomUUID();
    const done = new Promise<void>((resolve) => settled.set(runId, resolve));
    await engine.start({ tenant: TENANT, runId, workflow: { name: echo.name, version: echo.version, hash }, definition: echo, input: { i } as JsonValue, executionKey: null, runKey: runId, startedAt: new Date().toISOString() });
    await done;
    settled.delete(runId);
  };
  const inProcessPhase = async (run: (i: number) => Promise<void>) => {
    const cpu = process.cpuUsage();
    const result = await runClosedLoop(Array.from({ length: WORKFLOWS }, (_, i) => i), WORKFLOW_CLIENTS, run);
    const used = process.cpuUsage(cpu);
    return { result, cpuMs: (used.user + used.system) / 1000 / WORKFLOWS };
  };
  await launchDbos(databaseUrl, dbosSchema, 16);
  await runClosedLoop(Array.from({ length: WARMUP }, (_, i) => i), WORKFLOW_CLIENTS, inProcessRun);
  await runClosedLoop(Array.from({ length: WARMUP }, (_, i) => i), WORKFLOW_CLIENTS, (i) => runDbosWorkflow({ i }));
  const inProcessSince = await databaseNow();
  const inProcess = await inProcessPhase(inProcessRun);
  const dbos = await inProcessPhase((i) => runDbosWorkflow({ i }));
  await engine.stopWorker();
  await shutdownDbos();
  rows.push({ phase: `in-process Baton Postgres engine, ${STEPS} steps`, items: WORKFLOWS, perSecond: inProcess.result.perSecond, latencyMs: summarize(inProcess.result.latenciesMs), cpuMsPerItem: { inProcess: inProcess.cpuMs } });
  const timelines: Record<'api' | 'inProcess', RunTimeline & { requestP50Ms: number }> = {
    api: { ...(await runTimeline(pool, schema, echo.name, flowsSince)), requestP50Ms: summarize(flows.result.latenciesMs).p50 },
    inProcess: { ...(await runTimeline(pool, inProcessSchema, echo.name, inProcessSince)), requestP50Ms: summarize(inProcess.result.latenciesMs).p50 },
  };
  rows.push({ phase: `in-process DBOS Transact, ${STEPS} steps (anchor)`, items: WORKFLOWS, perSecond: dbos.result.perSecond, latencyMs: summarize(dbos.result.latenciesMs), cpuMsPerItem: { inProcess: dbos.cpuMs } });

  log(`pgbench -N -c 8 for ${PGBENCH_SECONDS} s`);
  const adminUrl = new URL(databaseUrl);
  adminUrl.pathname = '/postgres';
  const ceiling = await pgbench(adminUrl.toString(), { seconds: PGBENCH_SECONDS });
  rows.push({ phase: 'pgbench -N, 8 clients (ceiling, transactions)', items: Math.round(ceiling.tps * PGBENCH_SECONDS), perSecond: ceiling.tps, latencyMs: { p50: ceiling.latencyMs, p99: Number.NaN, max: Number.NaN, count: 0 }, cpuMsPerItem: {} });

  const byPhase = (prefix: string) => rows.find((r) => r.phase.startsWith(prefix));
  const startRow = byPhase('API: start a run')!;
  const flowRow = byPhase('API: 10-step')!;
  const eventRow = byPhase('API: event')!;
  const inProcRow = byPhase('in-process Baton')!;
  const dbosRow = byPhase('in-process DBOS')!;
  const rawRow = byPhase('raw Temporal');
  const apiTemporalRow = byPhase('API: start on the Temporal');
  const goals = {
    startsPerSecond: { goal: `>= ${GOALS.startsPerSecond}`, measured: startRow.perSecond, met: startRow.perSecond >= GOALS.startsPerSecond },
    startP99Ms: { goal: `< ${GOALS.startP99Ms}`, measured: startRow.latencyMs.p99, met: startRow.latencyMs.p99 < GOALS.startP99Ms },
    apiOverDbos: { goal: `>= ${GOALS.apiOverDbos}`, measured: flowRow.perSecond / dbosRow.perSecond, met: flowRow.perSecond / dbosRow.perSecond >= GOALS.apiOverDbos },
    apiP50OverInProcessP50: { goal: `<= ${GOALS.apiP50OverInProcessP50}`, measured: flowRow.latencyMs.p50 / inProcRow.latencyMs.p50, met: flowRow.latencyMs.p50 / inProcRow.latencyMs.p50 <= GOALS.apiP50OverInProcessP50 },
    ...(rawRow && apiTemporalRow
      ? { temporalOverRaw: { goal: `>= ${GOALS.temporalOverRaw}`, measured: apiTemporalRow.perSecond / rawRow.perSecond, met: apiTemporalRow.perSecond / rawRow.perSecond >= GOALS.temporalOverRaw } }
      : {}),
    eventsPerSecond: { goal: `>= ${GOALS.eventsPerSecond}`, measured: eventRow.perSecond, met: eventRow.perSecond >= GOALS.eventsPerSecond },
  };

  const f = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '' : n.toFixed(digits));
  console.log('');
  console.log('| phase | n | per s | p50 ms | p99 ms | event -> finished p50 / p99 ms | CPU ms/run ingress | worker | Postgres | load clients | machine | in-process |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.phase} | ${r.items} | ${f(r.perSecond)} | ${f(r.latencyMs.p50)} | ${f(r.latencyMs.p99)} | ${r.secondLatencyMs ? `${f(r.secondLatencyMs.p50)} / ${f(r.secondLatencyMs.p99)}` : ''} | ${f(r.cpuMsPerItem.ingress, 2)} | ${f(r.cpuMsPerItem.worker, 2)} | ${f(r.cpuMsPerItem.postgres, 2)} | ${f(r.cpuMsPerItem.clients, 2)} | ${f(r.cpuMsPerItem.machine, 2)} | ${f(r.cpuMsPerItem.inProcess, 2)} |`,
    );
  }
  console.log('');
  for (const [name, g] of Object.entries(goals)) console.log(`${name}: ${f(g.measured, 2)} (goal ${g.goal}: ${g.met ? 'met' : 'MISSED'})`);
  console.log('');
  console.log(`${STEPS}-step workflow, p50 ms | request | run inserted -> first step committed | first step -> finished | outside the run's rows (request - inserted -> finished)`);
  for (const [name, t] of Object.entries(timelines)) {
    console.log(`${name === 'api' ? 'API (ingress + worker)' : 'in-process engine'} | ${f(t.requestP50Ms)} | ${f(t.toFirstStepMs)} | ${f(t.restMs)} | ${f(t.requestP50Ms - t.totalMs)}`);
  }
  console.log(`history: ${HISTORY} finished runs per Baton schema before measuring`);
  console.log(`${os.cpus().length} CPUs, load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; node ${process.version}`);

  const out = path.join(root, 'bench', 'results', 'api.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ benchmark: 'api', history: HISTORY, node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), rows, timelines, goals }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  http.close();
} finally {
  await stopChildren();
  for (const s of [schema, inProcessSchema, dbosSchema]) await pool.query(`drop schema if exists "${s}" cascade`).catch(() => undefined);
  await pool.end();
  await connection.close();
}
