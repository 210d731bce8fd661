import { describe, expect, it } from 'vitest';
import { compileExpression, validateExpression } from './compile-expression.js';
import { type ExpressionError, ExpressionErrorCode } from './expression-error.js';
import type { ExpressionOptions } from './expression-options.js';

function rejection(source: string, options?: ExpressionOptions): ExpressionError {
  const result = validateExpression(source, options);
  if (result.ok) throw new Error(`expected ${source} to be rejected`);
  return result.error;
}

const context = { input: { a: 1, and: true, or: false, now: 'field', len: 'field', items: [{ sku: 'x' }, { sku: 'yy' }] } };

describe('allowlist', () => {
  it.each([
    ['$now()', '$now'],
    ['$millis()', '$millis'],
    ['$random()', '$random'],
    ['$eval("1 + 1")', '$eval'],
    ['$shuffle([1, 2])', '$shuffle'],
    ['$toMillis("2024-01-01")', '$toMillis'],
  ])('never allows %s, naming the function', (source, name) => {
    const error = rejection(source);
    expect(error.code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    expect(error.message).toContain(name);
    expect(error.details).toEqual({ function: name });
  });

  it('keeps clock, random and eval functions banned even when a caller lists them', () => {
    const options = { allowedFunctions: ['$now', 'millis', '$eval', '$random', '$sum'] };
    expect(rejection('$now()', options).code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    expect(rejection('$millis()', options).code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    expect(validateExpression('$sum([1])', options)).toEqual({ ok: true });
  });

  it('rejects a built-in outside the default allowlist, and a function that does not exist', () => {
    expect(rejection('$pad("a", 5)').message).toContain('$pad');
    const unknown = rejection('$frobnicate(1)');
    expect(unknown.code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    expect(unknown.message).toContain('$frobnicate');
  });

  it('replaces the default allowlist with the caller list, accepting names with or without $', async () => {
    const options = { allowedFunctions: ['$pad', 'uppercase'] };
    expect(await compileExpression('$uppercase($pad("a", 3, "-"))', options).evaluate({})).toBe('A--');
    expect(rejection('$sum([1])', options).code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    expect(rejection('nowIso()', options).code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
  });

  it('points at the offending call: position is just past the function name', () => {
    const source = 'input.a + $now()';
    expect(rejection(source).position).toBe(source.indexOf('$now') + '$now'.length);
  });

  it('reports the first violation in source order', () => {
    const error = rejection('$random() + $now()');
    expect(error.message).toContain('$random');
  });

  it('rejects a reference to a disallowed function, so it cannot be passed around or called later', () => {
    expect(rejection('($clock := $now; 1)').code).toBe(ExpressionErrorCode.DISALLOWED_FUNCTION);
    expect(rejection('{"f": $millis}').message).toContain('$millis');
  });
});

describe('constructs', () => {
  it.each([
    ['function($x){ $x + 1 }', 'lambda'],
    ['λ($x){ $x }', 'lambda'],
    ["input.items.(function($i){ 1 })", "lambda"],
    ['$substring(?, 1)', 'partial-application'],
    ['($f := $string; $f(1))', 'dynamic-call'],
    ['$lookup(input, "f")()', 'dynamic-call'],
    ['input.fn()', 'dynamic-call'],
    ['$contains(input.b, /ab+c/)', 'regex'],
    ['$sort(input.items, $string)', 'sort-comparator'],
    ['input.items ~> $sort($string)', 'sort-comparator'],
    ['($string := 1; $string)', 'rebind-function'],
    ['input.items@$sum.sku', 'rebind-function'],
  ])('rejects %s as DISALLOWED_CONSTRUCT (%s)', (source, construct) => {
    const error = rejection(source);
    expect(error.code).toBe(ExpressionErrorCode.DISALLOWED_CONSTRUCT);
    expect(error.details).toEqual({ construct });
    expect(error.source).toBe(source);
  });

  it('accepts an allowed function on the right of ~>, called or not', async () => {
    expect(await compileExpression('input.items[0].sku ~> $uppercase()').evaluate(context)).toBe('X');
    expect(await compileExpression('input.items[0].sku ~> $uppercase').evaluate(context)).toBe('X');
    expect(await compileExpression('input.items.sku ~> $join("+")').evaluate(context)).toBe('x+yy');
  });

  it.each(['input ~> $now()', 'input ~> $pad(3)', 'input ~> $eval()', 'input ~> $x', 'input ~> function($v){$v}', 'input ~> ($string)'])(
    'rejects %s: the right side of ~> is not an allowed function (DISALLOWED_CONSTRUCT)',
    (source) => {
      expect(rejection(source).code).toBe(ExpressionErrorCode.DISALLOWED_CONSTRUCT);
    },
  );

  it('never mistakes a keyword, a field or the text of a string literal for a call', async () => {
    expect(await compileExpression('input.and and input.or').evaluate(context)).toBe(false);
    expect(await compileExpression('input.now & "$now() function($x){$x} $eval(1)"').evaluate(context)).toBe('field$now() function($x){$x} $eval(1)');
    expect(await compileExpression('input.`len`').evaluate(context)).toBe('field');
    expect(validateExpression('"$millis()" = input.a')).toEqual({ ok: true });
  });
});

describe('== and optional $ prefix', () => {
  it('accepts == as = outside string literals and comments, without shifting positions', async () => {
    expect(await compileExpression('input.a == 1').evaluate(context)).toBe(true);
    expect(await compileExpression('input.items[sku == "yy"].sku').evaluate(context)).toBe('yy');
    expect(await compileExpression('"a==b" & \'==\'').evaluate(context)).toBe('a==b==');
    expect(await compileExpression('/* x == y */ input.a != 2').evaluate(context)).toBe(true);
    const error = rejection('input.a == 1 + ');
    expect(error.code).toBe(ExpressionErrorCode.SYNTAX);
    expect(error.source).toBe('input.a == 1 + ');
    expect(error.position).toBe(15);
  });

  it('does not turn ===, !== or <== into valid syntax', () => {
    for (const source of ['input.a === 1', 'input.a !== 1', 'input.a <== 1', '$x :== 1']) {
      expect(rejection(source).code).toBe(ExpressionErrorCode.SYNTAX);
    }
  });

  it('calls the five custom functions with or without $, and leaves same-named fields and strings alone', async () => {
    const env = { now: new Date('2024-01-02T03:04:05.000Z') };
    const pairs = [
      ['nowIso()', '$nowIso()'],
      ['coalesce(input.missing, input.a)', '$coalesce(input.missing, input.a)'],
      ['len(input.items)', '$len(input.items)'],
      ['toString(input.items[0])', '$toString(input.items[0])'],
      ['append(input.missing, 1)', '$append(input.missing, 1)'],
      ['input.items.len(sku)', 'input.items.$len(sku)'],
    ] as const;
    for (const [bare, prefixed] of pairs) {
      expect(await compileExpression(bare).evaluate(context, env)).toEqual(await compileExpression(prefixed).evaluate(context, env));
    }
    expect(await compileExpression('input.len & "len(x) nowIso()"').evaluate(context)).toBe('fieldlen(x) nowIso()');
  });

  it('does not make an arbitrary field name callable', () => {
    expect(rejection('input.a.sum(1)').code).toBe(ExpressionErrorCode.DISALLOWED_CONSTRUCT);
    expect(rejection('uppercase("a")').code).toBe(ExpressionErrorCode.DISALLOWED_CONSTRUCT);
  });
});

describe('syntax', () => {
  it('reports JSONata syntax errors with the JSONata code, source and position', () => {
    const error = rejection('{"a": }');
    expect(error.code).toBe(ExpressionErrorCode.SYNTAX);
    expect(error.details).toMatchObject({ jsonataCode: expect.stringMatching(/^S0\d{3}$/) });
    expect(error.position).toBeTypeOf('number');
  });

  it('rejects a source too deeply nested to parse without overflowing the stack', () => {
    const source = `${'('.repeat(100_000)}1${')'.repeat(100_000)}`;
    const error = rejection(source);
    expect(error.code).toBe(ExpressionErrorCode.BUDGET_EXCEEDED);
    expect(error.details).toEqual({ limit: 'maxDepth' });
  });
});
