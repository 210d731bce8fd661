import { JsonValue } from '@baton/event-schemas';
import { z } from 'zod';
import { ActionFailure, defineAction } from '../action-definition.js';

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

async function readBody(response: Response): Promise<JsonValue> {
  const text = await response.text();
  if (text === '') return null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * `http.request@1`: a real HTTP call via `fetch`. 2xx -> `{status, headers, body}`; other
 * statuses -> ActionError, except 5xx -> TransientError; network errors and the request's own
 * timeout -> TransientError. Sends the step's idempotency key as `Idempotency-Key`.
 */
export const httpRequest = defineAction({
  id: 'http.request',
  version: 1,
  description: 'HTTP request; non-2xx fails (5xx and network errors are retryable)',
  input: HttpRequestInput,
  output: HttpRequestOutput,
  handler: async (input, context) => {
    const timeoutMs = input.timeoutMs ?? HTTP_REQUEST_DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = context.signal ? AbortSignal.any([context.signal, timeout]) : timeout;
    const headers: Record<string, string> = { 'idempotency-key': context.idempotencyKey, ...input.headers };
    if (input.body !== undefined) headers['content-type'] ??= 'application/json';
    let response: Response;
    try {
      response = await fetch(input.url, {
        method: input.method ?? 'GET',
        headers,
        signal,
        ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
      });
    } catch (error) {
      if (timeout.aborted) throw new ActionFailure(`${input.url} did not answer within ${timeoutMs} ms`, { code: 'HTTP_TIMEOUT', retryable: true });
      if (context.signal?.aborted) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new ActionFailure(`request to ${input.url} failed${cause}`, { code: 'HTTP_NETWORK_ERROR', retryable: true });
    }
    const body = await readBody(response);
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      responseHeaders[key] = value;
    });
    if (response.status < 200 || response.status > 299) {
      throw new ActionFailure(`${input.method ?? 'GET'} ${input.url} answered ${response.status}`, {
        code: 'HTTP_ERROR',
        retryable: response.status >= 500,
        details: { status: response.status, body },
      });
    }
    return { status: response.status, headers: responseHeaders, body };
  },
});
