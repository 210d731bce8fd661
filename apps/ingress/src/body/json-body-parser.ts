import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { validationError } from '@baton/runtime-core';
import { findNulCharacter, jsonTextDepth, nulCharacterError, tooDeepError } from './json-shape.js';

/** Options of {@link registerJsonBodyGuards}. */
export interface JsonBodyGuardOptions {
  /** deepest nesting of a JSON body @default JSON_SHAPE_DEFAULTS.maxDepth */
  readonly maxDepth: number;
}

const PARTS = [
  ['query', 'query'],
  ['params', 'params'],
] as const;

/**
 * One place for every route: the `application/json` parser refuses a body nested deeper than
 * `maxDepth` (400 `JSON_TOO_DEEP`, checked on the text before parsing) or holding a NUL character in
 * a string or key (400 `INVALID_JSON` with the path), and a `preValidation` hook refuses a NUL in the
 * query string or path parameters (400 `VALIDATION_ERROR`): Postgres can store neither.
 * Prototype-poisoning keys stay refused as by fastify's own parser.
 */
export function registerJsonBodyGuards(app: FastifyInstance, options: JsonBodyGuardOptions): void {
  const { maxDepth } = options;
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonTextDepth(text, maxDepth) > maxDepth) {
      done(tooDeepError('the request body', maxDepth), undefined);
      return;
    }
    void parse(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const path = findNulCharacter(value);
      if (path !== undefined) return done(nulCharacterError('the request body', path), undefined);
      done(null, value);
    });
  });

  app.addHook('preValidation', async (request: FastifyRequest, _reply: FastifyReply) => {
    for (const [part, prefix] of PARTS) {
      const path = findNulCharacter(request[part]);
      if (path === undefined) continue;
      const at = path ? `${prefix}.${path}` : prefix;
      throw validationError(`the request ${part === 'query' ? 'query string' : 'path'} holds a NUL character at ${at}`, [
        { path: at, message: 'NUL characters (\\u0000) are not accepted', code: 'nul_character' },
      ]);
    }
  });
}
