import type { FastifyReply, FastifyRequest } from 'fastify';
import { BatonError, ErrorCode } from '@baton/runtime-core';
import type { ApiKeyTable } from './api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's tenant, set by the bearer-key hook on every authenticated route. */
    tenant: string;
    /** The name of the caller's API key (`key-` and 8 hex digits of its SHA-256), for records such as the policy history. */
    apiKeyName: string;
  }
}

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

function unauthorized(message: string): BatonError {
  return new BatonError(ErrorCode.UNAUTHORIZED, message);
}

/**
 * An `onRequest` hook: resolves `Authorization: Bearer <key>` to the caller's tenant, or answers
 * 401 `UNAUTHORIZED`. Registered only on the `/v1` scope: `/healthz`, `/metrics` and the docs need no key.
 */
export function createBearerAuth(keys: ApiKeyTable) {
  return async function bearerAuth(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined) throw unauthorized('missing Authorization: Bearer <key> header');
    const match = BEARER.exec(header);
    if (!match) throw unauthorized('the Authorization header must be "Bearer <key>"');
    const identity = keys.identify(match[1]!);
    if (identity === undefined) throw unauthorized('unknown API key');
    request.tenant = identity.tenant;
    request.apiKeyName = identity.keyName;
  };
}
