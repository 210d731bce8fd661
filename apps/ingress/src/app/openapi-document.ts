import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

const SHARED_DEFS_REF = /^#\/components\/schemas\/__shared#\/\$defs\//;

/**
 * Recursive schemas without an id (the `JsonValue` union) come out of the zod conversion as
 * `#/components/schemas/__shared#/$defs/x`, which is not a JSON pointer; rewrite them to
 * `#/components/schemas/__shared/$defs/x` so every `$ref` of the document resolves.
 */
export function repairSharedRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(repairSharedRefs) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof child === 'string' ? child.replace(SHARED_DEFS_REF, '#/components/schemas/__shared/$defs/') : repairSharedRefs(child);
  }
  return out as T;
}

/** The `@fastify/swagger` options of the ingress: OpenAPI 3.1 from the zod route schemas, bearer security. */
export function openApiOptions(apiVersion: string): SwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Baton ingress API',
        description:
          'Start runs, route events to waits, complete human tasks and control runs (SPEC-api v1). Every non-2xx body is `{error: {code, message, ...details}}`; validation failures carry `issues: [{path, message, code}]`.',
        version: apiVersion,
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key of BATON_API_KEYS; it selects the tenant' } },
      },
      security: [{ bearer: [] }],
      tags: [
        { name: 'workflows', description: 'Publish definitions, policies' },
        { name: 'runs', description: 'Start, read and list runs' },
        { name: 'run control', description: 'Cancel, retry, resume' },
        { name: 'events', description: 'Route events to waiting runs' },
        { name: 'tasks', description: 'Human tasks' },
        { name: 'actions', description: 'The live action catalog' },
        { name: 'secrets', description: 'Write-only tenant secrets for {"$secret": name} action inputs' },
        { name: 'entities', description: 'Entity workflows: one live run per entity key' },
        { name: 'system', description: 'Health, metrics, this document (no key needed)' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => repairSharedRefs(jsonSchemaTransformObject(document)),
  };
}
