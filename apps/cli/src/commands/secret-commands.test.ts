// `baton secrets set|list|delete` against a recording HTTP server (the API contract is tested in the ingress).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { createProgram } from '../program.js';
import type { ExitCode } from './cli-io.js';

const requests: { method: string; url: string; body: string; auth: string | undefined }[] = [];
let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'PUT') res.end(JSON.stringify({ name: 'api-token', created: true }));
      else if (req.method === 'GET') res.end(JSON.stringify({ items: [{ name: 'api-token', updatedAt: '2026-12-03T10:00:00.000Z' }] }));
      else res.writeHead(404).end(JSON.stringify({ error: { code: 'SECRET_NOT_FOUND', message: 'no secret named "gone"' } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'baton-cli-secret-'));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: ExitCode | undefined; stdout: string; stderr: string }> {
  const io = captureIo();
  let code: ExitCode | undefined;
  try {
    await createProgram(io, (c) => (code = c)).parseAsync(['node', 'baton', ...args, '--url', url, '--key', 'k-1']);
  } catch {
    // exitOverride throws after recording the exit code
  }
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

describe('baton secrets', () => {
  it('set reads the value from --value-file (one trailing newline dropped) and PUTs it; the output never shows it', async () => {
    writeFileSync(join(dir, 'token'), 'tok-123-secret\n');
    const set = await run('secrets', 'set', 'api-token', '--value-file', join(dir, 'token'));
    expect(set.code).toBe(0);
    expect(requests.at(-1)).toEqual({ method: 'PUT', url: '/v1/secrets/api-token', body: '{"value":"tok-123-secret"}', auth: 'Bearer k-1' });
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
    expect(requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/v1/secrets/gone' });
  });
});
