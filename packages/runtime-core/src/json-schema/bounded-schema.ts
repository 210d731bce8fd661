// JSON Schema evaluation with bounded CPU. The validator (@cfworker/json-schema) runs `pattern`
// on the host's backtracking RegExp engine (`^(a|a)*$` against 28 a's and a "!" took 28 s) and
// checks `uniqueItems` by comparing every pair of items. Before a schema is used, it is rewritten:
// each `pattern` becomes a format evaluated by re2js (RE2 semantics, linear time, pure JavaScript so
// it also runs in the Temporal workflow sandbox), and `uniqueItems` applies only to arrays of at
// most UNIQUE_ITEMS_MAX items (a longer array fails `maxItems`).
import { format } from '@cfworker/json-schema';
import { RE2JS } from 're2js';

/** Prefix of the formats standing for a `pattern`. */
export const PATTERN_FORMAT_PREFIX = 'baton-re2:';

/** Longest array `uniqueItems` is checked on (pairwise comparisons: at most 128² / 2). */
export const UNIQUE_ITEMS_MAX = 128;

const compiled = new Map<string, RE2JS | Error>();

/** The pattern compiled by re2js, or the reason it cannot be (lookaround, backreferences...). */
export function compileLinearPattern(pattern: string): RE2JS | Error {
  let regex = compiled.get(pattern);
  if (!regex) {
    try {
      regex = RE2JS.compile(pattern);
    } catch (error) {
      regex = error instanceof Error ? error : new Error(String(error));
    }
    compiled.set(pattern, regex);
  }
  return regex;
}

function patternFormat(pattern: string): string {
  const name = `${PATTERN_FORMAT_PREFIX}${pattern}`;
  const registry = format as Record<string, (value: string) => boolean>;
  if (!Object.prototype.hasOwnProperty.call(registry, name)) {
    const regex = compileLinearPattern(pattern);
    // A pattern re2js cannot run (published before this check existed) matches nothing.
    registry[name] = regex instanceof Error ? () => false : (value) => regex.matcher(value).find();
  }
  return name;
}

const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_KEYWORDS = new Set(['additionalProperties', 'unevaluatedProperties', 'propertyNames', 'items', 'unevaluatedItems', 'contains', 'not', 'if', 'then', 'else']);

/** A copy of `schema` whose `pattern`s run on re2js and whose `uniqueItems` is bounded; other keywords unchanged. */
export function boundSchema(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Record<string, unknown> = {};
  const extra: unknown[] = [];
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === 'pattern' && typeof value === 'string') extra.push({ format: patternFormat(value) });
    else if (key === 'uniqueItems' && value === true) {
      extra.push({ if: { maxItems: UNIQUE_ITEMS_MAX }, then: { uniqueItems: true }, else: { maxItems: UNIQUE_ITEMS_MAX } });
    } else if (SCHEMA_MAP_KEYWORDS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, boundSchema(v)]));
    } else if (SCHEMA_LIST_KEYWORDS.has(key) && Array.isArray(value)) out[key] = value.map(boundSchema);
    else if (SCHEMA_KEYWORDS.has(key)) out[key] = boundSchema(value);
    else out[key] = value;
  }
  if (extra.length) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), ...extra];
  return out;
}
