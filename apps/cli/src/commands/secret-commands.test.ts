// `baton secrets set|list|delete` against a recording HTTP server (the API contract is tested in the ingress).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startRecordingApi, type RecordingApi } from '../__fixtures__/recording-api.js';

let api: RecordingApi;
let dir: string;

beforeAll(async () => {
  api = await startRecordingApi();
  api.answers = {
    'PUT /v1/secrets/api-token': { status: 200, body: { name: 'api-token', created: true } },
    'GET /v1/secrets': { status: 200, body: { items: [{ name: 'api-token', updatedAt: '2026-12-03T10:00:00.000Z' }] } },
    'DELETE /v1/secrets/gone': { status: 404, body: { error: { code: 'SECRET_NOT_FOUND', message: 'no secret named "gone"' } } },
  };
  dir = mkdtempSync(join(tmpdir(), 'baton-cli-secret-'));
});
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCli(api.url, ...args);

describe('baton secrets', () => {
  it('set reads the value from --value-file (one trailing newline dropped) and PUTs it; the output never shows it', async () => {
    writeFileSync(join(dir, 'token'), 'tok-123-secret\n');
    const set = await run('secrets', 'set', 'api-token', '--value-file', join(dir, 'token'));
    expect(set.code).toBe(0);
    expect(api.requests.at(-1)).toEqual({ method: 'PUT', url: '/v1/secrets/api-token', body: '{"value":"tok-123-secret"}', auth: 'Bearer k-1' });
    expect(set.stdout).toBe('created secret api-token (use it as {"$secret": "api-token"} in an action input)');
    expect(set.stdout + set.stderr).not.toContain('tok-123-secret');
    writeFileSync(join(dir, 'empty'), '\n');
    const empty = await run('secrets', 'set', 'api-token', '--value-file', join(dir, 'empty'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^EMPTY_SECRET/);
  });

  it('list prints names, --json the API answer; delete reports the API error code and exits 1', async () => {
    const list = await run('secrets', 'list');
    expect(list.stdout).toMatch(/^NAME +UPDATED\napi-token +2026-12-03T10:00:00.000Z/);
    expect(JSON.parse((await run('secrets', 'list', '--json')).stdout)).toEqual({ items: [{ name: 'api-token', updatedAt: '2026-12-03T10:00:00.000Z' }] });
    const gone = await run('secrets', 'delete', 'gone');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^SECRET_NOT_FOUND: no secret named "gone"/);
    expect(api.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/v1/secrets/gone' });
  });
});
