import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateCounted } from './compile-expression.js';
import type { AstNode } from './analyze-ast.js';
import { type BudgetDetails, EvaluationMeter } from './evaluation-meter.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';
import type { ExpressionOptions } from './expression-options.js';

async function errorOf(source: string, context: object = {}, options?: ExpressionOptions): Promise<ExpressionError> {
  const error: unknown = await compileExpression(source, options)
    .evaluate(context)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

/** Runs `fn` and returns how long it took in milliseconds. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

const items = Array.from({ length: 50 }, (_, i) => ({ sku: `s${i}`, qty: i }));

describe('step budget', () => {
  it('stops [1..100000000] at once, before allocating it', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let error: ExpressionError | undefined;
    const ms = await timed(async () => {
      error = await errorOf('[1..100000000]');
    });
    expect(error?.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error?.details).toMatchObject({ limit: 'maxSteps', max: 100_000 });
    expect(ms).toBeLessThan(500);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('refuses a range longer than the whole budget before allocating it, and charges one that fits', async () => {
    expect((await errorOf('$count([1..100001])')).details).toMatchObject({ limit: 'maxSteps', requested: 100_001 });
    expect(await compileExpression('$count([1..5000])').evaluate({})).toBe(5000);
    expect((await errorOf('$count([1..5000])', {}, { limits: { maxSteps: 4000 } })).code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
  });

  it('knows a range size from bounds computed at run time, and refuses it before allocating', async () => {
    const started = performance.now();
    const error = await errorOf('$count([1..input.n])', { input: { n: 9_999_999 } });
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toMatchObject({ limit: 'maxSteps', requested: 9_999_999 });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('charges ranges evaluated concurrently by a group-by (one range node, several groups) each for its own size', async () => {
    const context = { items: [{ s: 'x', a: 3 }, { s: 'y', a: 5 }, { s: 'z', a: 1 }] };
    const source = 'items{s: $count([1..a])}';
    const { value, steps } = await evaluateCounted(compileExpression(source), context);
    expect(value).toEqual({ x: 3, y: 5, z: 1 });
    expect((await errorOf(source, context, { limits: { maxSteps: steps - 1 } })).code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
  });

  it('pairs the bounds of interleaved evaluations of one range node by their input', () => {
    const meter = new EvaluationMeter({ maxSteps: 1000, maxDepth: 10, maxOutputBytes: 1000 }, '[a..b]', undefined);
    const range = { type: 'binary', value: '..' } as AstNode;
    const lhs = { type: 'path' } as AstNode;
    const rhs = { type: 'path' } as AstNode;
    const [groupA, groupB] = [{ g: 'a' }, { g: 'b' }];
    meter.rangeBound({ side: 'lhs', range }, lhs, groupA, 1);
    meter.rangeBound({ side: 'lhs', range }, lhs, groupB, 100);
    meter.rangeBound({ side: 'rhs', range }, rhs, groupA, 10);
    expect(meter.steps).toBe(10);
    meter.rangeBound({ side: 'rhs', range }, rhs, groupB, 100);
    expect(meter.steps).toBe(11);
  });

  it('counts every node evaluated, including per-item steps of a path', async () => {
    const { value, steps } = await evaluateCounted(compileExpression('$count(items.sku)'), { items });
    expect(value).toBe(50);
    // the call, its callee `$count`, the path, `items` once, `sku` once per item
    expect(steps).toBe(1 + 1 + 1 + 1 + 50);
    const error = await errorOf('$count(items.sku)', { items }, { limits: { maxSteps: 53 } });
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toEqual({ limit: 'maxSteps', max: 53, used: 53, requested: 1 } satisfies BudgetDetails);
  });

  it('is exact: an evaluation that needs N steps passes with maxSteps N and fails with N - 1', async () => {
    const source = '{"total": $sum(items.qty), "skus": $join(items.sku, ","), "big": items[qty > 40].sku}';
    const { value, steps } = await evaluateCounted(compileExpression(source), { items });
    expect(await compileExpression(source, { limits: { maxSteps: steps } }).evaluate({ items })).toEqual(value);
    const error = await errorOf(source, { items }, { limits: { maxSteps: steps - 1 } });
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect((error.details as { used: number }).used).toBeLessThanOrEqual(steps - 1);
  });

  it('charges arrays built by constructors, so doubling an array cannot run away', async () => {
    const source = '($a := [1..1000]; $b := [$a, $a]; $c := [$b, $b]; $d := [$c, $c]; $e := [$d, $d]; $f := [$e, $e]; $g := [$f, $f]; $h := [$g, $g]; $count($h))';
    let error: ExpressionError | undefined;
    const ms = await timed(async () => {
      error = await errorOf(source, {}, { limits: { maxOutputBytes: 100 * 1024 * 1024 } });
    });
    expect(error?.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(ms).toBeLessThan(1_000);
  });

  it('charges paths that multiply sequences (a cross product)', async () => {
    const error = await errorOf('($a := [1..400]; $count($a.$a.$a))');
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
  });

  it('gives concurrent evaluations of one compiled expression separate budgets', async () => {
    const compiled = compileExpression('$count(items.sku)', { limits: { maxSteps: 60 } });
    const results = await Promise.all(Array.from({ length: 20 }, () => compiled.evaluate({ items })));
    expect(results).toEqual(Array.from({ length: 20 }, () => 50));
  });

  it('fails at the same step every time (deterministic)', async () => {
    const details = await Promise.all(
      Array.from({ length: 3 }, async () => (await errorOf('items.(qty * 2)', { items }, { limits: { maxSteps: 77 } })).details),
    );
    expect(details[1]).toEqual(details[0]);
    expect(details[2]).toEqual(details[0]);
  });
});

describe('nesting depth', () => {
  const nested = (levels: number): string => `${'('.repeat(levels)}1${')'.repeat(levels)}`;

  it('stops an expression nested deeper than maxDepth while evaluating it', async () => {
    expect(await compileExpression(nested(150)).evaluate({})).toBe(1);
    const error = await errorOf(nested(250));
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toEqual({ limit: 'maxDepth', max: 200, depth: 201 } satisfies BudgetDetails);
    expect((await errorOf(nested(20), {}, { limits: { maxDepth: 10 } })).code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
  });

  it('checks depth only where evaluation goes: a deep branch that is not taken does not fail', async () => {
    expect(await compileExpression(`true ? 1 : ${nested(300)}`).evaluate({})).toBe(1);
  });

  it('bounds the nesting of the result', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = { d: deep };
    const error = await errorOf('input', { input: deep });
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toMatchObject({ limit: 'maxDepth', max: 200 });
  });

  it('stays within the JavaScript stack for very deep context values', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect((await errorOf('$string(input)', { input: deep })).code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
  });
});

describe('output size', () => {
  it('measures the result in UTF-8 bytes of its JSON: exactly at the limit passes, one byte over fails', async () => {
    // "é" serializes to 4 bytes: two quotes and a two-byte character.
    expect(await compileExpression('"é"', { limits: { maxOutputBytes: 4 } }).evaluate({})).toBe('é');
    const error = await errorOf('"é"', {}, { limits: { maxOutputBytes: 3 } });
    expect(error.code).toBe(ExpressionErrorCode.OUTPUT_TOO_LARGE);
    expect(error.details).toEqual({ limit: 'maxOutputBytes', max: 3, bytes: 4 });
  });

  it('raises OUTPUT_TOO_LARGE during evaluation, for an intermediate value the result does not contain', async () => {
    const error = await errorOf('$length($join(items.sku, "-")) > 0', { items }, { limits: { maxOutputBytes: 100 } });
    expect(error.code).toBe(ExpressionErrorCode.OUTPUT_TOO_LARGE);
  });

  it('stops string doubling quickly without building gigabytes', async () => {
    const doublings = Array.from({ length: 40 }, (_, i) => `$s${i + 1} := $s${i} & $s${i};`).join(' ');
    let error: ExpressionError | undefined;
    const ms = await timed(async () => {
      error = await errorOf(`($s0 := "abcdefgh"; ${doublings} $length($s40))`);
    });
    expect(error?.code).toBe(ExpressionErrorCode.OUTPUT_TOO_LARGE);
    expect(ms).toBeLessThan(1_000);
  });

  it('stops objects that share a value exponentially (a DAG) before they are compared or stringified', async () => {
    const levels = Array.from({ length: 40 }, (_, i) => `$o${i + 1} := {"l": $o${i}, "r": $o${i}};`).join(' ');
    let error: ExpressionError | undefined;
    const ms = await timed(async () => {
      error = await errorOf(`($o0 := {"x": "y"}; ${levels} $o40 = $o40)`);
    });
    expect(error?.code).toBe(ExpressionErrorCode.OUTPUT_TOO_LARGE);
    expect(ms).toBeLessThan(1_000);
  });
});
