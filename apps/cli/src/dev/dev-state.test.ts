import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDevSecretsKey } from './dev-state.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-dev-state-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the dev secrets key', () => {
  it('is 32 random bytes in base64, readable only by the user, and the same on the next baton dev', () => {
    const key = ensureDevSecretsKey(dir);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(fs.statSync(path.join(dir, 'dev-secrets-key')).mode & 0o777).toBe(0o600);
    expect(ensureDevSecretsKey(dir)).toBe(key);
    // A damaged file is replaced by a new key rather than breaking the start.
    fs.writeFileSync(path.join(dir, 'dev-secrets-key'), 'short');
    expect(ensureDevSecretsKey(dir)).not.toBe(key);
  });
});
