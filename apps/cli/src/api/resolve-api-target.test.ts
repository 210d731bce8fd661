import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDevState } from '../dev/dev-state.js';
import { resolveApiTarget } from './resolve-api-target.js';

let home: string;
let saved: string | undefined;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-home-'));
  saved = process.env.BATON_HOME;
  process.env.BATON_HOME = home;
});
afterEach(() => {
  if (saved === undefined) delete process.env.BATON_HOME;
  else process.env.BATON_HOME = saved;
  fs.rmSync(home, { recursive: true, force: true });
});

describe('resolveApiTarget', () => {
  it('defaults to the ingress port on loopback without a key', () => {
    expect(resolveApiTarget({}, {})).toEqual({ url: 'http://127.0.0.1:7300' });
    expect(resolveApiTarget({}, { BATON_INGRESS_PORT: '7400' })).toEqual({ url: 'http://127.0.0.1:7400' });
  });

  it('finds a running baton dev of the checkout, but not a dead one', () => {
    writeDevState(home, { pid: process.pid, apiUrl: 'http://127.0.0.1:7555', apiKey: 'dev_key', tenant: 'dev' });
    expect(resolveApiTarget({}, {})).toEqual({ url: 'http://127.0.0.1:7555', key: 'dev_key' });
    writeDevState(home, { pid: 2 ** 22 + 12345, apiUrl: 'http://127.0.0.1:7555', apiKey: 'dev_key', tenant: 'dev' });
    expect(resolveApiTarget({}, {})).toEqual({ url: 'http://127.0.0.1:7300' });
  });

  it('prefers flags over the environment over baton dev', () => {
    writeDevState(home, { pid: process.pid, apiUrl: 'http://127.0.0.1:7555', apiKey: 'dev_key', tenant: 'dev' });
    const env = { BATON_URL: 'http://env:1', BATON_API_KEY: 'env_key' };
    expect(resolveApiTarget({}, env)).toEqual({ url: 'http://env:1', key: 'env_key' });
    expect(resolveApiTarget({ url: 'http://flag:2', key: 'flag_key' }, env)).toEqual({ url: 'http://flag:2', key: 'flag_key' });
  });
});
