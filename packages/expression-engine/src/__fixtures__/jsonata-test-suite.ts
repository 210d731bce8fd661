import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { compileExpression } from '../compile-expression.js';
import { isExpressionError } from '../expression-error.js';

/** Where the vendored copy of JSONata's published test suite lives (data only, with its licence). */
export const SUITE_DIR = path.join(import.meta.dirname, '..', '..', 'test-suite', 'jsonata');

/** One case of the suite, as its JSON files describe it. */
export interface SuiteCase {
  /** `group/file` (with `[i]` for the i-th case of a file holding several). */
  readonly id: string;
  readonly expr: string;
  readonly input: unknown;
  readonly bindings: Record<string, unknown>;
  readonly expects: { kind: 'result'; value: unknown } | { kind: 'undefined' } | { kind: 'error'; code: string };
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Every case of the suite, in a stable order. */
export function loadSuite(): SuiteCase[] {
  const datasets = new Map<string, unknown>();
  for (const name of readdirSync(path.join(SUITE_DIR, 'datasets')).sort()) {
    datasets.set(name.replace(/\.json$/, ''), readJson(path.join(SUITE_DIR, 'datasets', name)));
  }
  const cases: SuiteCase[] = [];
  for (const group of readdirSync(path.join(SUITE_DIR, 'groups')).sort()) {
    const dir = path.join(SUITE_DIR, 'groups', group);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
      const spec = readJson(path.join(dir, file));
      const specs = (Array.isArray(spec) ? spec : [spec]) as Array<Record<string, unknown>>;
      specs.forEach((item, index) => {
        const id = `${group}/${file.replace(/\.json$/, '')}${Array.isArray(spec) ? `[${index}]` : ''}`;
        const expr = typeof item['expr-file'] === 'string' ? readFileSync(path.join(dir, item['expr-file']), 'utf8') : String(item.expr);
        const input = 'data' in item ? item.data : typeof item.dataset === 'string' ? datasets.get(item.dataset) : undefined;
        const expects: SuiteCase['expects'] =
          'undefinedResult' in item
            ? { kind: 'undefined' }
            : 'result' in item
              ? { kind: 'result', value: item.result }
              : { kind: 'error', code: String(item.code ?? (item.error as { code?: unknown } | undefined)?.code) };
        cases.push({ id, expr, input, bindings: (item.bindings as Record<string, unknown> | undefined) ?? {}, expects });
      });
    }
  }
  return cases;
}

/** How Baton's engine fared on one case. */
export type Outcome =
  | { readonly kind: 'equal' }
  /** Compilation refused the expression (the reason is the ExpressionError's code and message). */
  | { readonly kind: 'refused'; readonly reason: string }
  /** Accepted, but the result (or the error) is not JSONata's. */
  | { readonly kind: 'different'; readonly reason: string }
  /** An error case that failed with a typed ExpressionError. */
  | { readonly kind: 'typed-error' }
  /** An error case that failed with something else than an ExpressionError (must not happen). */
  | { readonly kind: 'untyped-error'; readonly reason: string };

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => Object.hasOwn(b, key) && jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * The source Baton evaluates for a case: its bindings (JSON values the suite passes to JSONata's
 * `evaluate`; a Baton expression has no caller bindings) become `:=` bindings of an outer block.
 */
function sourceOf(testCase: SuiteCase): string {
  const names = Object.keys(testCase.bindings);
  if (names.length === 0) return testCase.expr;
  const bindings = names.map((name) => `$${name} := ${JSON.stringify(testCase.bindings[name])};`).join(' ');
  return `(${bindings} (${testCase.expr}))`;
}

function short(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > 100 ? `${line.slice(0, 97)}...` : line;
}

/**
 * The run clock the suite is evaluated with: Baton always evaluates with one, and the suite's
 * clock cases only compare `$now()` with itself or with dates `$toMillis` completes from it.
 */
export const SUITE_RUN_CLOCK = new Date('2024-06-01T12:00:00.000Z');

/** Runs one case on Baton's engine (default options and limits, the fixed run clock). */
export async function runCase(testCase: SuiteCase): Promise<Outcome> {
  let compiled;
  try {
    compiled = compileExpression(sourceOf(testCase));
  } catch (error) {
    if (!isExpressionError(error)) return { kind: 'untyped-error', reason: `compile threw ${String(error)}` };
    if (testCase.expects.kind === 'error') return { kind: 'typed-error' };
    return { kind: 'refused', reason: `${error.code}: ${short(error.message)}` };
  }
  let value: unknown;
  try {
    value = await compiled.evaluate(testCase.input as object, { now: SUITE_RUN_CLOCK });
  } catch (error) {
    if (!isExpressionError(error)) return { kind: 'untyped-error', reason: `evaluate threw ${String(error)}` };
    if (testCase.expects.kind === 'error') return { kind: 'typed-error' };
    const details = error.details as { found?: unknown; path?: unknown } | undefined;
    if (testCase.expects.kind === 'undefined' && error.code === 'NOT_SERIALIZABLE' && details?.found === 'undefined' && details.path === undefined) {
      return { kind: 'equal' };
    }
    return { kind: 'different', reason: `${error.code}: ${short(error.message)}` };
  }
  switch (testCase.expects.kind) {
    case 'error':
      return { kind: 'different', reason: `JSONata fails with ${testCase.expects.code}; Baton gives ${short(JSON.stringify(value))}` };
    case 'undefined':
      return { kind: 'different', reason: `JSONata gives undefined; Baton gives ${short(JSON.stringify(value))}` };
    case 'result':
      return jsonEqual(value, testCase.expects.value)
        ? { kind: 'equal' }
        : { kind: 'different', reason: `JSONata gives ${short(JSON.stringify(testCase.expects.value))}; Baton gives ${short(JSON.stringify(value))}` };
  }
}
