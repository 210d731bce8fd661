/**
 * The five functions this package adds to JSONata. They may be called with or without the `$`
 * prefix (`nowIso()` and `$nowIso()` are the same call).
 */
export const CUSTOM_FUNCTION_NAMES = ['nowIso', 'coalesce', 'len', 'toString', 'append'] as const;
export type CustomFunctionName = (typeof CUSTOM_FUNCTION_NAMES)[number];

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
 * Functions no allowlist can enable, with the reason: they read the clock, randomness or the
 * host environment, so two engines (or a replay) could disagree.
 */
export const NEVER_ALLOWED_FUNCTIONS: Readonly<Record<string, string>> = {
  now: 'reads the wall clock (use nowIso(), which reads the run clock)',
  millis: 'reads the wall clock (use nowIso(), which reads the run clock)',
  toMillis: 'fills missing date parts from the wall clock',
  random: 'is random',
  shuffle: 'is random',
  eval: 'evaluates a string as an expression, bypassing validation',
  base64encode: 'depends on the host (Buffer or btoa)',
  base64decode: 'depends on the host (Buffer or btoa)',
};

/**
 * The functions an expression may call when the caller passes no `allowedFunctions`: the custom
 * functions plus the deterministic, side-effect-free JSONata built-ins useful in workflows.
 */
export const DEFAULT_ALLOWED_FUNCTIONS: readonly string[] = Object.freeze([
  '$nowIso', '$coalesce', '$len', '$toString', '$append',
  '$string', '$length', '$substring', '$substringBefore', '$substringAfter', '$uppercase',
  '$lowercase', '$trim', '$contains', '$split', '$join',
  '$number', '$sum', '$count', '$max', '$min', '$average', '$round', '$abs', '$floor', '$ceil',
  '$boolean', '$not', '$exists', '$type',
  '$keys', '$lookup', '$merge', '$distinct', '$reverse', '$sort',
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
