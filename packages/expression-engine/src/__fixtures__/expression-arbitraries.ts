import fc from 'fast-check';

/** Field names the generated contexts and expressions share, so paths often hit. */
const FIELDS = ['a', 'b', 'n', 's', 'flag', 'items', 'obj'] as const;

const scalar = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
);

/** Arbitrary JSON contexts whose fields are the ones expressions name (values of any JSON type). */
export const contextArbitrary = fc.record(
  {
    a: fc.oneof(fc.integer({ min: -50, max: 50 }), scalar),
    b: fc.oneof(fc.string({ maxLength: 8 }), scalar),
    n: fc.integer({ min: 0, max: 20 }),
    s: fc.string({ maxLength: 12 }),
    flag: fc.boolean(),
    items: fc.array(
      fc.record({ a: fc.integer({ min: -20, max: 20 }), s: fc.string({ maxLength: 5 }), flag: fc.boolean(), n: scalar }, { requiredKeys: ['a', 's'] }),
      { maxLength: 6 },
    ),
    obj: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ['n', 's', 'items'] },
);

const fieldName = fc.constantFrom(...FIELDS);
const itemField = fc.constantFrom('a', 's', 'flag', 'n');

const literal = fc.oneof(
  fc.integer({ min: -100, max: 100 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }).map((d) => (Object.is(d, -0) ? '0' : String(d))),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null'),
);

const path = fc.oneof(
  fieldName,
  fc.tuple(fc.constant('items'), itemField).map(([a, b]) => `${a}.${b}`),
  fc.tuple(itemField, fc.integer({ min: -2, max: 3 })).map(([f, i]) => `items[${i}].${f}`),
  fc.tuple(itemField, fc.integer({ min: -5, max: 5 })).map(([f, i]) => `items[a > ${i}].${f}`),
  fc.constantFrom('obj.*', '$.n', '$$.s', 'items.obj', 'items^(a).s', 'items^(>s)[0].a', 'items[flag][a > 0].s'),
);

const BINARY = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in'] as const;
const UNARY_FUNCTIONS = [
  '$string', '$length', '$uppercase', '$lowercase', '$trim', '$number', '$sum', '$count', '$max', '$min', '$average',
  '$round', '$abs', '$floor', '$ceil', '$boolean', '$not', '$exists', '$keys', '$distinct', '$reverse', '$sort', '$type',
] as const;
const BINARY_FUNCTIONS = ['$contains', '$split', '$join', '$lookup', '$substringBefore', '$substringAfter', '$round'] as const;
const CUSTOM_FUNCTIONS = ['coalesce', 'len', 'toString', 'append', '$append', '$coalesce'] as const;

/**
 * Expressions the default allowlist accepts, built from paths, literals, operators, conditions,
 * constructors, blocks with variables, `~>`, transforms and allowed function calls. With `custom`,
 * they also call the custom functions (which raw JSONata does not have). With `sequential`, they
 * contain no constructor (JSONata evaluates the items of a constructor concurrently).
 */
export function allowedExpression(options: { custom: boolean; sequential?: boolean }): fc.Arbitrary<string> {
  const { expr } = fc.letrec<{ expr: string }>((tie) => {
    const sub = tie('expr');
    const cases: Array<fc.Arbitrary<string>> = [
      literal,
      path,
      fc.tuple(sub, fc.constantFrom(...BINARY), sub).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(sub, sub, sub).map(([c, t, e]) => `(${c} ? ${t} : ${e})`),
      fc.tuple(fc.constantFrom(...UNARY_FUNCTIONS), sub).map(([f, a]) => `${f}(${a})`),
      fc.tuple(fc.constantFrom(...BINARY_FUNCTIONS), sub, sub).map(([f, a, b]) => `${f}(${a}, ${b})`),
      fc.tuple(sub, fc.integer({ min: -3, max: 3 }), fc.integer({ min: 0, max: 5 })).map(([s, i, l]) => `$substring(${s}, ${i}, ${l})`),
      fc.tuple(sub, sub).map(([v, body]) => `($v := ${v}; $v & ${body})`),
      fc.tuple(sub, fc.constantFrom('$uppercase()', '$string()', '$count()', '$exists()', '$reverse()', '$substring(1)')).map(([l, f]) => `(${l} ~> ${f})`),
      fc.tuple(sub, sub).map(([l, e]) => `(${l} ~> $string() ~> $substringAfter(${e}))`),
      fc.tuple(itemField, sub).map(([f, e]) => `($ ~> |items|{"${f}": ${e}}|)`),
    ];
    if (!options.sequential) {
      cases.push(
        fc.array(sub, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
        fc.tuple(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -3, max: 30 })).map(([lo, hi]) => `[${lo}..${hi}]`),
        fc.array(fc.tuple(fc.string({ maxLength: 4 }), sub), { maxLength: 3 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`),
        fc.tuple(sub, sub).map(([v, body]) => `($v := ${v}; [$v, ${body}])`),
        fc.tuple(itemField, sub).map(([f, e]) => `items.{"k": ${f}, "v": ${e}}`),
        fc.tuple(itemField, sub).map(([f, e]) => `items{s: $count([1..${f === 'a' ? 'a' : 3}]) & ${e}}`),
      );
    }
    if (options.custom) {
      cases.push(
        fc.tuple(fc.constantFrom(...CUSTOM_FUNCTIONS), sub, sub).map(([f, a, b]) => `${f}(${a}, ${b})`),
        fc.constantFrom('nowIso()', '$nowIso()'),
      );
    }
    return { expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, ...cases) };
  });
  return expr;
}

/** Leaf values of the nested contexts, including the ones JSONata treats specially (0, '', false, null, -0 as 0). */
const nestedScalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e3, max: 1e3 }),
  fc.constantFrom('', 'a', 'b', 'x y'),
  fc.boolean(),
  fc.constant(null),
);

/** Names shared by the nested contexts and the simple expressions, so paths often hit. */
const NESTED_FIELDS = ['a', 'b', 'c', 'list'] as const;

/**
 * JSON values nested with the shapes that decide JSONata's path semantics: arrays of objects,
 * arrays of arrays, one-item and empty arrays, missing fields.
 */
const nestedValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nestedScalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NESTED_FIELDS), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Contexts shaped like the interpreter's (`input`, `vars`, ...), filled with nested values. */
export const nestedContextArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.record(
  { input: nestedValue, vars: nestedValue, a: nestedValue, list: fc.array(nestedValue, { maxLength: 4 }) },
  { requiredKeys: [] },
);

const simplePath = fc
  .tuple(fc.constantFrom('input', 'vars', 'a', 'list'), fc.array(fc.constantFrom(...NESTED_FIELDS), { maxLength: 3 }))
  .map(([first, rest]) => [first, ...rest].join('.'));

const SIMPLE_BINARY = ['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', '&', 'in'] as const;
const SIMPLE_FUNCTIONS = ['$sum', '$count', '$exists', '$boolean', '$not', '$string', 'len', '$len'] as const;

/**
 * Expressions inside the synchronous evaluator's subset (paths of field names, literals,
 * operators, conditions, blocks, constructors, the functions it reproduces), with occasional
 * constructs outside it (a filter, a function it does not reproduce) so declining is exercised too.
 */
export const simpleExpression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => {
  const sub = tie('expr');
  const weighted = (weight: number, arbitrary: fc.Arbitrary<string>) => ({ weight, arbitrary });
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      weighted(3, fc.oneof(literal, fc.integer({ min: -3, max: 3 }).map(String))),
      weighted(6, simplePath),
      weighted(4, fc.tuple(sub, fc.constantFrom(...SIMPLE_BINARY), sub).map(([l, op, r]) => `(${l} ${op} ${r})`)),
      weighted(1, sub.map((e) => `-(${e})`)),
      weighted(2, fc.tuple(sub, sub, sub).map(([c, t, e]) => `(${c} ? ${t} : ${e})`)),
      weighted(1, fc.tuple(sub, sub).map(([c, t]) => `(${c} ? ${t})`)),
      weighted(1, fc.array(sub, { maxLength: 2 }).map((items) => `(${items.join('; ')})`)),
      weighted(2, fc.array(sub, { maxLength: 3 }).map((items) => `[${items.join(', ')}]`)),
      weighted(
        2,
        fc
          .array(fc.tuple(fc.oneof(fc.constantFrom('k', 'j', '1', '__proto__').map((k) => JSON.stringify(k)), sub), sub), { maxLength: 3 })
          .map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
      ),
      weighted(3, fc.tuple(fc.constantFrom(...SIMPLE_FUNCTIONS), sub).map(([f, a]) => `${f}(${a})`)),
      weighted(1, fc.array(sub, { maxLength: 3 }).map((args) => `coalesce(${args.join(', ')})`)),
      weighted(1, fc.constantFrom('$sum(list[0])', '$uppercase("a")', 'list[a]', '$count(list, 1)')),
    ),
  };
}).expr;
