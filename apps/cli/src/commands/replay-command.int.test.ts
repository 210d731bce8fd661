import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIo } from '../__fixtures__/capture-io.js';
import { replayCommand } from './replay-command.js';

const histories = path.resolve(import.meta.dirname, '../../../../packages/temporal-adapter/histories');
/** Histories recorded by `localActivity` workers (one with packed answers, one with state patches). */
const localActivityHistories = path.resolve(import.meta.dirname, '../../../../packages/temporal-adapter/histories-local-activity');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-replay-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('baton replay', () => {
  it('replays recorded histories, reports non-determinism per file and exits 1', async () => {
    const recorded = fs.readdirSync(histories).filter((f) => f.endsWith('.json')).sort();
    expect(recorded.length).toBeGreaterThan(0);
    const good = recorded[0]!;
    fs.copyFileSync(path.join(histories, good), path.join(tmp, good));
    // A history whose recorded activity type differs from what the workflow code schedules.
    const text = fs.readFileSync(path.join(histories, good), 'utf8');
    expect(text).toMatch(/"name": "batonRunAction"/);
    fs.writeFileSync(path.join(tmp, 'zz-changed.json'), text.replace(/"name": "batonRunAction"/, '"name": "renamedActivity"'));

    const io = captureIo();
    expect(await replayCommand([tmp], {}, io)).toBe(1);
    const out = io.stdout.join('\n');
    expect(out).toMatch(/^NON-DETERMINISTIC {2}.*zz-changed\.json \(workflow bundle\): DeterminismViolationError/m);
    expect(out).toMatch(/replayed 2 of 2 histories \(2 on the workflow bundle\): 1 ok, 1 non-deterministic, 0 other failures/);

    const json = captureIo();
    expect(await replayCommand([tmp], { json: true }, json)).toBe(1);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({
      total: 2,
      passed: 1,
      nondeterministic: 1,
      otherFailures: 0,
      interpreters: { workflow: 2 },
      failures: [{ file: expect.stringMatching(/zz-changed\.json$/), interpreter: 'workflow', nondeterministic: true, name: 'DeterminismViolationError' }],
    });
    expect(JSON.parse(json.stderr.at(-1)!)).toMatchObject({ error: { code: 'NON_DETERMINISM' } });
  }, 120_000);

  it('exits 0 when every recorded history replays', async () => {
    const io = captureIo();
    expect(await replayCommand([histories], {}, io)).toBe(0);
    expect(io.stdout.at(-1)).toMatch(/: (\d+) ok, 0 non-deterministic, 0 other failures$/);
  }, 120_000);

  it('replays histories of localActivity workers on the localActivity bundle (auto), and fails them on the wrong bundle', async () => {
    const mixed = fs.mkdtempSync(path.join(tmp, 'mixed-'));
    const recorded = fs.readdirSync(localActivityHistories).filter((f) => f.endsWith('.json')).sort();
    expect(recorded).toEqual(['echo10-state-patch-answers.json', 'la-echo.json']);
    for (const file of recorded) fs.copyFileSync(path.join(localActivityHistories, file), path.join(mixed, file));
    fs.copyFileSync(path.join(histories, 'action-echo-save-as.json'), path.join(mixed, 'action-echo-save-as.json'));

    const auto = captureIo();
    expect(await replayCommand([mixed], {}, auto)).toBe(0);
    expect(auto.stdout.at(-1)).toBe('replayed 3 of 3 histories (1 on the workflow bundle, 2 on the localActivity bundle): 3 ok, 0 non-deterministic, 0 other failures');

    // The workflow bundle schedules its action where a localActivity history recorded the advance marker.
    const wrong = captureIo();
    expect(await replayCommand([path.join(mixed, 'la-echo.json')], { interpreter: 'workflow', json: true }, wrong)).toBe(1);
    expect(JSON.parse(wrong.stdout.join('\n'))).toMatchObject({
      total: 1,
      nondeterministic: 1,
      interpreters: { workflow: 1 },
      failures: [{ file: expect.stringMatching(/la-echo\.json$/), interpreter: 'workflow', nondeterministic: true, name: 'DeterminismViolationError' }],
    });
    // And the other way round: the localActivity bundle asks for an advance marker a workflow-mode history never recorded.
    const other = captureIo();
    expect(await replayCommand([path.join(mixed, 'action-echo-save-as.json')], { interpreter: 'localActivity' }, other)).toBe(1);
    expect(other.stdout.join('\n')).toMatch(/^NON-DETERMINISTIC {2}.*action-echo-save-as\.json \(localActivity bundle\): DeterminismViolationError/m);

    const forced = captureIo();
    expect(await replayCommand([mixed], { interpreter: 'localActivity' }, forced)).toBe(1);
    expect(forced.stdout.at(-1)).toMatch(/\(3 on the localActivity bundle\): 2 ok, 1 non-deterministic/);
  }, 180_000);

  it('exits 1 when there is nothing to replay', async () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    const io = captureIo();
    expect(await replayCommand([empty], {}, io)).toBe(1);
    expect(io.stderr).toEqual(['NO_HISTORIES: no history files (*.json) found']);
  });
});
