import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { validationError, zodIssuesToValidationIssues } from '@baton/runtime-core';

/** Where each request part's issues are located (`query.limit`, `params.runId`; body paths are bare). */
const PART_PREFIX: Readonly<Record<string, readonly string[]>> = {
  body: [],
  querystring: ['query'],
  params: ['params'],
  headers: ['headers'],
};

const PART_NAME: Readonly<Record<string, string>> = { body: 'body', querystring: 'query string', params: 'path parameters', headers: 'headers' };

/**
 * A missing field whose schema is a union (such as any JSON value: an event's `payload`, a run's `input`, a
 * task's `response`) would otherwise be zod's bare "Invalid input"; it is named as required.
 */
const namedMissing = (issue: { readonly code: string; readonly input?: unknown }): string | undefined =>
  issue.code === 'invalid_union' && issue.input === undefined ? 'required: this field is missing' : undefined;

/**
 * Fastify validator compiler for zod schemas: a failure becomes a `VALIDATION_ERROR` `BatonError`
 * whose `issues` carry SPEC-api paths (`steps[2].id`, `query.limit`), answered 400 by the error handler.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = httpPart ?? 'body';
  return (data) => {
    const result = schema.safeParse(data, { error: namedMissing });
    if (result.success) return { value: result.data };
    return { error: validationError(`the request ${PART_NAME[part] ?? part} is invalid`, zodIssuesToValidationIssues(result.error, PART_PREFIX[part] ?? [part])) };
  };
};
