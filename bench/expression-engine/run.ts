/**
 * Expression engine benchmark: evaluations per second of realistic workflow expressions for
 * (a) @baton/expression-engine with its compile cache, (b) raw jsonata compiling on every call,
 * (c) raw jsonata evaluating a pre-compiled expression, (d) hand-written JavaScript.
 * Run after building the package: `npx tsx bench/expression-engine/run.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compileExpression } from '@baton/expression-engine';
import jsonata from 'jsonata';
import { context, workloads } from './workloads.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 250);

type Variant = 'a' | 'b' | 'c' | 'd';
const VARIANTS: Record<Variant, string> = {
  a: 'engine (cached compile + guarded evaluate)',
  b: 'raw jsonata compile + evaluate per call',
  c: 'raw jsonata, pre-compiled',
  d: 'hand-written JS',
};

/** Runs `call` repeatedly for about `ms` milliseconds; returns calls per second. */
async function rate(call: () => unknown, ms: number): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 50; i++) await call();
    calls += 50;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Row {
  workload: string;
  source: string;
  perSecond: Record<Variant, number>;
  ratios: { aOverB: number; aOverC: number };
}

/** `BENCH_WORKLOADS=regex,format` runs only the workloads whose name contains one of the words. */
const only = process.env['BENCH_WORKLOADS']?.split(',').filter(Boolean);
const selected = only === undefined ? workloads : workloads.filter((w) => only.some((word) => w.name.includes(word)));

const rows: Row[] = [];
for (const workload of selected) {
  const precompiled = jsonata(workload.source);
  const calls: Record<Variant, () => unknown> = {
    a: () => compileExpression(workload.source).evaluate(context),
    b: () => jsonata(workload.source).evaluate(context),
    c: () => precompiled.evaluate(context),
    d: () => workload.handWritten(context),
  };
  // Every variant must compute the same value, or the comparison means nothing.
  const expected = JSON.parse(JSON.stringify(await calls.c())) as unknown;
  for (const variant of ['a', 'b', 'd'] as const) {
    const actual = JSON.parse(JSON.stringify(await calls[variant]())) as unknown;
    if (!isDeepStrictEqual(actual, expected)) throw new Error(`${workload.name}: variant ${variant} computed ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
  for (const variant of Object.keys(calls) as Variant[]) await rate(calls[variant], ROUND_MS); // warm-up
  const samples: Record<Variant, number[]> = { a: [], b: [], c: [], d: [] };
  // Rounds interleave the variants so drift (GC, CPU frequency) hits all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of Object.keys(calls) as Variant[]) samples[variant].push(await rate(calls[variant], ROUND_MS));
  }
  const perSecond = { a: median(samples.a), b: median(samples.b), c: median(samples.c), d: median(samples.d) };
  rows.push({ workload: workload.name, source: workload.source, perSecond, ratios: { aOverB: perSecond.a / perSecond.b, aOverC: perSecond.a / perSecond.c } });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const header = ['workload', '(a) engine/s', '(b) compile+eval/s', '(c) precompiled/s', '(d) JS/s', 'a/b', 'a/c'];
const table = rows.map((r) => [r.workload, fmt(r.perSecond.a), fmt(r.perSecond.b), fmt(r.perSecond.c), fmt(r.perSecond.d), r.ratios.aOverB.toFixed(2), r.ratios.aOverC.toFixed(2)]);
const geomean = (values: number[]): number => Math.exp(values.reduce((s, v) => s + Math.log(v), 0) / values.length);
const summary = { aOverB: geomean(rows.map((r) => r.ratios.aOverB)), aOverC: geomean(rows.map((r) => r.ratios.aOverC)) };
table.push(['geometric mean', '', '', '', '', summary.aOverB.toFixed(2), summary.aOverC.toFixed(2)]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log(`\ngoal: a/b >= 8 and a/c >= ${(1 / 1.3).toFixed(2)} (a within 1.3x of c); ${ROUNDS} rounds of ${ROUND_MS} ms per variant, median`);

const out = path.join(import.meta.dirname, '..', 'results', 'expression-engine.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'expression-engine', node: process.version, rounds: ROUNDS, roundMs: ROUND_MS, variants: VARIANTS, rows, geometricMean: summary }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(process.cwd(), out)}`);
