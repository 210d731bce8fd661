import { describe, expect, it } from 'vitest';
import { BatonError, httpStatusOf, isBatonError, toErrorBody, validationError } from './baton-error.js';
import { ERROR_HTTP_STATUS, ErrorCode } from './error-code.js';

describe('BatonError', () => {
  it('carries code, message, status hint and details', () => {
    const err = new BatonError(ErrorCode.RUN_NOT_FOUND, 'run r1 not found', { details: { runId: 'r1' } });
    expect(err).toBeInstanceOf(Error);
    expect([err.code, err.message, err.httpStatus, err.details]).toEqual(['RUN_NOT_FOUND', 'run r1 not found', 404, { runId: 'r1' }]);
    expect(new BatonError(ErrorCode.INTERNAL, 'x', { httpStatus: 599 }).httpStatus).toBe(599);
  });

  it('gives every code an HTTP status', () => {
    for (const code of Object.values(ErrorCode)) expect(ERROR_HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(ERROR_HTTP_STATUS.WORKFLOW_VERSION_EXISTS).toBe(409);
    expect(ERROR_HTTP_STATUS.VALIDATION_ERROR).toBe(400);
    expect(ERROR_HTTP_STATUS.ENGINE_UNAVAILABLE).toBe(503);
  });

  it('formats the SPEC-api body, details beside code and message (which details cannot override)', () => {
    const err = validationError('bad input', [{ path: 'input.a', message: 'required', code: 'required' }]);
    expect(toErrorBody(err)).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'bad input', issues: [{ path: 'input.a', message: 'required', code: 'required' }] },
    });
    const sneaky = new BatonError(ErrorCode.RUN_NOT_FAILED, 'm', { details: { code: 'OTHER', message: 'other' } });
    expect(toErrorBody(sneaky).error).toMatchObject({ code: 'RUN_NOT_FAILED', message: 'm' });
  });

  it('turns anything else into INTERNAL without leaking its message', () => {
    expect(toErrorBody(new Error('password=hunter2'))).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
    expect(httpStatusOf('nope')).toBe(500);
  });

  it('recognises a BatonError from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { code: 'RUN_NOT_FOUND', httpStatus: 404, details: {}, [Symbol.for('@baton/runtime-core/BatonError')]: true });
    expect(isBatonError(foreign, 'RUN_NOT_FOUND')).toBe(true);
    expect(toErrorBody(foreign).error.code).toBe('RUN_NOT_FOUND');
    expect(isBatonError(Object.assign(new Error('x'), { code: 'RUN_NOT_FOUND' }))).toBe(false);
  });
});
