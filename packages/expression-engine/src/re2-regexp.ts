import { RE2JS } from 're2js';

/** Characters a search scans per step (the meter's rate for produced strings). */
const SEARCH_CHARS_PER_STEP = 64;

/** What a metered search charges: the evaluation's step budget. */
export interface SearchMeter {
  charge(units: number, position: number | undefined): void;
}

/** Flags a JSONata regex literal may carry (`i`, `m`; JSONata adds `g` itself). */
function re2Flags(flags: string): number {
  let result = 0;
  if (flags.includes('i')) result |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) result |= RE2JS.MULTILINE;
  return result;
}

/** Why RE2 refuses a JavaScript pattern, in words a user can act on. */
function refusalReason(source: string, message: string): string {
  if (/\(\?<?[=!]/.test(source)) return 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) cannot run in linear time';
  if (/\\[1-9]|\\k</.test(source)) return 'backreferences (\\1, \\k<name>) cannot run in linear time';
  return message.replace(/^error parsing regexp: /, '');
}

/**
 * Compiles a JavaScript regular expression (pattern and flags as JSONata's parser produced them)
 * into RE2; throws an Error whose message says why RE2 cannot express it.
 */
export function compileRe2(source: string, flags: string): RE2JS {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(source), re2Flags(flags));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(refusalReason(source, message), { cause: error });
  }
}

/**
 * Compiled patterns by the RegExp of the AST node they come from: JSONata constructs its regex
 * engine on every evaluation of a regex literal, and compiling is what costs.
 */
const compiledByLiteral = new WeakMap<RegExp, RE2JS>();

/** What JSONata reads from the result of `exec`. */
interface ExecResult extends Array<string | undefined> {
  index: number;
}

/**
 * A stand-in for `RegExp` on the RE2 engine (linear time, no backtracking), with just what
 * JSONata's evaluator uses: `new Re2RegExp(regexp)`, `lastIndex`, and a global `exec`. JSONata
 * takes it through its `RegexEngine` option, so regex literals and every function taking one
 * (`$match`, `$replace`, `$split`, `$contains`) run on RE2.
 */
export class Re2RegExp {
  readonly source: string;
  readonly flags: string;
  lastIndex = 0;
  readonly #pattern: RE2JS;
  /** The matcher of the last text searched: JSONata searches one text repeatedly (`next()`). */
  #matcher: { text: string; matcher: ReturnType<RE2JS['matcher']> } | undefined;

  readonly #meter: SearchMeter | undefined;

  constructor(pattern: RegExp | string, flags?: string, meter?: SearchMeter) {
    this.#meter = meter;
    this.source = typeof pattern === 'string' ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    if (typeof pattern === 'string' || flags !== undefined) {
      this.#pattern = compileRe2(this.source, this.flags);
    } else {
      let compiled = compiledByLiteral.get(pattern);
      if (compiled === undefined) compiledByLiteral.set(pattern, (compiled = compileRe2(this.source, this.flags)));
      this.#pattern = compiled;
    }
  }

  /** Like a global `RegExp.exec`: searches from `lastIndex`, and moves it past the match. */
  exec(text: string): ExecResult | null {
    const start = this.lastIndex;
    if (start > text.length) {
      this.lastIndex = 0;
      return null;
    }
    if (this.#matcher?.text !== text) this.#matcher = { text, matcher: this.#pattern.matcher(text) };
    const matcher = this.#matcher.matcher;
    const found = matcher.find(start);
    // One step per search, plus one per 64 characters it scanned (it is linear in them).
    const scannedTo = found ? matcher.end() : text.length;
    this.#meter?.charge(1 + Math.floor((scannedTo - start) / SEARCH_CHARS_PER_STEP), undefined);
    if (!found) {
      this.lastIndex = 0;
      return null;
    }
    const result = [] as unknown as ExecResult;
    const groups = matcher.groupCount();
    for (let i = 0; i <= groups; i++) {
      const group = matcher.group(i);
      result.push(group === null ? undefined : group);
    }
    result.index = matcher.start();
    this.lastIndex = matcher.end();
    return result;
  }

  test(text: string): boolean {
    return this.exec(text) !== null;
  }
}

/**
 * The regex engine of one evaluation: RE2, charging every search to that evaluation's step budget
 * (JSONata's `$replace`, `$match`, `$split` loop over matches inside the function, where no
 * evaluation hook sees them).
 */
export function meteredRegExpEngine(meter: SearchMeter): (pattern: RegExp) => Re2RegExp {
  // JSONata calls it with `new`; a constructor function that returns an object yields that object.
  // A plain function (not a class per evaluation) keeps Re2RegExp monomorphic.
  return function MeteredRe2RegExp(pattern: RegExp): Re2RegExp {
    return new Re2RegExp(pattern, undefined, meter);
  };
}
