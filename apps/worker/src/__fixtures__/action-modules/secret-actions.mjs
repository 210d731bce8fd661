// Test action module: `test.use-secret@1` receives secret values, proves it did (a SHA-256 of
// each), logs them and, when asked, fails with an error quoting one: the runtime must redact both.
import { createHash } from 'node:crypto';
import { defineAction } from '@baton/runtime-core';
import { z } from 'zod';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

export const useSecret = defineAction({
  id: 'test.use-secret',
  version: 1,
  description: 'Uses two secrets (test)',
  input: z.object({ token: z.string(), fileToken: z.string(), fail: z.boolean().default(false) }),
  output: z.object({ tokenSha256: z.string(), fileTokenSha256: z.string() }),
  handler: (input, ctx) => {
    ctx.logger?.log('info', `calling the API with ${input.token}`, { fileToken: input.fileToken });
    if (input.fail) throw new Error(`the API refused the token ${input.token} (and ${input.fileToken})`);
    return { tokenSha256: sha256(input.token), fileTokenSha256: sha256(input.fileToken) };
  },
});
