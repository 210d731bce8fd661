/**
 * The five functions this package adds to JSONata. They may be called with or without the `$`
 * prefix (`nowIso()` and `$nowIso()` are the same call), except `append`: `append(list, v)` is the
 * null-tolerant custom function, `$append(a, b)` is JSONata's own.
 */
export const CUSTOM_FUNCTION_NAMES = ['nowIso', 'coalesce', 'len', 'toString', 'append'] as const;
export type CustomFunctionName = (typeof CUSTOM_FUNCTION_NAMES)[number];

/**
 * Where the custom `append` is bound: a name no expression can write (JSONata variable names hold
 * no space), so `$append` stays JSONata's built-in.
 */
export const CUSTOM_APPEND_BINDING = ' baton append';

/** Every function JSONata 2.x binds by default (without `$`). */
export const JSONATA_BUILTIN_FUNCTION_NAMES = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round',
  'abs', 'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce',
  'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error',
  'assert', 'type', 'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode',
  'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis',
  'fromMillis', 'clone', 'now', 'millis',
] as const;

/**
 * Functions no allowlist can enable, with the reason: their result is not a function of the
 * expression and its context, or they would bypass validation.
 */
export const NEVER_ALLOWED_FUNCTIONS: Readonly<Record<string, string>> = {
  random: 'is random (Baton expressions are deterministic: derive values from the input or the run id)',
  shuffle: 'is random (Baton expressions are deterministic: use $sort)',
  eval: 'evaluates a string as an expression, bypassing validation',
};

/**
 * The functions an expression may call when the caller passes no `allowedFunctions`: the custom
 * functions plus every JSONata built-in except the never-allowed ones.
 */
export const DEFAULT_ALLOWED_FUNCTIONS: readonly string[] = Object.freeze([
  ...CUSTOM_FUNCTION_NAMES.map((name) => `$${name}`),
  ...JSONATA_BUILTIN_FUNCTION_NAMES.filter((name) => !Object.hasOwn(NEVER_ALLOWED_FUNCTIONS, name) && name !== 'append').map((name) => `$${name}`),
]);

const KNOWN = new Set<string>([...JSONATA_BUILTIN_FUNCTION_NAMES, ...CUSTOM_FUNCTION_NAMES]);
const CUSTOM = new Set<string>(CUSTOM_FUNCTION_NAMES);

/** The name of a function without its `$` prefix (`'$sum'` and `'sum'` both give `'sum'`). */
export function bareFunctionName(name: string): string {
  return name.startsWith('$') ? name.slice(1) : name;
}

/** Whether `name` (without `$`) is a JSONata built-in or one of the custom functions. */
export function isKnownFunction(name: string): boolean {
  return KNOWN.has(name);
}

/** Whether `name` (without `$`) is one of the five custom functions. */
export function isCustomFunction(name: string): name is CustomFunctionName {
  return CUSTOM.has(name);
}
