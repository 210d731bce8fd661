import { JsonValue } from '@baton/event-schemas';
import { z } from 'zod';
import { sha256Hex } from '../../hashing/content-hash.js';
import { ActionFailure, defineAction } from '../action-definition.js';
import { parseEgressAllowList, type EgressAllowList } from './egress-policy.js';
import { DestinationDeniedError, pinnedRequest, ResponseTooLargeError, systemResolver, type HostResolver, type PinnedResponse } from './pinned-http-request.js';

/** Default timeout of one HTTP request. */
export const HTTP_REQUEST_DEFAULT_TIMEOUT_MS = 10_000;

const HttpRequestInput = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).optional().describe('Default GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: JsonValue.optional().describe('Sent as JSON (content-type application/json)'),
  timeoutMs: z.number().int().min(1).max(300_000).optional().describe('Default 10000'),
});

const HttpRequestOutput = z.object({
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: JsonValue.describe('Parsed JSON when the response is JSON, else the text'),
});

/** Default largest response body `http.request` reads (1 MiB). */
export const HTTP_REQUEST_DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Egress and size policy of `http.request`. */
export interface HttpRequestOptions {
  /** Destinations allowed beyond public addresses (`BATON_HTTP_ALLOW`, see {@link parseEgressAllowList}). @default none */
  readonly allow?: EgressAllowList;
  /** Largest response body read; a larger one fails with `HTTP_RESPONSE_TOO_LARGE`. @default 1048576 */
  readonly maxResponseBytes?: number;
  /** Host name resolver (tests pin names to addresses). @default the system resolver */
  readonly resolve?: HostResolver;
}

function parseBody(response: PinnedResponse): JsonValue {
  const text = response.body.toString('utf8');
  if (text === '') return null;
  if (response.contentType.includes('json')) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * `http.request@1` with a policy: a real HTTP call whose destination must be a public address
 * (or allowed by `options.allow`), checked on the resolved address with the connection pinned to
 * it. 2xx -> `{status, headers, body}`; other statuses -> ActionError, except 5xx ->
 * TransientError; network errors and the request's own timeout -> TransientError; a denied
 * destination -> ActionError `HTTP_DESTINATION_DENIED`; a body over `maxResponseBytes` ->
 * ActionError `HTTP_RESPONSE_TOO_LARGE`. Redirects are not followed (a 3xx is an `HTTP_ERROR`
 * with its `location`). Sends `Idempotency-Key`: the sha-256 (hex) of the step's idempotency key,
 * the same on every retry, revealing neither the tenant nor the run.
 */
export function createHttpRequestAction(options: HttpRequestOptions = {}) {
  const allow = options.allow ?? parseEgressAllowList(undefined);
  const maxResponseBytes = options.maxResponseBytes ?? HTTP_REQUEST_DEFAULT_MAX_RESPONSE_BYTES;
  const resolve = options.resolve ?? systemResolver;
  return defineAction({
    id: 'http.request',
    version: 1,
    description: 'HTTP request to a public address (or one BATON_HTTP_ALLOW allows); non-2xx fails (5xx and network errors are retryable)',
    input: HttpRequestInput,
    output: HttpRequestOutput,
    handler: async (input, context) => {
      const timeoutMs = input.timeoutMs ?? HTTP_REQUEST_DEFAULT_TIMEOUT_MS;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
      const headers: Record<string, string> = { 'idempotency-key': sha256Hex(context.idempotencyKey), ...input.headers };
      if (input.body !== undefined) headers['content-type'] ??= 'application/json';
      const method = input.method ?? 'GET';
      let response: PinnedResponse;
      try {
        response = await pinnedRequest({
          url: new URL(input.url),
          method,
          headers,
          signal,
          allow,
          maxResponseBytes,
          resolve,
          ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
        });
      } catch (error) {
        if (error instanceof DestinationDeniedError) throw new ActionFailure(error.message, { code: 'HTTP_DESTINATION_DENIED', details: { url: input.url } });
        if (error instanceof ResponseTooLargeError) {
          throw new ActionFailure(`${method} ${input.url}: ${error.message}`, { code: 'HTTP_RESPONSE_TOO_LARGE', details: { maxBytes: error.maxBytes } });
        }
        if (timeout.aborted) throw new ActionFailure(`${input.url} did not answer within ${timeoutMs} ms`, { code: 'HTTP_TIMEOUT', retryable: true });
        if (context.signal?.aborted) throw error;
        const cause = error instanceof Error ? `: ${error.message}` : '';
        throw new ActionFailure(`request to ${input.url} failed${cause}`, { code: 'HTTP_NETWORK_ERROR', retryable: true });
      }
      const body = parseBody(response);
      if (response.status < 200 || response.status > 299) {
        throw new ActionFailure(`${method} ${input.url} answered ${response.status}`, {
          code: 'HTTP_ERROR',
          retryable: response.status >= 500,
          details: { status: response.status, body, ...(response.headers.location !== undefined ? { location: response.headers.location } : {}) },
        });
      }
      return { status: response.status, headers: response.headers, body };
    },
  });
}

/** `http.request@1` with the default policy: public addresses only, 1 MiB responses. */
export const httpRequest = createHttpRequestAction();
