/**
 * Ingress benchmark. The ingress runs as its deployable process (`apps/ingress/dist/main.js`), the
 * engines' workers in a helper process, this process generates load over real sockets.
 *  1. Postgres path: BENCH_DB_RUNS (5,000) runs wait on distinct correlation keys; one event per run is
 *     sent to POST /v1/events by BENCH_CLIENTS (16) concurrent clients: accepted events/s, p50/p99
 *     request latency, p50/p99 event-to-run-resumed latency (send -> the run's completed_at).
 *  2. Temporal path: BENCH_TEMPORAL_RUNS (1,000) runs get their event through the ingress; as the
 *     baseline, as many identical runs get the same signal straight from a Temporal client, in this
 *     same invocation, in BENCH_TEMPORAL_ROUNDS (4) alternating rounds.
 * Run with `npm run bench:ingress` (builds first). Prints a table, writes bench/results/ingress.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { upServices } from '@baton/dev-services';
import { eventSignal, workflowIdForRun } from '@baton/temporal-adapter';
import { freePort } from '../shared/free-port.js';
import { processCpuMs } from '../shared/process-cpu.js';
import { createJsonClient } from './http-client.js';
import { chunks, mergePhases, runClosedLoop, summarize, until, type PhaseResult } from './load.js';

const DB_RUNS = Number(process.env['BENCH_DB_RUNS'] ?? 5_000);
const TEMPORAL_RUNS = Number(process.env['BENCH_TEMPORAL_RUNS'] ?? 1_000);
const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 16);
const TEMPORAL_ROUNDS = Number(process.env['BENCH_TEMPORAL_ROUNDS'] ?? 4);
const GOALS = { dbEventsPerSecond: 1_000, dbP99RequestMs: 50, temporalOverRaw: 0.8 } as const;

const root = path.join(import.meta.dirname, '..', '..');
const suffix = randomUUID().slice(0, 8);
const schema = `bench_ingress_${suffix}`;
const taskQueue = `bench-ingress-${suffix}`;
const apiKey = `bench-${randomUUID()}`;
const children: ChildProcess[] = [];

function log(message: string): void {
  process.stderr.write(`[bench:ingress] ${message}\n`);
}


function spawnChild(name: string, command: string, args: string[], env: Record<string, string>, readyLine?: string): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
    if (!readyLine) return resolve(child);
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(readyLine)) resolve(child);
    });
  });
}


async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
}

const { env: serviceEnv } = await upServices({ only: ['postgres', 'temporal'], temporal: { ui: false } });
const databaseUrl = serviceEnv['DATABASE_URL']!;
const temporalAddress = serviceEnv['TEMPORAL_ADDRESS']!;
const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
pool.on('error', () => undefined);
const connection = await Connection.connect({ address: temporalAddress });
const client = new Client({ connection });

try {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log(`starting the ingress on ${base} (schema ${schema}) and the engine workers`);
  const nodeArgs = (process.env['BENCH_INGRESS_NODE_ARGS'] ?? '').split(' ').filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  const ingress = await spawnChild('ingress', process.execPath, [...nodeArgs, 'apps/ingress/dist/main.js'], {
    DATABASE_URL: databaseUrl,
    BATON_DB_SCHEMA: schema,
    TEMPORAL_ADDRESS: temporalAddress,
    BATON_TASK_QUEUE: taskQueue,
    BATON_API_KEYS: `bench:${apiKey}`,
    BATON_INGRESS_PORT: String(port),
    // The harness Postgres allows 30 connections, shared with whatever else runs on the machine.
    BATON_DB_POOL_SIZE: '12',
    BATON_LOG_LEVEL: 'warn',
  });
  await until('the ingress to answer /healthz', () => fetch(`${base}/healthz`).then((r) => r.status, () => 0), (s) => s === 200, 60_000);
  const engines = await spawnChild('engines', process.execPath, ['--import', 'tsx', 'bench/ingress/engine-worker.ts'], { DATABASE_URL: databaseUrl, BATON_DB_SCHEMA: schema, TEMPORAL_ADDRESS: temporalAddress, BATON_TASK_QUEUE: taskQueue }, 'ready');
  /** Runs `phase`, measuring the CPU the ingress and engine processes spent per item. */
  async function withCpu<T extends PhaseResult<unknown>>(items: number, phase: () => Promise<T>): Promise<T & { cpuMsPerEvent: { ingress: number; engines: number } }> {
    const before = { ingress: processCpuMs(ingress.pid), engines: processCpuMs(engines.pid) };
    const result = await phase();
    return { ...result, cpuMsPerEvent: { ingress: (processCpuMs(ingress.pid) - before.ingress) / items, engines: (processCpuMs(engines.pid) - before.engines) / items } };
  }

  const http = createJsonClient(base, { authorization: `Bearer ${apiKey}` }, CLIENTS);
  async function post<T>(url: string, body: unknown, expected: number): Promise<T> {
    const res = await http.post(url, body);
    if (res.status !== expected) throw new Error(`POST ${url} answered ${res.status}: ${res.text.slice(0, 500)}`);
    return JSON.parse(res.text) as T;
  }
  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const table = (name: string) => `"${schema}".${name}`;

  await post('/v1/workflows', {
    name: 'bench.wait',
    version: '1.0.0',
    steps: [
      { id: 'wait', type: 'event.wait', eventName: 'PAID', correlationKey: { $expr: 'input.key' } },
      { id: 'done', type: 'control.return', output: { ok: true } },
    ],
  }, 201);

  async function startRuns(engine: 'db' | 'temporal', keys: readonly string[]): Promise<Map<string, string>> {
    const started = await runClosedLoop(keys, CLIENTS, (key) => post<{ runId: string }>('/v1/runs', { workflow: 'bench.wait', input: { key }, engine, executionKey: key }, 201));
    log(`started ${keys.length} ${engine} runs at ${Math.round(started.perSecond)}/s`);
    return new Map(keys.map((key, i) => [key, started.results[i]!.runId]));
  }

  async function untilWaiting(engine: 'db' | 'temporal', expected: number): Promise<void> {
    await until(`${expected} ${engine} runs waiting`, () => count(`select count(*) as n from ${table('workflow_run_waits')} where status = 'WAITING' and engine = $1`, [engine]), (n) => n >= expected, 600_000);
  }

  async function untilSucceeded(runIds: readonly string[]): Promise<Map<string, number>> {
    await until(`${runIds.length} runs succeeded`, () => count(`select count(*) as n from ${table('workflow_runs')} where run_id = any($1) and status = 'SUCCEEDED'`, [runIds]), (n) => n === runIds.length, 600_000);
    const rows = (await pool.query<{ run_id: string; completed_at: Date }>(`select run_id, completed_at from ${table('workflow_runs')} where run_id = any($1)`, [runIds])).rows;
    return new Map(rows.map((r) => [r.run_id, r.completed_at.getTime()]));
  }

  /** Event-to-run-resumed latency: the run's completed_at (its only step after the wait is a return) minus the send time. */
  function resumedLatencies(phase: PhaseResult<unknown>, runIds: readonly string[], completedAt: Map<string, number>): number[] {
    return runIds.map((runId, i) => completedAt.get(runId)! - phase.sentAtMs[i]!);
  }

  interface Row {
    path: string;
    runs: number;
    perSecond: number;
    requestMs: ReturnType<typeof summarize>;
    resumedMs: ReturnType<typeof summarize>;
    /** CPU ms the ingress and engine processes spent per event during the send phase */
    cpuMsPerEvent: { ingress: number; engines: number };
  }
  const rows: Row[] = [];

  async function sendEvents(runs: Map<string, string>, prefix: string): Promise<PhaseResult<{ routed: Array<{ runId: string }> }>> {
    const keys = [...runs.keys()];
    const phase = await runClosedLoop(keys, CLIENTS, (key) =>
      post<{ routed: Array<{ runId: string }> }>('/v1/events', { eventId: `${prefix}-${key}`, eventName: 'PAID', correlationKey: key, payload: { key } }, 202),
    );
    const unrouted = phase.results.filter((r, i) => r.routed.length !== 1 || r.routed[0]!.runId !== runs.get(keys[i]!)).length;
    if (unrouted) throw new Error(`${unrouted} events were not routed to exactly their run`);
    return phase;
  }

  // 1. Postgres engine.
  const dbRuns = await startRuns('db', Array.from({ length: DB_RUNS }, (_, i) => `db-${suffix}-${i}`));
  await untilWaiting('db', DB_RUNS);
  log(`${DB_RUNS} db runs waiting; sending one event per run with ${CLIENTS} clients`);
  const dbPhase = await withCpu(DB_RUNS, () => sendEvents(dbRuns, 'ev'));
  const dbIds = [...dbRuns.values()];
  const dbDone = await untilSucceeded(dbIds);
  rows.push({ path: 'ingress -> Postgres engine', runs: DB_RUNS, perSecond: dbPhase.perSecond, requestMs: summarize(dbPhase.latenciesMs), resumedMs: summarize(resumedLatencies(dbPhase, dbIds, dbDone)), cpuMsPerEvent: dbPhase.cpuMsPerEvent });

  // 2. Temporal engine: raw client signals (baseline) and the ingress, on identical waiting runs.
  const rawKeys = Array.from({ length: TEMPORAL_RUNS }, (_, i) => `raw-${suffix}-${i}`);
  const viaKeys = Array.from({ length: TEMPORAL_RUNS }, (_, i) => `tmp-${suffix}-${i}`);
  const rawRuns = await startRuns('temporal', rawKeys);
  const viaRuns = await startRuns('temporal', viaKeys);
  await untilWaiting('temporal', 2 * TEMPORAL_RUNS);
  log(`${2 * TEMPORAL_RUNS} temporal runs waiting; raw signals and ingress events in ${TEMPORAL_ROUNDS} alternating rounds`);
  // Alternating rounds (raw first in even rounds, ingress first in odd ones) so load drift on the
  // machine weighs on both variants alike; each chunk's runs finish before the next chunk is sent,
  // so neither variant is measured against the worker backlog the other one left.
  const rawParts: Array<PhaseResult<void>> = [];
  const viaParts: Array<PhaseResult<{ routed: Array<{ runId: string }> }>> = [];
  const cpu = { raw: { ingress: 0, engines: 0 }, via: { ingress: 0, engines: 0 } };
  const rawChunks = chunks(rawKeys, TEMPORAL_ROUNDS);
  const viaChunks = chunks(viaKeys, TEMPORAL_ROUNDS);
  for (let round = 0; round < rawChunks.length; round++) {
    const raw = async () => {
      const part = await withCpu(rawChunks[round]!.length, () =>
        runClosedLoop(rawChunks[round]!, CLIENTS, (key) =>
          client.workflow.getHandle(workflowIdForRun(rawRuns.get(key)!)).signal(eventSignal, { eventId: `raw-${key}`, eventName: 'PAID', correlationKey: key, payload: { key } }),
        ),
      );
      rawParts.push(part);
      await untilSucceeded(rawChunks[round]!.map((key) => rawRuns.get(key)!));
      cpu.raw.ingress += part.cpuMsPerEvent.ingress * part.results.length;
      cpu.raw.engines += part.cpuMsPerEvent.engines * part.results.length;
    };
    const via = async () => {
      const chunk = new Map(viaChunks[round]!.map((key) => [key, viaRuns.get(key)!]));
      const part = await withCpu(chunk.size, () => sendEvents(chunk, 'ev'));
      viaParts.push(part);
      await untilSucceeded([...chunk.values()]);
      cpu.via.ingress += part.cpuMsPerEvent.ingress * part.results.length;
      cpu.via.engines += part.cpuMsPerEvent.engines * part.results.length;
    };
    if (round % 2 === 0) {
      await raw();
      await via();
    } else {
      await via();
      await raw();
    }
  }
  const rawPhase = mergePhases(rawParts);
  const viaPhase = mergePhases(viaParts);
  const rawIds = rawKeys.map((key) => rawRuns.get(key)!);
  const viaIds = viaKeys.map((key) => viaRuns.get(key)!);
  const rawDone = await untilSucceeded(rawIds);
  const viaDone = await untilSucceeded(viaIds);
  const perEvent = (c: { ingress: number; engines: number }) => ({ ingress: c.ingress / TEMPORAL_RUNS, engines: c.engines / TEMPORAL_RUNS });
  rows.push({ path: 'raw Temporal client signal', runs: TEMPORAL_RUNS, perSecond: rawPhase.perSecond, requestMs: summarize(rawPhase.latenciesMs), resumedMs: summarize(resumedLatencies(rawPhase, rawIds, rawDone)), cpuMsPerEvent: perEvent(cpu.raw) });
  rows.push({ path: 'ingress -> Temporal engine', runs: TEMPORAL_RUNS, perSecond: viaPhase.perSecond, requestMs: summarize(viaPhase.latenciesMs), resumedMs: summarize(resumedLatencies(viaPhase, viaIds, viaDone)), cpuMsPerEvent: perEvent(cpu.via) });

  const db = rows[0]!;
  const raw = rows[1]!;
  const via = rows[2]!;
  const goals = {
    dbEventsPerSecond: { goal: `>= ${GOALS.dbEventsPerSecond}`, measured: db.perSecond, met: db.perSecond >= GOALS.dbEventsPerSecond },
    dbP99RequestMs: { goal: `< ${GOALS.dbP99RequestMs}`, measured: db.requestMs.p99, met: db.requestMs.p99 < GOALS.dbP99RequestMs },
    temporalOverRaw: { goal: `>= ${GOALS.temporalOverRaw}`, measured: via.perSecond / raw.perSecond, met: via.perSecond / raw.perSecond >= GOALS.temporalOverRaw },
  };

  const ms = (n: number) => n.toFixed(1);
  const header = ['path', 'runs', 'events/s', 'req p50 ms', 'req p99 ms', 'resumed p50 ms', 'resumed p99 ms', 'ingress cpu ms/ev'];
  const cells = rows.map((r) => [
    r.path,
    String(r.runs),
    Math.round(r.perSecond).toLocaleString('en-US'),
    ms(r.requestMs.p50),
    ms(r.requestMs.p99),
    ms(r.resumedMs.p50),
    ms(r.resumedMs.p99),
    r.path.startsWith('raw') ? '-' : r.cpuMsPerEvent.ingress.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
  console.log('');
  console.log(`Postgres path: ${Math.round(db.perSecond)} events/s (goal >= ${GOALS.dbEventsPerSecond}: ${goals.dbEventsPerSecond.met ? 'met' : 'MISSED'}), p99 request ${ms(db.requestMs.p99)} ms (goal < ${GOALS.dbP99RequestMs}: ${goals.dbP99RequestMs.met ? 'met' : 'MISSED'})`);
  console.log(`Temporal path: ingress/raw = ${goals.temporalOverRaw.measured.toFixed(2)} (goal >= ${GOALS.temporalOverRaw}: ${goals.temporalOverRaw.met ? 'met' : 'MISSED'})`);
  console.log(`${CLIENTS} closed-loop clients over keep-alive HTTP; ${os.cpus().length} CPUs, load average at the end ${os.loadavg()[0]!.toFixed(1)}; node ${process.version}`);

  const out = path.join(root, 'bench', 'results', 'ingress.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ benchmark: 'ingress', node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg(), clients: CLIENTS, rows, goals }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
  http.close();
} finally {
  await stopChildren();
  await pool.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
  await pool.end();
  await connection.close();
}
