import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { writeDevState } from '../dev/dev-state.js';
import { devCommand } from './dev-command.js';

let home: string;
let saved: string | undefined;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-dev-home-'));
  saved = process.env.BATON_HOME;
  process.env.BATON_HOME = home;
  // Another live process (the parent of this test worker) holds the checkout's baton dev.
  writeDevState(home, { pid: process.ppid, apiUrl: 'http://127.0.0.1:7555', apiKey: 'dev_key', tenant: 'dev' });
});
afterEach(() => {
  if (saved === undefined) delete process.env.BATON_HOME;
  else process.env.BATON_HOME = saved;
  fs.rmSync(home, { recursive: true, force: true });
});

describe('baton dev', () => {
  it('refuses to start a second stack in the checkout with a code on stderr (exit 1), as text or --json', async () => {
    const io = captureIo();
    expect(await devCommand({}, io)).toBe(1);
    expect(io.stdout).toEqual([]);
    expect(io.stderr).toEqual([`DEV_ALREADY_RUNNING: baton dev already runs in this checkout (pid ${process.ppid}, http://127.0.0.1:7555); stop it first`]);

    const json = captureIo();
    expect(await devCommand({ json: true }, json)).toBe(1);
    expect(json.stdout).toEqual([]);
    expect(JSON.parse(json.stderr.join('\n'))).toEqual({ error: { code: 'DEV_ALREADY_RUNNING', message: expect.stringMatching(/already runs in this checkout/) } });
  });
});
