import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { boundSchema, PATTERN_FORMAT_PREFIX } from './bounded-schema.js';

/** One reason a value does not satisfy a JSON Schema. */
export interface JsonSchemaIssue {
  /** JSON-pointer-like location in the value, `''` for the root, e.g. `/items/0/name` */
  readonly path: string;
  readonly message: string;
  /** the JSON Schema keyword that failed, e.g. `required`, `type` */
  readonly code: string;
}

/** Result of {@link validateAgainstJsonSchema}. */
export type JsonSchemaResult = { readonly ok: true } | { readonly ok: false; readonly issues: readonly JsonSchemaIssue[] };

const validators = new WeakMap<object, Validator>();

function validatorFor(schema: object): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(boundSchema(schema) as Schema, '2020-12', false);
    validators.set(schema, validator);
  }
  return validator;
}

const PATTERN_ERROR = new RegExp(`^String does not match format "${PATTERN_FORMAT_PREFIX}([\\s\\S]*)"\\.$`);

// A `pattern` runs as a format (see bounded-schema.ts): it is reported as the pattern it is.
function toIssue(e: OutputUnit): JsonSchemaIssue {
  const path = e.instanceLocation.replace(/^#/, '');
  const pattern = e.keyword === 'format' ? PATTERN_ERROR.exec(e.error)?.[1] : undefined;
  if (pattern !== undefined) return { path, message: `String does not match pattern "${pattern}".`, code: 'pattern' };
  return { path, message: e.error, code: e.keyword };
}

/**
 * Validates a value against a JSON Schema (draft 2020-12) without code generation,
 * so it also runs inside the Temporal workflow sandbox. Reports every issue. `pattern` runs on a
 * linear-time engine (re2js) and `uniqueItems` is checked on arrays of at most 128 items (see
 * bounded-schema.ts), so no value costs more than linear time in its size.
 */
export function validateAgainstJsonSchema(schema: unknown, value: unknown): JsonSchemaResult {
  if (schema === true || schema === undefined) return { ok: true };
  if (schema === false) return { ok: false, issues: [{ path: '', message: 'no value is allowed by this schema', code: 'false' }] };
  if (typeof schema !== 'object' || schema === null) {
    return { ok: false, issues: [{ path: '', message: 'the schema is not a JSON Schema object', code: 'schema' }] };
  }
  const result = validatorFor(schema).validate(value);
  if (result.valid) return { ok: true };
  // The validator reports a summary unit for each failing parent keyword too; keep the leaves.
  const leaves = result.errors.filter((e: OutputUnit) => !/^(properties|items|allOf|anyOf|oneOf|\$ref|prefixItems|if|then|else)$/.test(e.keyword));
  const issues = (leaves.length ? leaves : result.errors).map(toIssue);
  return { ok: false, issues };
}
