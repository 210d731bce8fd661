import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { validateCommand } from './validate-command.js';
import { validateWithModulesCommand } from './validate-modules.js';

const examples = path.resolve(import.meta.dirname, '../../../../examples');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-validate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('baton validate', () => {
  it('accepts every example definition with the example action module (folders expand to their *.workflow.json)', async () => {
    const io = captureIo();
    expect(await validateWithModulesCommand([examples], [path.join(examples, 'actions/shop-actions.mjs')], {}, io)).toBe(0);
    expect(io.stdout).toHaveLength(5);
    expect(io.stdout.every((line) => line.startsWith('✓ '))).toBe(true);
    expect(io.stdout.join('\n')).toMatch(/shop\.order-fulfilment@1\.0\.0/);
    expect(io.stderr).toEqual(['5 valid, 0 invalid']);
  });

  it('without the module, the example calling it is refused with UNKNOWN_ACTION at its step', () => {
    const io = captureIo();
    expect(validateCommand([path.join(examples, 'order-fulfilment')], {}, io)).toBe(1);
    expect(io.stdout).toEqual([expect.stringMatching(/order-fulfilment\.workflow\.json: steps\[0\]\.action: action shop\.summarize-order@1 is not registered \[UNKNOWN_ACTION\]$/)]);
    // and says how to make the user's own actions known
    expect(io.stderr).toEqual(['0 valid, 1 invalid', expect.stringMatching(/^hint: .*--actions <modules>.*--url/)]);
  });

  it('prints every issue of a definition with its step path and code, and exits 1', () => {
    const file = write('broken.workflow.json', {
      name: 'broken',
      version: '1.0.0',
      steps: [
        { id: 'a', type: 'action.call', action: 'nope.missing', actionVersion: 1 },
        { id: 'a', type: 'transform.assign', assign: { 'output.x': 1 } },
        { id: 'c', type: 'control.if', condition: { $expr: 'input.x >' }, then: [{ id: 'd', type: 'time.wait' }] },
      ],
    });
    const io = captureIo();
    expect(validateCommand([file], {}, io)).toBe(1);
    const lines = io.stdout.map((l) => l.replace(`${file}: `, ''));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^steps\[0\]\.action: .*\[UNKNOWN_ACTION\]$/),
        expect.stringMatching(/^steps\[1\]\.id: .*\[DUPLICATE_STEP_ID\]$/),
        expect.stringMatching(/^steps\[1\]\.assign.*\[INVALID_ASSIGN_PATH\]$/),
        expect.stringMatching(/^steps\[2\]\.condition.*\[INVALID_EXPR\]$/),
        expect.stringMatching(/^steps\[2\]\.then\[0\].*\[INVALID_WORKFLOW_DEFINITION\]$/),
      ]),
    );
    expect(io.stderr).toEqual(['0 valid, 1 invalid', expect.stringMatching(/^hint: /)]);
  });

  it('reports unreadable and non-JSON files without stopping at them', () => {
    const notJson = write('not-json.workflow.json', '{ "name": ');
    const io = captureIo();
    expect(validateCommand([notJson, path.join(tmp, 'missing.json'), path.join(examples, 'ticket-escalation')], {}, io)).toBe(1);
    expect(io.stdout[0]).toMatch(/not-json\.workflow\.json: not JSON/);
    expect(io.stdout[1]).toMatch(/missing\.json: cannot read: ENOENT/);
    expect(io.stdout[2]).toMatch(/^✓ .*support\.ticket-escalation@1\.0\.0/);
  });

  it('accepts the test actions only when asked to', () => {
    const file = write('flaky.workflow.json', { name: 'flaky', version: '1.0.0', steps: [{ id: 'f', type: 'action.call', action: 'test.flaky', actionVersion: 1, input: { failTimes: 1 } }] });
    expect(validateCommand([file], { testActions: false }, captureIo())).toBe(1);
    expect(validateCommand([file], { testActions: true }, captureIo())).toBe(0);
  });
});
