import { Validator, type Schema } from '@cfworker/json-schema';
import { compileLinearPattern } from './bounded-schema.js';

/** One reason a JSON Schema document is not usable. */
export interface SchemaProblem {
  /** JSON-pointer-like location inside the schema, `''` for its root */
  readonly path: string;
  readonly message: string;
}

const TYPES = ['null', 'boolean', 'object', 'array', 'number', 'string', 'integer'];
const ref = { $ref: '#/$defs/schema' };
const schemaList = { type: 'array', minItems: 1, items: ref };
const schemaMap = { type: 'object', additionalProperties: ref };
const count = { type: 'integer', minimum: 0 };

// The keywords of draft 2020-12 a workflow author uses, with their value types (a compact
// meta-schema: unknown keywords are allowed, as the spec allows them).
const META_SCHEMA = {
  $ref: '#/$defs/schema',
  $defs: {
    schema: {
      type: ['object', 'boolean'],
      properties: {
        type: { anyOf: [{ enum: TYPES }, { type: 'array', items: { enum: TYPES }, uniqueItems: true, minItems: 1 }] },
        properties: schemaMap,
        patternProperties: schemaMap,
        $defs: schemaMap,
        dependentSchemas: schemaMap,
        additionalProperties: ref,
        unevaluatedProperties: ref,
        propertyNames: ref,
        items: ref,
        unevaluatedItems: ref,
        contains: ref,
        not: ref,
        if: ref,
        then: ref,
        else: ref,
        prefixItems: schemaList,
        allOf: schemaList,
        anyOf: schemaList,
        oneOf: schemaList,
        required: { type: 'array', items: { type: 'string' }, uniqueItems: true },
        dependentRequired: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        enum: { type: 'array' },
        minimum: { type: 'number' },
        maximum: { type: 'number' },
        exclusiveMinimum: { type: 'number' },
        exclusiveMaximum: { type: 'number' },
        multipleOf: { type: 'number', exclusiveMinimum: 0 },
        minLength: count,
        maxLength: count,
        minItems: count,
        maxItems: count,
        minProperties: count,
        maxProperties: count,
        minContains: count,
        maxContains: count,
        uniqueItems: { type: 'boolean' },
        pattern: { type: 'string' },
        format: { type: 'string' },
        $ref: { type: 'string' },
        $id: { type: 'string' },
        $schema: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
      },
    },
  },
};

let metaValidator: Validator | undefined;

function collectPatterns(schema: unknown, path: string, out: { path: string; pattern: string }[]): void {
  if (Array.isArray(schema)) schema.forEach((s, i) => collectPatterns(s, `${path}/${i}`, out));
  else if (schema && typeof schema === 'object') {
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'pattern' && typeof value === 'string') out.push({ path: `${path}/pattern`, pattern: value });
      else if (key === 'patternProperties' && value && typeof value === 'object') {
        for (const p of Object.keys(value)) out.push({ path: `${path}/patternProperties`, pattern: p });
        collectPatterns(value, `${path}/${key}`, out);
      } else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') collectPatterns(value, `${path}/${key}`, out);
    }
  }
}

/** Checks that a value is a usable JSON Schema (2020-12): keyword value types, regexes, references. */
export function checkJsonSchema(schema: unknown): SchemaProblem[] {
  if (typeof schema === 'boolean') return [];
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ path: '', message: 'a JSON Schema must be an object or a boolean' }];
  }
  metaValidator ??= new Validator(META_SCHEMA as Schema, '2020-12', false);
  const result = metaValidator.validate(schema);
  const problems: SchemaProblem[] = [];
  if (!result.valid) {
    // One problem per location: alternatives of an anyOf each report the same spot.
    const seen = new Set<string>();
    for (const e of result.errors) {
      if (/^(properties|additionalProperties|items|allOf|\$ref|prefixItems)$/.test(e.keyword)) continue;
      const path = e.instanceLocation.replace(/^#/, '');
      if (seen.has(path)) continue;
      seen.add(path);
      problems.push({ path, message: e.keyword === 'anyOf' ? 'has a value of the wrong type' : e.error });
    }
  }
  if (!result.valid && problems.length === 0) problems.push({ path: '', message: 'not a valid JSON Schema' });
  const patterns: { path: string; pattern: string }[] = [];
  collectPatterns(schema, '', patterns);
  for (const { path, pattern } of patterns) {
    if (path.endsWith('/patternProperties')) {
      // Its patterns would run on the validator's backtracking engine, with no bound on CPU.
      problems.push({
        path,
        message: 'patternProperties is not supported (its regular expressions cannot be bounded in time); use propertyNames with a pattern, and additionalProperties',
      });
      continue;
    }
    const regex = compileLinearPattern(pattern);
    if (regex instanceof Error) {
      problems.push({
        path,
        message: `regular expression not supported by the linear-time engine (RE2 syntax: no lookaround, no backreferences): ${regex.message}`,
      });
    }
  }
  if (problems.length === 0) {
    try {
      new Validator(schema as Schema, '2020-12', false).validate(null);
    } catch (error) {
      problems.push({ path: '', message: `the schema cannot be used: ${(error as Error).message}` });
    }
  }
  return problems;
}
