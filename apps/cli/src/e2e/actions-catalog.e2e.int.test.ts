// End to end: the worker's action modules reach the live catalog, `baton actions` prints it, and
// `baton validate --url` checks definitions against it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, startE2eStack, type E2eStack } from './__fixtures__/e2e-stack.js';

let stack: E2eStack;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-actions-e2e-'));

beforeAll(async () => {
  stack = await startE2eStack();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('baton actions', () => {
  it('prints the built-ins and the example module’s actions with the live workers of each engine', async () => {
    const { code, stdout } = await stack.cli(['actions']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^shop\.summarize-order@1 +db: 1 worker, temporal: 1 worker +Counts the units and distinct SKUs of an order$/m);
    expect(stdout).toMatch(/^core\.echo@1 +db: 1 worker, temporal: 1 worker /m);

    const json = await stack.cli(['actions', '--json']);
    expect(json.code).toBe(0);
    const items = (JSON.parse(json.stdout) as { items: { action: string; inputSchema: { required?: string[] } }[] }).items;
    expect(items.find((i) => i.action === 'shop.summarize-order')?.inputSchema.required).toEqual(['orderId', 'lines']);
  });
});

describe('baton validate --url', () => {
  it('accepts a definition calling a live worker’s action and refuses one calling an action nobody provides', async () => {
    const ok = await stack.cli(['validate', '--url', stack.apiUrl, path.join(EXAMPLES_DIR, 'order-fulfilment')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^✓ .*shop\.order-fulfilment@1\.0\.0/m);

    const file = path.join(tmp, 'unknown.workflow.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        name: 'e2e.unknown-action',
        version: '1.0.0',
        steps: [
          { id: 'summary', type: 'action.call', action: 'shop.summarize-order', actionVersion: 1, input: { orderId: 'o-1', lines: [] } },
          { id: 'invoice', type: 'action.call', action: 'billing.create-invoice', actionVersion: 1 },
        ],
      }),
    );
    const bad = await stack.cli(['validate', '--url', stack.apiUrl, file]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('steps[1].action: action billing.create-invoice@1 is not registered [UNKNOWN_ACTION]');
    expect(bad.stdout).toMatch(/steps\[0\]\.input\.lines: input of shop\.summarize-order@1: .* \[INVALID_ACTION_INPUT\]/);
  });
});
