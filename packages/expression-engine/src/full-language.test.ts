import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateCounted, validateExpression } from './compile-expression.js';
import { ExpressionErrorCode, isExpressionError } from './expression-error.js';

const now = new Date('2031-05-06T07:08:09.123Z');

/** Raw JSONata's result as plain JSON (its sequences carry flags). */
async function raw(source: string, input: unknown = {}): Promise<unknown> {
  const value: unknown = await jsonata(source).evaluate(input);
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isExpressionError(error)) return error;
    throw error;
  }
  throw new Error('expected the evaluation to fail');
}

describe('lambdas and recursion are metered', () => {
  it('a runaway tail recursion stops with BUDGET_EXCEEDED after the same number of steps every time', async () => {
    const compiled = compileExpression('($f := function($n){ $f($n + 1) }; $f(0))', { limits: { maxSteps: 5_000 } });
    const first = await failure(compiled.evaluate({}));
    const second = await failure(compiled.evaluate({}));
    expect(first.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(first.details).toEqual({ limit: 'maxSteps', max: 5_000, used: 5_000, requested: 1 });
    expect(second.details).toEqual(first.details);
    expect(second.position).toBe(first.position);
  });

  it('a deep non-tail recursion stops with BUDGET_EXCEEDED on the depth limit', async () => {
    const compiled = compileExpression('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(10000))');
    const error = await failure(compiled.evaluate({}));
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toMatchObject({ limit: 'maxDepth', max: 200 });
    expect(await compileExpression('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20))').evaluate({})).toBe(20);
  });

  it('counts every node a lambda evaluates: $map over n items costs steps linear in n', async () => {
    const steps = async (n: number) =>
      (await evaluateCounted(compileExpression('$map(items, function($v){ $v * 2 })'), { items: Array.from({ length: n }, (_, i) => i) })).steps;
    const [ten, twenty, thirty] = [await steps(10), await steps(20), await steps(30)];
    expect(thirty - twenty).toBe(twenty - ten);
    expect(twenty - ten).toBeGreaterThanOrEqual(10 * 3);
  });
});

describe('$sort', () => {
  it('gives JSONata\'s exact result, also for an inconsistent comparator', async () => {
    const values = Array.from({ length: 300 }, (_, i) => (i * 7919) % 101);
    for (const source of [
      '$sort(values)',
      '$sort(values, function($a, $b){ $a < $b })',
      '$sort(values, function($a, $b){ ($a + $b) % 3 = 0 })',
      '$sort(values.{"k": $ % 5, "v": $}, function($a, $b){ $a.k > $b.k })',
    ]) {
      expect(await compileExpression(source).evaluate({ values }), source).toEqual(await raw(source, { values }));
    }
  });

  it('is metered: one step per comparison, so 20,000 items exceed the default budget at once', async () => {
    const values = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 20_011);
    const started = performance.now();
    const error = await failure(compileExpression('$sort(values)').evaluate({ values }));
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    // Before: JSONata's own $sort took 3.7 s on 20k items, unmetered. With a budget that fits, it is n log n.
    const sorted = (await compileExpression('$sort(values)', { limits: { maxSteps: 1_000_000 } }).evaluate({ values })) as number[];
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(sorted).toEqual([...values].sort((a, b) => a - b));
  });

  it('rejects a mixed array without a comparator as JSONata does (D3070)', async () => {
    const error = await failure(compileExpression('$sort([1, "a"])').evaluate({}));
    expect(error.code).toBe(ExpressionErrorCode.EVALUATION);
    expect(error.details).toMatchObject({ jsonataCode: 'D3070' });
  });
});

describe('run clock', () => {
  it('$now() and $millis() are the run clock, the value nowIso() reads', async () => {
    expect(await compileExpression('[$now(), $millis(), nowIso()]').evaluate({}, { now })).toEqual([now.toISOString(), now.getTime(), now.toISOString()]);
    expect(await compileExpression('$now("[Y0001]-[M01]-[D01]")').evaluate({}, { now })).toBe('2031-05-06');
  });

  it('$toMillis with a picture fills missing parts from the run clock, never the wall clock', async () => {
    const millis = await compileExpression('$toMillis("10:30", "[H]:[m]")').evaluate({}, { now });
    expect(millis).toBe(Date.UTC(2031, 4, 6, 10, 30));
    expect(await compileExpression('$fromMillis($toMillis("12-25", "[M]-[D]"))').evaluate({}, { now })).toBe('2031-12-25T00:00:00.000Z');
  });

  it('without a run clock, the clock functions fail with EVALUATION instead of reading the wall clock', async () => {
    for (const source of ['$now()', '$millis()', '$toMillis("10:30", "[H]:[m]")']) {
      const error = await failure(compileExpression(source).evaluate({}));
      expect(error.code, source).toBe(ExpressionErrorCode.EVALUATION);
      expect(error.message, source).toContain('run clock');
    }
    expect(await compileExpression('$toMillis("2024-01-02T00:00:00Z")').evaluate({})).toBe(Date.UTC(2024, 0, 2));
  });

  it('$random and $shuffle stay refused', () => {
    for (const source of ['$random()', '$shuffle([1, 2])']) {
      const result = validateExpression(source);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    }
  });
});

describe('regular expressions run on RE2', () => {
  it.each([
    ['"aab" ~> /(a)\\1/', '/(a)\\1/', 'backreferences'],
    ['$contains("ab", /a(?=b)/)', '/a(?=b)/', 'lookahead'],
    ['$replace("ab", /(?<=a)b/, "x")', '/(?<=a)b/', 'lookbehind'],
    ['$match("ab", /a(?!c)/)', '/a(?!c)/', 'lookahead'],
  ])('refuses %s at publish, with its position and the reason', (source, literal, reason) => {
    const result = validateExpression(source);
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error.code).toBe(ExpressionErrorCode.DISALLOWED_CONSTRUCT);
    expect(result.error.details).toEqual({ construct: 'regex' });
    expect(result.error.message).toContain(reason);
    expect(result.error.position).toBe(source.indexOf(literal) + literal.length);
  });

  it('a catastrophic pattern for a backtracking engine runs in linear time', async () => {
    const subject = `${'a'.repeat(5_000)}!`;
    const started = performance.now();
    expect(await compileExpression('$contains(s, /^(a|a)*$/)').evaluate({ s: subject })).toBe(false);
    expect(await compileExpression('$contains(s, /^(a+)+$/)').evaluate({ s: subject })).toBe(false);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('matches, replaces, splits and tests like JSONata on ordinary patterns', async () => {
    for (const source of [
      '$match("ab12cd345", /[0-9]+/)',
      '$match("John Smith", /(\\w+) (\\w+)/)',
      '$replace("hello world", /o/, "0")',
      '$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")',
      '$replace("abc", /b/, function($m){ $uppercase($m.match) })',
      '$split("a1b22c", /[0-9]+/)',
      '$contains("Hello", /^h/i)',
      '("abc" ~> /B/i).match',
      '$match("a\\nb", /^b$/m).match',
    ]) {
      expect(await compileExpression(source).evaluate({}), source).toEqual(await raw(source));
    }
  });

  // Where RE2 and JavaScript's RegExp (without the `u` flag) differ; each is listed in the README.
  it.each([
    ['\\s is ASCII whitespace only (not U+00A0)', '$contains("a\u00a0b", /a\\sb/)', false, true],
    ['. also matches \\r and U+2028', '$contains("a\\rb", /a.b/)', true, false],
    ['/i folds case by Unicode rules (ſ matches s, K matches the Kelvin sign)', '$contains("\u017f", /s/i)', true, false],
    ['. matches a whole code point, not half a surrogate pair', '$match("😀", /./).match', '😀', ['\ud83d', '\ude00']],
  ])('differs from RegExp: %s', async (_what, source, re2, js) => {
    expect(await compileExpression(source).evaluate({})).toEqual(re2);
    expect(await raw(source)).toEqual(js);
  });
});

describe('built-ins', () => {
  it('$append follows JSONata (a missing argument is dropped, not wrapped)', async () => {
    expect(await compileExpression('$append(1, notexist)').evaluate({})).toBe(1);
    expect(await compileExpression('$append(notexist, [1])').evaluate({})).toEqual([1]);
  });

  it('base64 does not depend on the host and agrees with JSONata on Node', async () => {
    for (const text of ['', 'a', 'ab', 'abc', 'hello é ÿ', 'x'.repeat(100)]) {
      const source = `[$base64encode(t), $base64decode($base64encode(t))]`;
      expect(await compileExpression(source).evaluate({ t: text })).toEqual(await raw(source, { t: text }));
    }
  });

  it('$pad checks the size of its result before building it', async () => {
    const error = await failure(compileExpression('$pad("x", 1e9)').evaluate({}));
    expect(error.code).toBe(ExpressionErrorCode.OUTPUT_TOO_LARGE);
    for (const source of ['$pad("ab", 5)', '$pad("ab", -5, "#")', '$pad("ab", 6, "xyz")', '$pad("😀", 3, "é")', '$pad("abc", 2)']) {
      expect(await compileExpression(source).evaluate({}), source).toBe(await raw(source));
    }
  });

  it('formats and parses numbers and dates', async () => {
    for (const source of [
      '$formatNumber(1234.5678, "#,##0.00")',
      '$formatInteger(123, "w")',
      '$parseInteger("twelve", "w")',
      '$formatBase(255, 16)',
      '$fromMillis(1510067557121, "[H01]:[m01]")',
      '$power(2, 10)',
      '$encodeUrlComponent("a b&c")',
    ]) {
      expect(await compileExpression(source).evaluate({}), source).toEqual(await raw(source));
    }
  });
});

describe('regex searches are metered', () => {
  it('charges each search inside $replace/$match, so a search loop over a large text stops at the budget', async () => {
    const text = 'a'.repeat(20_000);
    const error = await failure(compileExpression('$replace(s, /a/, "b")', { limits: { maxSteps: 5_000 } }).evaluate({ s: text }));
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toEqual({ limit: 'maxSteps', max: 5_000, used: 5_000, requested: 1 });
    const counted = async (s: string) => (await evaluateCounted(compileExpression('$replace(s, /a/, "b")'), { s })).steps;
    // One step per search, so 10 more matches cost 10 more steps (the short result costs nothing more).
    expect((await counted('a'.repeat(30))) - (await counted('a'.repeat(20)))).toBe(10);
  });
});
