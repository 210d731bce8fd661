import type { CorrelationSource, JsonValue } from '@baton/event-schemas';
import type { CorrelationConfig, CorrelationPath } from './correlation-config.js';

/** The parts of an event envelope correlation reads. */
export interface CorrelatableEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly correlationKey?: string | null;
  readonly payload: JsonValue;
}

/** A resolved correlation key, where it came from, and a human-readable account of how. */
export interface CorrelationResolution {
  /** `null` when `source` is `missing` */
  readonly key: string | null;
  readonly source: CorrelationSource;
  readonly detail: string;
}

function valueAt(payload: JsonValue, segments: readonly string[]): unknown {
  let current: unknown = payload;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else {
      // own properties only: a path can never reach the prototype chain
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}

/** A payload value usable as a key: a non-empty string (verbatim) or a finite number (as a string). */
function keyFrom(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Resolves the correlation key of an event per SPEC-api: the envelope's `correlationKey` (trimmed,
 * non-empty), else the first configured payload path (rules for the event name, then `*`) whose
 * value is a non-empty string or a finite number (objects, arrays, booleans and null are skipped),
 * else `missing`. Never the event id, and a payload field is never taken as an explicit key.
 */
export function resolveCorrelationKey(event: CorrelatableEvent, config: CorrelationConfig): CorrelationResolution {
  const explicit = typeof event.correlationKey === 'string' ? event.correlationKey.trim() : '';
  if (explicit !== '') return { key: explicit, source: 'explicit', detail: 'the envelope correlationKey' };

  const candidates: { readonly rule: string; readonly path: CorrelationPath }[] = [];
  for (const rule of [event.eventName, '*']) {
    if (rule === '*' && event.eventName === '*') continue;
    for (const path of config.rules[rule] ?? []) candidates.push({ rule, path });
  }
  for (const { rule, path } of candidates) {
    const key = keyFrom(valueAt(event.payload, path.segments));
    if (key !== undefined) {
      return { key, source: 'derived', detail: `payload path "${path.source}" (rule ${JSON.stringify(rule)})` };
    }
  }
  const why = candidates.length
    ? `no configured path gave a non-empty string or finite number (tried ${candidates.map((c) => `"${c.path.source}"`).join(', ')})`
    : `no path is configured for ${JSON.stringify(event.eventName)} or "*"`;
  return { key: null, source: 'missing', detail: `no envelope correlationKey, and ${why}` };
}
