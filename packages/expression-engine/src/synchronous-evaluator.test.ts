import fc from 'fast-check';
import jsonata from 'jsonata';
import { promiseHooks } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { allowedExpression, contextArbitrary, nestedContextArbitrary, simpleExpression } from './__fixtures__/expression-arbitraries.js';
import { compileExpression, evaluateCounted, evaluateSynchronouslyCounted } from './compile-expression.js';
import { ExpressionError, ExpressionErrorCode, isExpressionError } from './expression-error.js';
import type { ExpressionOptions } from './expression-options.js';

const NOW = new Date('2024-02-29T12:00:00.000Z');
const BOUNDED = { interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true } as const;

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function outcomeOf<T>(run: () => T): Outcome<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error };
  }
}

async function settled<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The parts of an error that must be the same whichever evaluator ran. */
function errorFacts(error: unknown): unknown {
  if (!isExpressionError(error)) return { notAnExpressionError: String(error) };
  return { code: error.code, details: error.details, position: error.position, message: error.message };
}

const limitsArbitrary = fc.record(
  { maxSteps: fc.integer({ min: 1, max: 300 }), maxDepth: fc.integer({ min: 1, max: 30 }), maxOutputBytes: fc.integer({ min: 1, max: 400 }) },
  { requiredKeys: [] },
);

/**
 * The synchronous evaluator against JSONata's evaluator (with the metering hooks) on one case:
 * when it answers, the value and the steps used are JSONata's, and so is an error of the result
 * check; it may decline only where JSONata fails or the expression is outside its subset.
 */
async function expectSameAsJsonata(source: string, context: object, options: ExpressionOptions): Promise<'answered' | 'declined'> {
  const compiled = compileExpression(source, options);
  const synchronous = outcomeOf(() => evaluateSynchronouslyCounted(compiled, context, { now: NOW }));
  const reference = await settled(() => evaluateCounted(compiled, context, { now: NOW }, 'jsonata'));
  if (synchronous.ok && synchronous.value === undefined) return 'declined';
  if (synchronous.ok) {
    expect(reference).toEqual({ ok: true, value: synchronous.value });
  } else {
    expect(reference.ok).toBe(false);
    expect(errorFacts(synchronous.error)).toEqual(errorFacts((reference as { error: unknown }).error));
  }
  return 'answered';
}

describe('synchronous evaluator: same results as JSONata', () => {
  it('answers simple expressions with JSONata value and step count, or the same result error, under any limits', async () => {
    const seen = { answered: 0, declined: 0 };
    await fc.assert(
      fc.asyncProperty(simpleExpression, nestedContextArbitrary, limitsArbitrary, fc.boolean(), async (source, context, limits, undefinedAsNull) => {
        seen[await expectSameAsJsonata(source, context, { limits, undefinedAsNull })]++;
      }),
      { numRuns: 1500, ...BOUNDED },
    );
    // The comparison must not be vacuous: most simple expressions are answered synchronously.
    expect(seen.answered).toBeGreaterThan(seen.declined);
  });

  it('never answers differently from JSONata for the general expression generator', async () => {
    await fc.assert(
      fc.asyncProperty(allowedExpression({ custom: true }), contextArbitrary, limitsArbitrary, fc.boolean(), async (source, context, limits, undefinedAsNull) => {
        await expectSameAsJsonata(source, context, { limits, undefinedAsNull });
      }),
      { numRuns: 600, ...BOUNDED },
    );
  });

  it('answers every simple expression JSONata evaluates without error, with raw JSONata result', async () => {
    await fc.assert(
      fc.asyncProperty(simpleExpression, nestedContextArbitrary, async (source, context) => {
        // Outside the subset, or custom functions raw JSONata does not have.
        fc.pre(!/\[0\]|\[a\]|\$uppercase|\$count\(list, 1\)|len\(|coalesce\(/.test(source));
        const raw = await settled(async () => (await jsonata(source).evaluate(structuredClone(context))) as unknown);
        fc.pre(raw.ok && raw.value !== undefined);
        const compiled = compileExpression(source, { limits: { maxSteps: 10_000_000, maxOutputBytes: 1 << 24 } });
        const answer = outcomeOf(() => compiled.tryEvaluateSync(context));
        if (answer.ok) {
          expect(answer.value).not.toBeUndefined();
          expect(answer.value).toEqual(JSON.parse(JSON.stringify((raw as { value: unknown }).value)));
        } else {
          // Only the result check may fail (a non-finite number, for instance), exactly as evaluate does.
          expect((answer.error as ExpressionError).code).toBe(ExpressionErrorCode.NOT_SERIALIZABLE);
        }
      }),
      { numRuns: 800, ...BOUNDED },
    );
  });
});

describe('synchronous evaluator: paths', () => {
  const context = {
    input: { one: [{ id: 'x' }], two: [{ id: 'x' }, { id: 'y' }], nested: [[1, 2], [3]], single: [7], empty: [], deep: [{ tags: ['a', 'b'] }, { tags: ['c'] }] },
    vars: { a: { b: 0 }, flag: false, text: '' },
  };
  const sync = (source: string, options?: ExpressionOptions) => compileExpression(source, options).tryEvaluateSync(context);

  it('follows JSONata singleton-array semantics', async () => {
    // One match is the value itself, several are an array, an array value read whole stays an array.
    expect(sync('input.one.id')).toBe('x');
    expect(sync('input.two.id')).toEqual(['x', 'y']);
    expect(sync('input.single')).toEqual([7]);
    expect(sync('input.nested')).toEqual([[1, 2], [3]]);
    expect(sync('input.deep.tags')).toEqual(['a', 'b', 'c']);
    expect(sync('input.empty')).toEqual([]);
    for (const source of ['input.one.id', 'input.two.id', 'input.single', 'input.nested', 'input.deep.tags', 'input.empty', '[input.single]', '[input.two.id, 1]']) {
      expect(sync(source), source).toEqual(await jsonata(source).evaluate(context).then((v: unknown) => JSON.parse(JSON.stringify(v)) as unknown));
    }
  });

  it('treats a missing path as nothing: NOT_SERIALIZABLE at the top, null with undefinedAsNull, dropped inside objects', () => {
    expect(() => sync('vars.missing.path')).toThrow(ExpressionError);
    expect(sync('vars.missing.path', { undefinedAsNull: true })).toBeNull();
    expect(sync('{"a": vars.missing, "b": vars.a.b}')).toEqual({ b: 0 });
    expect(sync('vars.missing + 1', { undefinedAsNull: true })).toBeNull();
    expect(sync('vars.missing = 1')).toBe(false);
  });

  it('keeps numbers and falsy values exactly', () => {
    expect(sync('vars.a.b')).toBe(0);
    expect(sync('vars.flag')).toBe(false);
    expect(sync('vars.text')).toBe('');
    expect(sync('0.1 + 0.2')).toBe(0.1 + 0.2);
    expect(sync('"n=" & (0.1 + 0.2)')).toBe('n=0.3');
    expect(sync('-vars.a.b')).toBe(0);
    expect(Object.is(sync('-vars.a.b'), 0)).toBe(true);
  });

  it('declines what JSONata rejects, and evaluate then reports JSONata error', async () => {
    for (const source of ['vars.text + 1', 'vars.a < "x"', '{vars.a.b: 1}', '$sum(input.two.id)', '1 / 0 > vars.text']) {
      const compiled = compileExpression(source);
      expect(compiled.tryEvaluateSync(context), source).toBeUndefined();
      const error = await compiled.evaluate(context).then(() => undefined, (e: unknown) => e);
      expect((error as ExpressionError).code, source).toBe(ExpressionErrorCode.EVALUATION);
    }
  });
});

describe('synchronous evaluator: coverage and guardrails', () => {
  const context = { input: { order: { total: 250, items: Array.from({ length: 100 }, (_, i) => ({ price: i })) } }, vars: { approved: true } };

  it('takes the common workflow expressions, and leaves the rest to JSONata', () => {
    for (const source of [
      'input.order.total',
      'input.order.total > 100 and vars.approved',
      '{"total": input.order.total, "next": vars.attempt + 1, "ok": true}',
      '$sum(input.order.items.price)',
      '"order-" & input.order.total',
      'coalesce(vars.missing, input.order.total)',
      'input.order.total >= 100 ? "big" : "small"',
      '[input.order.total, vars.approved]',
    ]) {
      expect(compileExpression(source).tryEvaluateSync(context), source).not.toBeUndefined();
    }
    for (const source of ['input.order.items[price > 50].price', '$uppercase("a")', '($x := 1; $x)', 'input.order.items{"k": price}', 'nowIso()', '$']) {
      expect(compileExpression(source).tryEvaluateSync(context), source).toBeUndefined();
    }
  });

  it('creates no promise', () => {
    const compiled = compileExpression('{"total": $sum(input.order.items.price), "big": input.order.total > 100 and vars.approved}');
    let promises = 0;
    const stop = promiseHooks.onInit(() => {
      promises++;
    });
    try {
      expect(compiled.tryEvaluateSync(context)).toEqual({ total: 4950, big: true });
    } finally {
      stop();
    }
    expect(promises).toBe(0);
  });

  it('is bounded by the step budget: a path over many items stops at maxSteps, and evaluate reports it', async () => {
    const big = { input: { items: Array.from({ length: 200_000 }, (_, i) => ({ price: i })) } };
    const compiled = compileExpression('$sum(input.items.price)', { limits: { maxSteps: 1000 } });
    const started = performance.now();
    expect(compiled.tryEvaluateSync(big)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(200);
    const error = (await compiled.evaluate(big).then(() => undefined, (e: unknown) => e)) as ExpressionError;
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toMatchObject({ limit: 'maxSteps', max: 1000 });
  });

  it('counts exactly the steps JSONata counts, so a budget of exactly N passes and N - 1 fails', async () => {
    const source = '$sum(input.order.items.price) > 100 and vars.approved';
    const { steps } = evaluateSynchronouslyCounted(compileExpression(source), context)!;
    expect((await evaluateCounted(compileExpression(source), context, undefined, 'jsonata')).steps).toBe(steps);
    expect(compileExpression(source, { limits: { maxSteps: steps } }).tryEvaluateSync(context)).toBe(true);
    expect(compileExpression(source, { limits: { maxSteps: steps - 1 } }).tryEvaluateSync(context)).toBeUndefined();
  });

  it('applies the output limit to constructed values and to the result', () => {
    const wide = { vars: { text: 'x'.repeat(300) } };
    const error = outcomeOf(() => compileExpression('vars.text', { limits: { maxOutputBytes: 100 } }).tryEvaluateSync(wide));
    expect((error as { error: ExpressionError }).error.code).toBe(ExpressionErrorCode.OUTPUT_TOO_LARGE);
    // Produced during evaluation (the concatenation is measured where it is built): declined, and evaluate fails.
    expect(compileExpression('$count([vars.text & vars.text])', { limits: { maxOutputBytes: 400 } }).tryEvaluateSync(wide)).toBeUndefined();
  });

  it('declines an array context (JSONata wraps it) and evaluates it with JSONata', async () => {
    const compiled = compileExpression('a');
    expect(compiled.tryEvaluateSync([{ a: 1 }, { a: 2 }])).toBeUndefined();
    expect(await compiled.evaluate([{ a: 1 }, { a: 2 }])).toEqual([1, 2]);
  });
});
