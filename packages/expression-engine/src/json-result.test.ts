import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './compile-expression.js';
import { EvaluationMeter } from './evaluation-meter.js';
import { ExpressionError, ExpressionErrorCode } from './expression-error.js';
import { jsonStringBytes } from './json-string-bytes.js';
import { toJsonResult } from './json-result.js';

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

async function errorOf(source: string, context: object = {}): Promise<ExpressionError> {
  const error: unknown = await compileExpression(source)
    .evaluate(context)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe('results are JSON', () => {
  it.each([
    ['a missing path (undefined)', 'input.missing', 'undefined'],
    ['a function', '$uppercase', 'a function'],
    ['a function inside an object', '{"f": $string}', 'a function'],
    ['Infinity', '1 / 0', 'Infinity'],
    ['-Infinity', '-1 / 0', '-Infinity'],
  ])('rejects %s with NOT_SERIALIZABLE', async (_, source, found) => {
    const error = await errorOf(source, { input: {} });
    expect(error.code).toBe(ExpressionErrorCode.NOT_SERIALIZABLE);
    expect(error.details).toMatchObject({ found });
  });

  it('rejects NaN from the context', async () => {
    const error = await errorOf('{"x": x}', { x: Number.NaN });
    expect(error.code).toBe(ExpressionErrorCode.NOT_SERIALIZABLE);
    expect(error.details).toEqual({ path: 'x', found: 'NaN' });
  });

  it('rejects non-JSON objects from the context (a Date, a Map), naming where they are', async () => {
    const error = await errorOf('input', { input: { at: [new Date(0)] } });
    expect(error.code).toBe(ExpressionErrorCode.NOT_SERIALIZABLE);
    expect(error.details).toEqual({ path: 'at[0]', found: 'an instance of Date' });
    expect((await errorOf('m', { m: new Map() })).code).toBe(ExpressionErrorCode.NOT_SERIALIZABLE);
  });

  it('turns undefined into null only when the caller opts in', async () => {
    expect(await compileExpression('input.missing', { undefinedAsNull: true }).evaluate({ input: {} })).toBeNull();
    expect(await compileExpression('input.present', { undefinedAsNull: true }).evaluate({ input: { present: 0 } })).toBe(0);
  });

  it('follows JSON.stringify for undefined members: dropped from objects, null in arrays', async () => {
    const context = { o: { a: 1, b: undefined }, l: [1, undefined] };
    expect(await compileExpression('o').evaluate(context)).toEqual({ a: 1 });
    expect(await compileExpression('l').evaluate(context)).toStrictEqual([1, null]);
  });

  it('returns fresh plain values: no JSONata sequence flags, no aliasing of the context', async () => {
    const context = { items: [{ tags: ['a', 'b'] }, { tags: ['c'] }] };
    const result = (await compileExpression('{"tags": items.tags, "first": items[0]}').evaluate(context)) as {
      tags: string[];
      first: { tags: string[] };
    };
    expect(result).toEqual({ tags: ['a', 'b', 'c'], first: { tags: ['a', 'b'] } });
    expect(Object.keys(result.tags)).toEqual(['0', '1', '2']);
    result.first.tags.push('mutated');
    expect(context.items[0]!.tags).toEqual(['a', 'b']);
  });

  it('keeps a "__proto__" key as data rather than a prototype', async () => {
    const context = JSON.parse('{"o": {"__proto__": {"polluted": true}}}') as object;
    const result = (await compileExpression('o').evaluate(context)) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('normalizes -0 to 0, as JSON does', async () => {
    expect(Object.is(await compileExpression('-0').evaluate({}), 0)).toBe(true);
  });
});

describe('sizes in UTF-8 bytes of the JSON text', () => {
  it('jsonStringBytes equals the encoded length of JSON.stringify for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(jsonStringBytes(text)).toBe(utf8Bytes(JSON.stringify(text)));
      }),
      { numRuns: 500 },
    );
    for (const text of ['', '"\\', '\u0000\u001f\b\t\n\f\r', '\u007f\u0080\u07ff\u0800\uffff', '😀', '\ud800', '\udc00x', '\u2028']) {
      expect(jsonStringBytes(text)).toBe(utf8Bytes(JSON.stringify(text)));
    }
  });

  it('the result size check equals the encoded length of JSON.stringify for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const bytes = utf8Bytes(JSON.stringify(value));
        const atLimit = new EvaluationMeter({ maxSteps: 1, maxDepth: 50, maxOutputBytes: bytes }, 'x', undefined);
        expect(toJsonResult(value, atLimit, false)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(atLimit.measure(value, undefined)).toBe(bytes);
        const belowLimit = new EvaluationMeter({ maxSteps: 1, maxDepth: 50, maxOutputBytes: bytes - 1 }, 'x', undefined);
        expect(() => toJsonResult(value, belowLimit, false)).toThrow(ExpressionError);
      }),
      { numRuns: 300 },
    );
  });
});
