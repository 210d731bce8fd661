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
