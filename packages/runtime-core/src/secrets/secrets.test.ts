import type { JsonValue } from '@baton/event-schemas';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ActionFailure, defineAction } from '../actions/action-definition.js';
import { ActionRegistry } from '../actions/action-registry.js';
import { executeAction } from '../actions/execute-action.js';
import { validateDefinition } from '../definition-validation/validate-definition.js';
import { start, command as commandOf, flow, feed, at } from '../interpreter/__fixtures__/drive.js';
import type { RunActionCommand } from '../interpreter/protocol.js';
import { createStaticSecretStore, parseSecretsFile, SecretsFileError } from './file-secret-store.js';
import { chainSecretStores } from './secret-store.js';

const TOKEN = 'tok-5f9c2e-very-secret';
const store = createStaticSecretStore({ acme: { 'api-token': TOKEN, other: 'x-other-value' }, beta: { 'beta-only': 'b' } });

const seen: unknown[] = [];
const call = defineAction({
  id: 'test.call',
  version: 1,
  input: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), mode: z.string().optional() }),
  output: z.object({ ok: z.boolean() }),
  handler: (input, ctx) => {
    seen.push(input);
    ctx.logger?.log('info', `calling with ${input.headers.authorization}`, { header: input.headers.authorization ?? null });
    if (input.mode === 'throw') throw new Error(`request refused: header "${input.headers.authorization}" is invalid`);
    if (input.mode === 'typed') throw new ActionFailure(`bad ${input.headers.authorization}`, { code: 'BAD', details: { sent: input.headers.authorization ?? null } });
    return { ok: true };
  },
});
const registry = new ActionRegistry([call]);

const definition = (input: unknown) => flow([{ id: 'call', type: 'action.call', action: 'test.call', actionVersion: 1, input: input as JsonValue, saveAs: 'vars.out' }]);

async function commandFor(input: unknown, runInput: JsonValue = {}): Promise<RunActionCommand> {
  return commandOf(await start(definition(input), runInput), 'RunAction');
}

describe('{"$secret": name} in an action input', () => {
  it('the interpreter keeps the reference in the command (and state) and says where the literal references are', async () => {
    const started = await start(definition({ url: 'https://x', headers: { authorization: { $secret: 'api-token' } } }), {});
    const cmd = commandOf(started, 'RunAction');
    expect(cmd.input).toEqual({ url: 'https://x', headers: { authorization: { $secret: 'api-token' } } });
    expect(cmd.secrets).toEqual([{ path: ['headers', 'authorization'], name: 'api-token' }]);
    expect(JSON.stringify(started.state)).not.toContain(TOKEN);
    // A definition without references has no `secrets` field at all.
    expect(await commandFor({ url: 'u', headers: {} })).not.toHaveProperty('secrets');
  });

  it('the action receives the value; the tenant decides which secrets exist', async () => {
    seen.length = 0;
    const cmd = await commandFor({ url: 'https://x', headers: { authorization: { $secret: 'api-token' } } });
    expect(await executeAction(registry, cmd, { runId: 'run-1', tenant: 'acme', secrets: store })).toEqual({ ok: true, output: { ok: true } });
    expect(seen).toEqual([{ url: 'https://x', headers: { authorization: TOKEN } }]);
    // The command itself is not changed: what an engine records keeps the reference.
    expect(cmd.input).toEqual({ url: 'https://x', headers: { authorization: { $secret: 'api-token' } } });
    // Another tenant's secret of that name does not exist for this one.
    const beta = await executeAction(registry, cmd, { runId: 'run-1', tenant: 'beta', secrets: store });
    expect(beta).toMatchObject({ ok: false, error: { category: 'ActionError', code: 'UNKNOWN_SECRET', details: { secret: 'api-token' } } });
    // No store configured: every reference is unknown.
    expect(await executeAction(registry, cmd, { runId: 'run-1', tenant: 'acme' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SECRET' } });
  });

  it('a $secret-shaped value an expression produced (event data) is not resolved', async () => {
    seen.length = 0;
    const cmd = await commandFor({ url: 'https://x', headers: { $expr: 'input.headers' } }, { headers: { authorization: { $secret: 'api-token' } } });
    expect(cmd).not.toHaveProperty('secrets');
    const result = await executeAction(registry, cmd, { runId: 'run-1', tenant: 'acme', secrets: store });
    // The reference reached the action as data, so its schema refused it; the value never left the store.
    expect(result).toMatchObject({ ok: false, error: { code: 'ACTION_INPUT_INVALID' } });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('error messages, error details and action log lines never carry a value', async () => {
    for (const mode of ['throw', 'typed']) {
      const lines: unknown[] = [];
      const cmd = await commandFor({ url: 'https://x', mode, headers: { authorization: { $secret: 'api-token' }, other: { $secret: 'other' } } });
      const result = await executeAction(registry, cmd, { runId: 'run-1', tenant: 'acme', secrets: store, logger: { log: (...args) => lines.push(args) } });
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(TOKEN);
      expect(JSON.stringify(result)).toContain('[REDACTED]');
      expect(JSON.stringify(lines)).not.toContain(TOKEN);
      expect(lines).toEqual([['info', 'calling with [REDACTED]', { header: '[REDACTED]' }]]);
    }
    // The input schema's error too (a value where the schema wants another type).
    const strict = new ActionRegistry([defineAction({ id: 'test.call', version: 1, input: z.object({ n: z.literal('expected') }), output: z.any(), handler: () => null })]);
    const wrong = await executeAction(strict, await commandFor({ n: { $secret: 'api-token' } }), { runId: 'run-1', tenant: 'acme', secrets: store });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'ACTION_INPUT_INVALID' } });
    expect(JSON.stringify(wrong)).not.toContain(TOKEN);
  });

  it('the run fails UNKNOWN_SECRET at that step when the tenant lacks the secret at run time', async () => {
    const def = definition({ url: 'u', headers: { authorization: { $secret: 'gone' } } });
    const started = await start(def, {});
    const cmd = commandOf(started, 'RunAction');
    const result = await executeAction(registry, cmd, { runId: 'run-1', tenant: 'acme', secrets: store });
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SECRET', message: 'input.headers.authorization names the secret "gone", which this tenant does not have' } });
    const failed = await feed(def, started, { type: 'ActionFailed', now: at(1), commandId: cmd.commandId, error: (result as Extract<typeof result, { ok: false }>).error });
    expect(failed.commands).toEqual([expect.objectContaining({ type: 'Fail', error: expect.objectContaining({ code: 'UNKNOWN_SECRET', stepId: 'call' }) })]);
  });
});

describe('publishing checks secret references', () => {
  const doc = (input: unknown) => ({ name: 'w', version: '1.0.0', steps: [{ id: 'a', type: 'action.call', action: 'test.call', actionVersion: 1, input }] });

  it('a name the tenant lacks is UNKNOWN_SECRET at the reference', () => {
    const result = validateDefinition(doc({ headers: { authorization: { $secret: 'missing' }, ok: { $secret: 'api-token' } } }), { secrets: new Set(['api-token']) });
    expect(result).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: 'UNKNOWN_SECRET', path: 'steps[0].input.headers.authorization.$secret', message: expect.stringContaining('"missing"') })],
    });
    expect(validateDefinition(doc({ h: { $secret: 'api-token' } }), { secrets: new Set(['api-token']) }).ok).toBe(true);
  });

  it('a malformed reference is an issue even without the tenant\'s names', () => {
    const result = validateDefinition(doc({ a: { $secret: 5 }, b: { $secret: 'x', extra: 1 } }));
    expect(result.ok ? [] : result.issues.map((i) => [i.code, i.path])).toEqual([
      ['INVALID_WORKFLOW_DEFINITION', 'steps[0].input.a.$secret'],
      ['INVALID_WORKFLOW_DEFINITION', 'steps[0].input.b.$secret'],
    ]);
  });
});

describe('secret stores', () => {
  it('a secrets file is {tenant: {name: value}}; a bad one is an error that never quotes a value', () => {
    expect(parseSecretsFile('{"acme":{"a":"1"}}')).toEqual({ acme: { a: '1' } });
    const bad = (text: string) => {
      try {
        parseSecretsFile(text);
      } catch (error) {
        expect(error).toBeInstanceOf(SecretsFileError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('{"acme":{"a":"hunter2-secret"')).not.toContain('hunter2');
    expect(bad('{"acme":{"a":42}}')).toBe('the secrets file: acme.a: expected {"<tenant>": {"<name>": "<string value>"}}');
    expect(bad('{"acme":{"a b":"v"}}')).toContain('a secret name is');
  });

  it('a chain answers from the first store that has the name', async () => {
    const chained = chainSecretStores([createStaticSecretStore({ acme: { a: 'file' } }), createStaticSecretStore({ acme: { a: 'table', b: 'table-b' } })]);
    expect(await chained.get('acme', 'a')).toBe('file');
    expect(await chained.get('acme', 'b')).toBe('table-b');
    expect(await chained.has('acme', 'c')).toBe(false);
  });
});
