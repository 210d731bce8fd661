import type jsonata from 'jsonata';
import { type EvaluationMeter, METER_BINDING } from './evaluation-meter.js';
import { ExpressionErrorCode } from './expression-error.js';

type Focus = jsonata.Focus;

function meterOf(focus: Focus): EvaluationMeter {
  return focus.environment.lookup(METER_BINDING) as EvaluationMeter;
}

/** The run clock of this evaluation in epoch milliseconds; EVALUATION when the caller gave none. */
export function runClockMillis(meter: EvaluationMeter, name: string): number {
  const now = meter.now;
  const millis = now?.getTime();
  if (millis === undefined || Number.isNaN(millis)) {
    throw meter.error(
      ExpressionErrorCode.EVALUATION,
      `${name} needs the run clock: evaluate with a valid env.now (the wall clock is never read)`,
      undefined,
      { function: name },
    );
  }
  return millis;
}

/** `$millis()`: the run clock (the time of the input being processed), identical on replay. */
function millis(this: Focus): number {
  return runClockMillis(meterOf(this), '$millis');
}

/** `$now(picture?, timezone?)`: the run clock, formatted like `$fromMillis`. */
function now(this: Focus, picture?: string, timezone?: string): unknown {
  const value = runClockMillis(meterOf(this), '$now');
  const fromMillis = this.environment.lookup('fromMillis') as { implementation: (...args: unknown[]) => unknown };
  return fromMillis.implementation.call(this, value, picture, timezone);
}

/** Number of code points of `text`. */
function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/**
 * `$pad(str, width, char?)`: JSONata's semantics, but the size of the result is checked against
 * `maxOutputBytes` before it is built (`$pad("x", 1e9)` fails at once instead of allocating).
 */
function pad(this: Focus, text: string | undefined, width: number, char?: string): string | undefined {
  if (text === undefined) return undefined;
  const fill = char === undefined || char.length === 0 ? ' ' : char;
  const target = Math.trunc(width);
  const padLength = Math.abs(target) - codePoints(text);
  if (!(padLength > 0)) return text;
  const meter = meterOf(this);
  // Each padding code point is at least one byte of the result.
  if (padLength > meter.limits.maxOutputBytes) throw meter.outputTooLarge(padLength, undefined);
  let padding = fill.repeat(Math.ceil(padLength / codePoints(fill)));
  if (codePoints(padding) > padLength) padding = Array.from(padding).slice(0, padLength).join('');
  return target > 0 ? text + padding : padding + text;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map<string, number>([...BASE64].map((c, i) => [c, i]));
BASE64_VALUE.set('-', 62);
BASE64_VALUE.set('_', 63);

/**
 * `$base64encode(str)`: the Latin-1 bytes of `str` (the low byte of each UTF-16 unit, as JSONata
 * on Node does) in base64; pure JavaScript, so every host gives the same result.
 */
function base64encode(this: Focus, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const a = text.charCodeAt(i) & 0xff;
    const b = i + 1 < text.length ? text.charCodeAt(i + 1) & 0xff : -1;
    const c = i + 2 < text.length ? text.charCodeAt(i + 2) & 0xff : -1;
    out += BASE64[a >> 2]!;
    out += BASE64[((a & 3) << 4) | (b < 0 ? 0 : b >> 4)]!;
    out += b < 0 ? '=' : BASE64[((b & 15) << 2) | (c < 0 ? 0 : c >> 6)]!;
    out += c < 0 ? '=' : BASE64[c & 63]!;
  }
  return out;
}

/**
 * `$base64decode(str)`: base64 (standard or URL-safe alphabet; other characters skipped, `=` ends
 * the data) to one character per byte, as JSONata on Node does.
 */
function base64decode(this: Focus, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let out = '';
  let bits = 0;
  let count = 0;
  for (const c of text) {
    if (c === '=') break;
    const value = BASE64_VALUE.get(c);
    if (value === undefined) continue;
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += String.fromCharCode((bits >> count) & 0xff);
    }
  }
  return out;
}

function isArrayOf(values: readonly unknown[], type: 'number' | 'string'): boolean {
  return values.every((value) => typeof value === type);
}

type Comparator = (a: unknown, b: unknown) => unknown;

/**
 * `$sort(array, comparator?)`: JSONata's merge sort, with the same split points and the same
 * comparisons in the same order (so the same result even for an inconsistent comparator), but
 * merging by index: O(n log n) instead of JSONata 2.2.2's O(n²) slicing. Each comparison costs one
 * step (a comparator function's own nodes are counted as well).
 */
async function sort(this: Focus, values: unknown, comparator?: Comparator): Promise<unknown> {
  if (values === undefined) return undefined;
  if (!Array.isArray(values) || values.length <= 1) return values;
  let compare: Comparator;
  if (comparator === undefined) {
    if (!isArrayOf(values, 'number') && !isArrayOf(values, 'string')) {
      throw { code: 'D3070', stack: new Error().stack, index: 1 };
    }
    compare = (a, b) => (a as number) > (b as number);
  } else {
    compare = comparator;
  }
  const meter = meterOf(this);
  const msort = async (items: unknown[]): Promise<unknown[]> => {
    if (items.length <= 1) return items;
    const middle = Math.floor(items.length / 2);
    const left = await msort(items.slice(0, middle));
    const right = await msort(items.slice(middle));
    const merged: unknown[] = [];
    let i = 0;
    let j = 0;
    while (i < left.length && j < right.length) {
      meter.charge(1, undefined);
      let swap = compare(left[i], right[j]);
      if (swap instanceof Promise) swap = await swap;
      if (swap) merged.push(right[j++]);
      else merged.push(left[i++]);
    }
    while (i < left.length) merged.push(left[i++]);
    while (j < right.length) merged.push(right[j++]);
    return merged;
  };
  return msort(values);
}

/** A JSONata built-in this package replaces, with its JSONata signature. */
export interface BuiltinOverride {
  readonly name: string;
  readonly implementation: (this: Focus, ...args: never[]) => unknown;
  readonly signature: string;
}

/**
 * Built-ins replaced by a deterministic or bounded implementation with JSONata's semantics:
 * the clock functions read the run clock, `$pad` checks its size first, base64 does not depend
 * on the host, and `$sort` is O(n log n) and metered.
 */
export const BUILTIN_OVERRIDES: readonly BuiltinOverride[] = [
  { name: 'millis', implementation: millis, signature: '<:n>' },
  { name: 'now', implementation: now as BuiltinOverride['implementation'], signature: '<s?s?:s>' },
  { name: 'pad', implementation: pad as BuiltinOverride['implementation'], signature: '<s-ns?:s>' },
  { name: 'base64encode', implementation: base64encode as BuiltinOverride['implementation'], signature: '<s-:s>' },
  { name: 'base64decode', implementation: base64decode as BuiltinOverride['implementation'], signature: '<s-:s>' },
  { name: 'sort', implementation: sort as unknown as BuiltinOverride['implementation'], signature: '<af?:a>' },
];
