import { z } from 'zod';

/** ISO-8601 timestamp with offset. */
export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO-8601 timestamp');
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** A run id (path parameter and body field). */
export const RunId = z.string().min(1).max(200).describe('Run id');
export type RunId = z.infer<typeof RunId>;

/** What a whole-number field expects, the message of every way it can be wrong (not a number, fractional, out of range). */
export function wholeNumberMessage(min: number, max: number, unit?: string): string {
  return `expected a whole number${unit === undefined ? '' : ` of ${unit}`} from ${min} to ${max}`;
}

/**
 * A whole number from `min` to `max` (`unit`: what it counts, for the message); `coerce` for query
 * strings. Every failure is answered with {@link wholeNumberMessage}, never with a parser detail such
 * as "received NaN".
 */
export function wholeNumber(min: number, max: number, options: { readonly unit?: string; readonly coerce?: boolean } = {}) {
  const error = { error: wholeNumberMessage(min, max, options.unit) };
  return (options.coerce ? z.coerce.number(error) : z.number(error)).int(error).min(min, error).max(max, error);
}
