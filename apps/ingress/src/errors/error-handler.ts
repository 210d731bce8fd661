import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, httpStatusOf, isBatonError, toErrorBody, type ErrorBody } from '@baton/runtime-core';

/** Fastify's own client errors and the SPEC-api code each answers with. */
const FASTIFY_CLIENT_ERRORS: Readonly<Record<string, { readonly code: ErrorCode; readonly issue?: string; readonly message: string }>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'the request body is larger than the limit' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: ErrorCode.VALIDATION_ERROR, issue: 'invalid_json', message: 'the request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: ErrorCode.VALIDATION_ERROR, issue: 'empty_body', message: 'the request body is empty but its content type is application/json' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: ErrorCode.VALIDATION_ERROR, issue: 'unsupported_media_type', message: 'unsupported content type: send application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: ErrorCode.VALIDATION_ERROR, issue: 'invalid_content_length', message: 'the content-length header does not match the body' },
  FST_ERR_BAD_URL: { code: ErrorCode.VALIDATION_ERROR, issue: 'bad_url', message: 'the request URL is malformed' },
};

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as FastifyError).code === 'string';
}

/** The status and SPEC-api body of any error a request produced; unknown errors become a bare 500 `INTERNAL`. */
export function errorResponseOf(err: unknown): { readonly status: number; readonly body: ErrorBody } {
  if (isBatonError(err)) return { status: httpStatusOf(err), body: toErrorBody(err) };
  if (isFastifyError(err)) {
    const known = FASTIFY_CLIENT_ERRORS[err.code];
    const status = err.statusCode ?? 500;
    if (known) {
      return {
        status,
        body: { error: { code: known.code, message: known.message, ...(known.issue ? { issues: [{ path: '', message: known.message, code: known.issue }] } : {}) } },
      };
    }
    // Any other 4xx fastify raises is the client's doing; its message names no internals.
    if (status >= 400 && status < 500) {
      const code = status === 404 ? ErrorCode.NOT_FOUND : status === 401 ? ErrorCode.UNAUTHORIZED : ErrorCode.VALIDATION_ERROR;
      return { status, body: { error: { code, message: err.message } } };
    }
  }
  return { status: 500, body: toErrorBody(err) };
}

/** A 413 names the route's body limit (`limitBytes`), so the client knows how much it may send. */
function withBodyLimit(response: { readonly status: number; readonly body: ErrorBody }, limitBytes: number | undefined) {
  if (response.body.error.code !== ErrorCode.PAYLOAD_TOO_LARGE || limitBytes === undefined) return response;
  return { ...response, body: { error: { ...response.body.error, message: `${response.body.error.message} of ${limitBytes} bytes`, limitBytes } } };
}

/** Sends an error body as JSON text, bypassing route response serializers (which must never turn an error into a 500). */
export function sendError(reply: FastifyReply, status: number, body: ErrorBody): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The fastify error handler: every error becomes `{error: {code, message, ...}}`; a 5xx is logged, never echoed with a stack. */
export function ingressErrorHandler(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = withBodyLimit(errorResponseOf(err), request.routeOptions.bodyLimit);
  if (status >= 500) request.log.error({ err, code: body.error.code }, 'request failed');
  else request.log.debug({ code: body.error.code }, 'request refused');
  return sendError(reply, status, body);
}

/** The fastify not-found handler: 404 `NOT_FOUND` naming the method and path. */
export function ingressNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0] ?? request.url;
  return sendError(reply, 404, { error: { code: ErrorCode.NOT_FOUND, message: `no route ${request.method} ${path}` } });
}

const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = { ERR_HTTP_REQUEST_TIMEOUT: 408, HPE_HEADER_OVERFLOW: 431 };

/**
 * Node's `clientError` (a request the HTTP parser rejects before fastify sees it): answer in the
 * SPEC-api error form and close the socket.
 */
export function ingressClientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? 400;
  const message = status === 408 ? 'the request took too long to arrive' : status === 431 ? 'the request headers are too large' : 'the request is not valid HTTP';
  const body = JSON.stringify({ error: { code: ErrorCode.VALIDATION_ERROR, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
