import { BatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';

/** One derivation path into an event's payload, e.g. `order.id` (segments `order`, `id`). */
export interface CorrelationPath {
  /** the path as configured */
  readonly source: string;
  readonly segments: readonly string[];
}

/**
 * Parsed `BATON_EVENT_CORRELATION_PATHS`: for each event name (or `*`, any event) the payload
 * paths tried in order. Paths are relative to the event's `payload`.
 */
export interface CorrelationConfig {
  readonly rules: Readonly<Record<string, readonly CorrelationPath[]>>;
}

/** The configuration with no derivation paths: only explicit envelope keys correlate. */
export const EMPTY_CORRELATION_CONFIG: CorrelationConfig = Object.freeze({ rules: Object.freeze({}) });

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

interface ConfigIssue {
  readonly path: string;
  readonly message: string;
  readonly code: string;
}

function parsePath(source: unknown, where: string, issues: ConfigIssue[]): CorrelationPath | undefined {
  if (typeof source !== 'string') {
    issues.push({ path: where, message: 'a path must be a string such as "order.id"', code: 'invalid_type' });
    return undefined;
  }
  const segments = source.split('.');
  if (source.trim() === '' || segments.some((s) => s.trim() === '' || s !== s.trim())) {
    issues.push({ path: where, message: `"${source}" is not a dot path such as "order.id" (empty segment or surrounding spaces)`, code: 'invalid_path' });
    return undefined;
  }
  const forbidden = segments.find((s) => FORBIDDEN_SEGMENTS.has(s));
  if (forbidden !== undefined) {
    issues.push({ path: where, message: `"${source}" uses the reserved segment "${forbidden}"`, code: 'invalid_path' });
    return undefined;
  }
  return { source, segments };
}

/**
 * Parses the correlation configuration (`{"<eventName>": "a.b" | ["a.b", "c"], "*": ...}`), given
 * as JSON text (the environment variable) or a value. `undefined` or blank text means no paths;
 * anything malformed throws `INVALID_CORRELATION_CONFIG` listing every problem, never "no config".
 */
export function parseCorrelationConfig(json: unknown): CorrelationConfig {
  if (json === undefined || (typeof json === 'string' && json.trim() === '')) return EMPTY_CORRELATION_CONFIG;
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new BatonError(ErrorCode.INVALID_CORRELATION_CONFIG, `correlation config is not valid JSON: ${(err as Error).message}`, {
        details: { issues: [{ path: '', message: 'not valid JSON', code: 'invalid_json' }] },
      });
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BatonError(
      ErrorCode.INVALID_CORRELATION_CONFIG,
      'correlation config must be an object mapping event names (or "*") to a path or a list of paths',
      { details: { issues: [{ path: '', message: 'expected an object', code: 'invalid_type' }] } },
    );
  }
  const issues: ConfigIssue[] = [];
  const rules: Record<string, readonly CorrelationPath[]> = {};
  for (const [eventName, spec] of Object.entries(value)) {
    const where = JSON.stringify(eventName);
    if (eventName.trim() === '') {
      issues.push({ path: where, message: 'an event name must not be empty', code: 'invalid_event_name' });
      continue;
    }
    const list: unknown[] | undefined = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec : undefined;
    if (list === undefined) {
      issues.push({ path: where, message: 'expected a path string or a list of path strings', code: 'invalid_type' });
      continue;
    }
    if (list.length === 0) {
      issues.push({ path: where, message: 'the list of paths is empty', code: 'empty_list' });
      continue;
    }
    const paths = list.map((p, i) => parsePath(p, typeof spec === 'string' ? where : `${where}[${i}]`, issues));
    if (paths.every((p) => p !== undefined)) rules[eventName] = Object.freeze(paths as CorrelationPath[]);
  }
  if (issues.length) {
    throw new BatonError(
      ErrorCode.INVALID_CORRELATION_CONFIG,
      `invalid correlation config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { details: { issues } },
    );
  }
  return Object.freeze({ rules: Object.freeze(rules) });
}
