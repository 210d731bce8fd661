import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile-expression.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';

const context = {
  input: { name: 'héllo', emoji: '😀a', n: 12.5, flag: false, zero: 0, empty: '', none: null, list: [1, 2], obj: { b: 1, a: [true, null] } },
};

function evaluate(source: string, env?: { now?: Date }): Promise<unknown> {
  return compileExpression(source).evaluate(context, env);
}

async function errorOf(promise: Promise<unknown>): Promise<ExpressionError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe('nowIso()', () => {
  it('returns env.now as ISO-8601, the same value on every call and every replay', async () => {
    const now = new Date(Date.UTC(2030, 0, 31, 23, 59, 58, 7));
    expect(await evaluate('nowIso()', { now })).toBe('2030-01-31T23:59:58.007Z');
    expect(await evaluate('[nowIso(), $nowIso()]', { now })).toEqual(['2030-01-31T23:59:58.007Z', '2030-01-31T23:59:58.007Z']);
    expect(await evaluate('nowIso()', { now: new Date(now.getTime()) })).toBe('2030-01-31T23:59:58.007Z');
  });

  it('fails with EVALUATION, never reading the wall clock, when env.now is missing or invalid', async () => {
    const missing = await errorOf(evaluate('nowIso()'));
    expect(missing.code).toBe(ExpressionErrorCode.EVALUATION);
    expect(missing.message).toContain('env.now');
    expect((await errorOf(evaluate('nowIso()', { now: new Date(Number.NaN) }))).code).toBe(ExpressionErrorCode.EVALUATION);
  });
});

describe('coalesce()', () => {
  it('returns the first argument that is neither null nor undefined', async () => {
    expect(await evaluate('coalesce(input.missing, input.none, input.n)')).toBe(12.5);
    expect(await evaluate('coalesce(input.flag, "x")')).toBe(false);
    expect(await evaluate('coalesce(input.zero, 1)')).toBe(0);
    expect(await evaluate('coalesce(input.empty, "x")')).toBe('');
  });

  it('returns null when every argument is null or missing, or there is none', async () => {
    expect(await evaluate('coalesce(input.missing, null)')).toBeNull();
    expect(await evaluate('coalesce()')).toBeNull();
  });
});

describe('len()', () => {
  it('counts code points of a string (like $length) and items of an array', async () => {
    expect(await evaluate('len(input.name)')).toBe(5);
    expect(await evaluate('len(input.emoji)')).toBe(2);
    expect(await evaluate('len(input.emoji) = $length(input.emoji)')).toBe(true);
    expect(await evaluate('len(input.list)')).toBe(2);
    expect(await evaluate('len([])')).toBe(0);
  });

  it('is 0 for anything else, missing values included', async () => {
    for (const arg of ['input.n', 'input.none', 'input.missing', 'input.obj', 'input.flag', '']) {
      expect(await evaluate(`len(${arg})`)).toBe(0);
    }
  });
});

describe('toString()', () => {
  it("is '' for null and missing values, the string itself for strings", async () => {
    expect(await evaluate('toString(input.none)')).toBe('');
    expect(await evaluate('toString(input.missing)')).toBe('');
    expect(await evaluate('toString(input.name)')).toBe('héllo');
  });

  it('is JSON for numbers, booleans, objects and arrays', async () => {
    expect(await evaluate('toString(input.n)')).toBe('12.5');
    expect(await evaluate('toString(input.flag)')).toBe('false');
    expect(await evaluate('toString(input.obj)')).toBe('{"b":1,"a":[true,null]}');
    expect(await evaluate('toString(input.list)')).toBe('[1,2]');
  });

  it('fails with EVALUATION for a function', async () => {
    expect((await errorOf(evaluate('toString($string)'))).code).toBe(ExpressionErrorCode.EVALUATION);
  });
});

describe('append()', () => {
  it('treats a null or missing list as []', async () => {
    expect(await evaluate('append(input.none, 3)')).toEqual([3]);
    expect(await evaluate('append(input.missing, "a")')).toEqual(['a']);
  });

  it('wraps a non-array list and appends a value or concatenates an array, like $append', async () => {
    expect(await evaluate('append(input.n, 1)')).toEqual([12.5, 1]);
    expect(await evaluate('append(input.list, 3)')).toEqual([1, 2, 3]);
    expect(await evaluate('append(input.list, [3, 4])')).toEqual([1, 2, 3, 4]);
    expect(await evaluate('append(input.list, input.obj)')).toEqual([1, 2, { b: 1, a: [true, null] }]);
  });

  it('returns the list as an array when the value is missing, and never mutates the context', async () => {
    expect(await evaluate('append(input.list, input.missing)')).toEqual([1, 2]);
    expect(await evaluate('append(input.n, input.missing)')).toEqual([12.5]);
    expect(context.input.list).toEqual([1, 2]);
  });
});

describe('$distinct()', () => {
  it('keeps the first of deep-equal values in order, like JSONata', async () => {
    expect(await evaluate('$distinct([3, 1, 3, "3", 1, {"a": [1]}, {"a": [1]}, [1, 2], [1, 2], null, null])')).toEqual([
      3,
      1,
      '3',
      { a: [1] },
      [1, 2],
      null,
    ]);
    expect(await evaluate('$distinct([{"a": 1, "b": 2}, {"b": 2, "a": 1}])')).toEqual([{ a: 1, b: 2 }]);
  });

  it('runs in linear time: 50,000 distinct values take milliseconds, not the minutes of a quadratic scan', async () => {
    const started = performance.now();
    const options = { limits: { maxSteps: 1_000_000, maxOutputBytes: 1 << 20 } };
    expect(await compileExpression('$count($distinct([1..50000]))', options).evaluate({})).toBe(50_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
