import { describe, expect, it } from 'vitest';
import { createActionRegistry } from '../actions/builtin/builtin-actions.js';
import { definitionHash } from '../definition-validation/validate-definition.js';
import { isBatonError, toErrorBody } from '../errors/baton-error.js';
import { createInMemoryStores } from '../ports/in-memory/create-in-memory-stores.js';
import { createRuntime } from './create-runtime.js';

const valid = {
  name: 'billing.invoice',
  version: '1.0.0',
  steps: [{ id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input' } }],
};

describe('publishDefinition with the default validator (validateDefinition)', () => {
  it('publishes with the canonical content hash', async () => {
    const runtime = createRuntime({ engines: {}, ...createInMemoryStores(), actions: createActionRegistry() });
    const published = await runtime.publishDefinition('acme', valid);
    expect(published).toEqual({ name: 'billing.invoice', version: '1.0.0', hash: definitionHash(valid as never), created: true });
    // key order does not change the content: the same version again is a no-op
    const reordered = { steps: valid.steps, version: '1.0.0', name: 'billing.invoice' };
    expect((await runtime.publishDefinition('acme', reordered)).created).toBe(false);
  });

  it('reports every issue with its step path, including actions missing from the registry', async () => {
    const runtime = createRuntime({ engines: {}, ...createInMemoryStores(), actions: createActionRegistry() });
    const bad = {
      ...valid,
      steps: [
        { id: 'a', type: 'action.call', action: 'no.such', actionVersion: 1 },
        { id: 'a', type: 'transform.assign', assign: { 'input.x': 1 } },
      ],
    };
    let thrown: unknown;
    try {
      await runtime.publishDefinition('acme', bad);
    } catch (err) {
      thrown = err;
    }
    expect(isBatonError(thrown, 'INVALID_WORKFLOW_DEFINITION')).toBe(true);
    const codes = (toErrorBody(thrown).error.issues as { code: string; path: string }[]).map((i) => i.code).sort();
    expect(codes).toEqual(['DUPLICATE_STEP_ID', 'INVALID_ASSIGN_PATH', 'UNKNOWN_ACTION']);
  });
});
