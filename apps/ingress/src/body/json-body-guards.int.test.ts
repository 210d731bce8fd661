import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth, createIngressHarness, TENANT_A, type IngressHarness } from '../__fixtures__/ingress-harness.js';
import { waitForPayment } from '../__fixtures__/definitions.js';
import { errorOf } from '../__fixtures__/http.js';

let h: IngressHarness;
beforeAll(async () => {
  h = await createIngressHarness('json-guards');
});
afterAll(async () => h?.close());

const headers = { ...auth(TENANT_A), 'content-type': 'application/json' };
const post = (url: string, payload: string) => h.app.inject({ method: 'POST', url, headers, payload });
const nested = (levels: number, leaf = '1') => '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);

describe('bad bytes and shapes in a JSON body answer 400, never 500', () => {
  it.each([
    ['a payload value', '/v1/events', '{"eventId":"e-nul-1","eventName":"X","payload":{"note":"a\\u0000b"}}', 'payload.note'],
    ['a payload key', '/v1/events', '{"eventId":"e-nul-2","eventName":"X","payload":{"k\\u0000":1}}', 'payload["k\\u0000"]'],
    ['an array item', '/v1/events', '{"eventId":"e-nul-3","eventName":"X","payload":{"list":["ok","\\u0000"]}}', 'payload.list[1]'],
    ['the event id', '/v1/events', '{"eventId":"e\\u0000","eventName":"X","payload":{}}', 'eventId'],
    ['a run input', '/v1/runs', '{"workflow":"billing.wait-payment","input":{"invoiceId":"\\u0000"}}', 'input.invoiceId'],
    ['a definition', '/v1/workflows', JSON.stringify(waitForPayment('nul.wf')).replace('"1.0.0"', '"1.0.0","description":"x\\u0000"'), 'description'],
    ['a task response', '/v1/tasks/t-1/complete', '{"response":{"why":"\\u0000"}}', 'response.why'],
    ['a cancel reason', '/v1/runs/r-1/cancel', '{"reason":"\\u0000"}', 'reason'],
  ])('a NUL character in %s is 400 INVALID_JSON with its path', async (_where, url, payload, path) => {
    const res = await post(url, payload);
    expect(res.statusCode).toBe(400);
    const error = errorOf(res);
    expect(error).toMatchObject({ code: 'INVALID_JSON', path, issues: [{ path, code: 'nul_character', message: expect.any(String) }] });
    expect(error.message).toContain(path);
  });

  it('a body nested 3,000 levels is 400 JSON_TOO_DEEP, on every route with a body', async () => {
    for (const url of ['/v1/events', '/v1/runs', '/v1/workflows', '/v1/tasks/t/complete', '/v1/runs/r/cancel']) {
      const res = await post(url, nested(3_000));
      expect(res.statusCode, url).toBe(400);
      expect(errorOf(res), url).toMatchObject({ code: 'JSON_TOO_DEEP', maxDepth: 64 });
    }
  });

  it('the limit is 64 levels: 64 pass the guard (and meet the schema), 65 do not', async () => {
    const event = (depth: number) => `{"eventId":"deep-${depth}","eventName":"DEEP","payload":${nested(depth - 1)}}`;
    const ok = await post('/v1/events', event(64));
    expect(ok.statusCode).toBe(202);
    const refused = await post('/v1/events', event(65));
    expect(refused.statusCode).toBe(400);
    expect(errorOf(refused).code).toBe('JSON_TOO_DEEP');
  });

  it('brackets inside strings do not count as nesting', async () => {
    const res = await post('/v1/events', JSON.stringify({ eventId: 'brackets', eventName: 'X', payload: { text: '[{'.repeat(500) + '\\"[' } }));
    expect(res.statusCode).toBe(202);
  });

  it('a NUL in the query string or a path parameter is 400 VALIDATION_ERROR with its path', async () => {
    const query = await h.app.inject({ method: 'GET', url: '/v1/runs?workflow=a%00b', headers: auth(TENANT_A) });
    expect(query.statusCode).toBe(400);
    expect(errorOf(query)).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: 'query.workflow', code: 'nul_character' }] });
    for (const url of ['/v1/runs/r%00', '/v1/runs/r%00/steps', '/v1/tasks?runId=%00']) {
      const res = await h.app.inject({ method: 'GET', url, headers: auth(TENANT_A) });
      expect(res.statusCode, url).toBe(400);
      expect(errorOf(res).code, url).toBe('VALIDATION_ERROR');
    }
    const cancel = await h.app.inject({ method: 'POST', url: '/v1/runs/r%00/cancel', headers, payload: '{"reason":"x"}' });
    expect(cancel.statusCode).toBe(400);
  });

  it('non-JSON bodies stay 400/415 in the error form', async () => {
    for (const payload of ['not json', '\u0000', '{"a":1}garbage', '[']) {
      const res = await post('/v1/events', payload);
      expect(res.statusCode, payload).toBe(400);
      expect(errorOf(res).code).toBe('VALIDATION_ERROR');
    }
    const xml = await h.app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth(TENANT_A), 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(xml.statusCode).toBe(415);
    const text = await h.app.inject({ method: 'POST', url: '/v1/events', headers: { ...auth(TENANT_A), 'content-type': 'text/plain' }, payload: 'x\u0000' });
    expect(text.statusCode).toBe(400);
    expect(errorOf(text).code).toBe('VALIDATION_ERROR');
  });
});
