/**
 * Hostile-input benchmark: the CPU one request of a tenant can spend on expression and schema
 * evaluation under the default limits, over a corpus of adversarial definitions, inputs and events.
 * Each case is measured with `process.cpuUsage` (user + system), best of 3 after one warm-up; the
 * table prints the worst case per category against the goal (50 ms). The baseline row runs the
 * catastrophic pattern on the validator's own backtracking engine, in the same process, with fewer
 * characters (28 took 28 s). Run after building: `npx tsx bench/hostile-input/run.ts` (~20 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Validator, type Schema } from '@cfworker/json-schema';
import { compileExpression } from '@baton/expression-engine';
import type { WorkflowDefinition } from '@baton/event-schemas';
import { advance, createActionRegistry, findUnstorable, validateAgainstJsonSchema, validateDefinition } from '@baton/runtime-core';

const GOAL_MS = 50;
const INPUT_LIMIT = 256 * 1024;

interface Case {
  readonly category: string;
  readonly name: string;
  readonly run: () => unknown;
}

function cpuMs(run: () => unknown): number {
  const start = process.cpuUsage();
  const out = run();
  if (out instanceof Promise) throw new Error('cases must be synchronous');
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function cpuMsAsync(run: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const a = (n: number) => 'a'.repeat(n);
const fitting = (unit: string) => unit.repeat(Math.floor((INPUT_LIMIT - 64) / unit.length));
const REDOS = ['^(a|a)*$', '^(a+)+$', '^(a|aa)+$', '(.*a){12}', '^([a-z]+)*[0-9]$', '^(\\w+\\s?)*$'];
const actions = createActionRegistry();

const definition = (extra: Partial<WorkflowDefinition>): WorkflowDefinition =>
  ({ name: 'hostile.flow', version: '1.0.0', steps: [{ id: 'a', type: 'transform.assign', assign: { 'vars.x': 1 } }], ...extra }) as WorkflowDefinition;

const cases: Case[] = [];
for (const pattern of REDOS) {
  const schema = { type: 'object', properties: { s: { type: 'string', pattern } } };
  for (const value of [`${a(28)}!`, `${a(5000)}!`, `${fitting('a')}!`]) {
    cases.push({ category: 'inputSchema pattern (start a run)', name: `${pattern} × ${value.length} chars`, run: () => validateAgainstJsonSchema(schema, { s: value }) });
  }
}
{
  const form = { type: 'object', properties: { note: { type: 'string', pattern: '^(\\w+\\s?)*$' }, tags: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^(a|a)*$' } } } };
  cases.push({ category: 'formSchema (complete a task)', name: 'ReDoS note, 256 KiB', run: () => validateAgainstJsonSchema(form, { note: `${fitting('word ')}!`, tags: [] }) });
  cases.push({ category: 'formSchema (complete a task)', name: '128 distinct ReDoS tags', run: () => validateAgainstJsonSchema(form, { note: 'x', tags: Array.from({ length: 128 }, (_, i) => `${a(200)}${i}!`) }) });
}
{
  const unique = { type: 'array', uniqueItems: true };
  cases.push({ category: 'uniqueItems', name: '50,000 distinct numbers', run: () => validateAgainstJsonSchema(unique, Array.from({ length: 50_000 }, (_, i) => i)) });
  cases.push({ category: 'uniqueItems', name: '128 distinct objects of 1 KiB', run: () => validateAgainstJsonSchema(unique, Array.from({ length: 128 }, (_, i) => ({ pad: 'p'.repeat(1000), i }))) });
  cases.push({ category: 'uniqueItems', name: '128 near-equal nested objects', run: () => validateAgainstJsonSchema(unique, Array.from({ length: 128 }, (_, i) => ({ a: { b: { c: Array.from({ length: 40 }, () => 1) } }, i }))) });
}
{
  const nested = (depth: number): unknown => (depth === 0 ? { type: 'string', pattern: '^(a+)+$' } : { anyOf: [nested(depth - 1), { not: nested(depth - 1) }] });
  cases.push({ category: 'publish (validate a definition)', name: 'inputSchema: nested anyOf/not of ReDoS patterns', run: () => validateDefinition(definition({ inputSchema: nested(8) as never }), { actions }) });
  cases.push({ category: 'publish (validate a definition)', name: '500 expressions', run: () => validateDefinition(definition({ steps: Array.from({ length: 500 }, (_, i) => ({ id: `s${i}`, type: 'transform.assign', assign: { [`vars.v${i}`]: { $expr: `$sum(input.xs) + ${i}` } } })) as never }), { actions }) });
}
{
  const big = { s: fitting('x\u00e9') };
  cases.push({ category: 'storable check (every value a step keeps)', name: '256 KiB string', run: () => findUnstorable(big) });
  cases.push({ category: 'storable check (every value a step keeps)', name: '256 KiB of lone surrogates', run: () => findUnstorable({ s: fitting('\ud800x') }) });
  const wide = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, `v${i}\u0000`]));
  cases.push({ category: 'storable check (every value a step keeps)', name: '20,000 keys, NUL at each', run: () => findUnstorable(wide) });
}

interface AsyncCase {
  readonly category: string;
  readonly name: string;
  readonly run: () => Promise<unknown>;
}
const asyncCases: AsyncCase[] = [];
{
  const start = (def: WorkflowDefinition, input: unknown) => () =>
    advance(def, undefined, { type: 'Start', now: '2025-01-01T00:00:00.000Z', context: { runId: 'r', tenant: 't', workflow: def.name, version: def.version, engine: 'db', startedAt: '2025-01-01T00:00:00.000Z' }, input: input as null });
  const redos = definition({ inputSchema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a|a)*$' } } } as never });
  asyncCases.push({ category: 'interpreter Start (both engines)', name: 'ReDoS inputSchema, 256 KiB input', run: start(redos, { s: `${fitting('a')}!` }) });
  const nul = definition({ steps: [{ id: 'a', type: 'transform.assign', assign: { 'vars.x': { $expr: 'input.s & "\\u0000"' } } }] as never });
  asyncCases.push({ category: 'interpreter Start (both engines)', name: 'NUL expression result over 256 KiB input', run: start(nul, { s: fitting('a') }) });
  const xs = { input: { xs: Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 20_000) } };
  for (const source of ['input.xs.($ * 2)', '$sum(input.xs.($ * $))', '$sort(input.xs)']) {
    let compiled: ReturnType<typeof compileExpression> | undefined;
    try {
      compiled = compileExpression(source);
    } catch {
      continue; // not allowed by the expression engine: nothing to measure
    }
    asyncCases.push({ category: 'expression (default limits)', name: `${source} over 20k items`, run: () => compiled.evaluate(xs).catch(() => undefined) });
  }
}

interface Result {
  readonly category: string;
  readonly name: string;
  readonly cpuMs: number;
}
const results: Result[] = [];
for (const c of cases) {
  c.run();
  const best = Math.min(cpuMs(c.run), cpuMs(c.run), cpuMs(c.run));
  results.push({ category: c.category, name: c.name, cpuMs: best });
}
for (const c of asyncCases) {
  await c.run();
  const best = Math.min(await cpuMsAsync(c.run), await cpuMsAsync(c.run), await cpuMsAsync(c.run));
  results.push({ category: c.category, name: c.name, cpuMs: best });
}

// Baseline: the same pattern on the validator's own (backtracking) engine, 20 and 22 characters.
const raw = new Validator({ type: 'string', pattern: '^(a|a)*$' } as Schema, '2020-12', false);
const baseline = [20, 22].map((n) => ({ chars: n + 1, cpuMs: cpuMs(() => raw.validate(`${a(n)}!`)) }));
const bounded = [20, 22].map((n) => ({ chars: n + 1, cpuMs: cpuMs(() => validateAgainstJsonSchema({ type: 'string', pattern: '^(a|a)*$' }, `${a(n)}!`)) }));

const categories = [...new Set(results.map((r) => r.category))];
const worst = categories.map((category) => {
  const rows = results.filter((r) => r.category === category);
  const top = rows.reduce((x, y) => (y.cpuMs > x.cpuMs ? y : x));
  return { category, cases: rows.length, worstMs: Number(top.cpuMs.toFixed(2)), worstCase: top.name, withinGoal: top.cpuMs <= GOAL_MS };
});

console.log(`\nhostile input: worst CPU per request (best of 3), goal <= ${GOAL_MS} ms\n`);
console.table(worst);
console.log('\nbaseline: ^(a|a)*$ against a…a! on the backtracking engine vs the bounded validator (CPU ms)');
console.table(baseline.map((b, i) => ({ chars: b.chars, backtrackingMs: Number(b.cpuMs.toFixed(1)), boundedMs: Number(bounded[i]!.cpuMs.toFixed(3)), ratio: Number((b.cpuMs / Math.max(bounded[i]!.cpuMs, 0.001)).toFixed(0)) })));

const out = path.join(import.meta.dirname, '..', 'results', 'hostile-input.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ goalMs: GOAL_MS, worst, results, baseline, bounded, node: process.version }, null, 2));
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
if (worst.some((w) => !w.withinGoal)) process.exitCode = 1;
