import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromBody } from './api-error.js';

describe('apiErrorFromBody', () => {
  it('reads the SPEC error form: code, message, and every other field as details (hint, issues)', () => {
    const body = { error: { code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', message: 'no retry', hint: 'cancel and start again', issues: [{ path: 'steps.0', message: 'bad', code: 'X' }] } };
    const error = apiErrorFromBody(409, 'Conflict', body);
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message, error.hint]).toEqual([409, 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', 'no retry', 'cancel and start again']);
    expect(error.issues).toEqual([{ path: 'steps.0', message: 'bad', code: 'X' }]);
  });

  it('gives HTTP_<status> for a body that is not the error form, with the text when there is one', () => {
    expect([apiErrorFromBody(502, 'Bad Gateway', '<html>proxy</html>').code, apiErrorFromBody(502, 'Bad Gateway', '<html>proxy</html>').message]).toEqual(['HTTP_502', '<html>proxy</html>']);
    expect(apiErrorFromBody(500, '', undefined).message).toBe('HTTP 500');
    expect(apiErrorFromBody(400, 'Bad Request', { error: { message: 'no code' } }).code).toBe('HTTP_400');
    expect(apiErrorFromBody(404, 'Not Found', { error: { code: 'RUN_NOT_FOUND' } }).message).toBe('RUN_NOT_FOUND');
  });

  it('has no hint or issues when the body carries none', () => {
    const error = apiErrorFromBody(401, 'Unauthorized', { error: { code: 'UNAUTHORIZED', message: 'no key', issues: 'not a list' } });
    expect([error.hint, error.issues]).toEqual([undefined, []]);
  });
});
