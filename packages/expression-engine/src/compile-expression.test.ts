import { describe, expect, it } from 'vitest';
import { compileExpression, validateExpression } from './compile-expression.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';

const context = {
  input: { orderId: 'o-1', amount: 120, customer: { name: 'Ann', tier: 'gold' }, items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 3 }] },
  vars: { list: null, count: 0 },
};

async function evaluate(source: string, env?: { now?: Date }): Promise<unknown> {
  return compileExpression(source).evaluate(context, env);
}

async function failure(promise: Promise<unknown>): Promise<ExpressionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe('compileExpression / evaluate', () => {
  it('evaluates paths, conditions, object construction and aggregates against the context', async () => {
    expect(await evaluate('input.customer.name')).toBe('Ann');
    expect(await evaluate('input.amount > 100 and input.customer.tier = "gold"')).toBe(true);
    expect(await evaluate('{"id": input.orderId, "skus": input.items.sku}')).toEqual({ id: 'o-1', skus: ['a', 'b'] });
    expect(await evaluate('$sum(input.items.qty)')).toBe(5);
  });

  it('keeps the source on the compiled expression and returns the same compiled object for the same source and options', () => {
    const a = compileExpression('input.amount * 2');
    expect(a.source).toBe('input.amount * 2');
    expect(compileExpression('input.amount * 2')).toBe(a);
    expect(compileExpression('input.amount * 2', { limits: { maxSteps: 100_000 } })).toBe(a);
    expect(compileExpression('input.amount * 2', { limits: { maxSteps: 50 } })).not.toBe(a);
  });

  it('rejects a syntax error with SYNTAX, the source and a position', () => {
    const result = validateExpression('input.amount +');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(ExpressionErrorCode.SYNTAX);
    expect(result.error.source).toBe('input.amount +');
    expect(result.error.position).toBe(14);
    expect(() => compileExpression('input.amount +')).toThrow(ExpressionError);
  });

  it('fails with NOT_SERIALIZABLE when a path matches nothing, or null when undefinedAsNull is set', async () => {
    const error = await failure(evaluate('input.missing'));
    expect(error.code).toBe(ExpressionErrorCode.NOT_SERIALIZABLE);
    expect(await compileExpression('input.missing', { undefinedAsNull: true }).evaluate(context)).toBeNull();
  });

  it('reads nowIso() from env.now, and fails with EVALUATION without it', async () => {
    expect(await evaluate('nowIso()', { now: new Date('2024-05-06T07:08:09.010Z') })).toBe('2024-05-06T07:08:09.010Z');
    expect((await failure(evaluate('$nowIso()'))).code).toBe(ExpressionErrorCode.EVALUATION);
  });
});
