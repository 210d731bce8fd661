import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cachedBatonBundle } from '../__fixtures__/cached-bundle.js';
import { HISTORIES_DIR, LOCAL_ACTIVITY_HISTORIES_DIR } from '../__fixtures__/record-histories.js';
import { batonWorkflowsPath } from '../worker/workflow-bundle.js';
import { listHistoryFiles, readHistoryFiles } from './history-files.js';
import { interpreterOfHistory } from './history-interpreter.js';
import { replayHistories, type ReplayProgress } from './replay-histories.js';

const changedWorkflow = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../__fixtures__/changed-workflow/index.ts');

describe('replayHistories over the recorded conformance histories', () => {
  it('the current workflow code replays every recorded history without a determinism error', async () => {
    const files = await listHistoryFiles([HISTORIES_DIR]);
    expect(files.length).toBeGreaterThanOrEqual(67);
    const histories = await readHistoryFiles([HISTORIES_DIR]);
    const progress: ReplayProgress[] = [];
    const result = await replayHistories(histories, { workflowBundle: await cachedBatonBundle(), onProgress: (p) => progress.push(p) });
    expect(result.error).toBeUndefined();
    expect(result.results.filter((r) => r.error)).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.results).toHaveLength(files.length);
    expect(progress.at(-1)).toMatchObject({ done: files.length, total: files.length });
    expect(result.results[0]?.file).toBe(files[0]);
  });

  it('a changed workflow bundle fails replay with a determinism error', async () => {
    const histories = (await readHistoryFiles([HISTORIES_DIR])).filter((h) => /^(action-echo-save-as|event-wait-receives-event|call-workflow-output|continue-as-new-counter)\.json$/.test(path.basename(h.file)));
    expect(histories).toHaveLength(4);
    const result = await replayHistories(histories, { workflowBundle: await cachedBatonBundle(changedWorkflow) });
    expect(result.error).toBeUndefined();
    expect(result.failed).toBe(4);
    for (const outcome of result.results) {
      expect(outcome.error).toMatchObject({ nondeterministic: true, name: 'DeterminismViolationError' });
    }
  });
});

describe('replayHistories over histories recorded by localActivity workers', () => {
  // la-echo: answers packed (advance-codec.ts); echo10-state-patch-answers: answers recorded before packing (state patches).
  it('the localActivity bundle replays them, with either answer format; the workflow bundle fails them as non-deterministic', async () => {
    const histories = await readHistoryFiles([LOCAL_ACTIVITY_HISTORIES_DIR]);
    expect(histories.map((h) => path.basename(h.file))).toEqual(['echo10-state-patch-answers.json', 'la-echo.json']);
    const replayed = await replayHistories(histories, { workflowBundle: await cachedBatonBundle(batonWorkflowsPath('localActivity')) });
    expect(replayed.error).toBeUndefined();
    expect(replayed.results.filter((r) => r.error)).toEqual([]);
    const wrong = await replayHistories(histories, { workflowBundle: await cachedBatonBundle() });
    expect(wrong.error).toBeUndefined();
    expect(wrong.results.map((r) => r.error?.nondeterministic)).toEqual([true, true]);
  });

  it('interpreterOfHistory tells them from the workflow-mode histories', async () => {
    for (const { history } of await readHistoryFiles([LOCAL_ACTIVITY_HISTORIES_DIR])) expect(interpreterOfHistory(history)).toBe('localActivity');
    const modes = new Set((await readHistoryFiles([HISTORIES_DIR])).map(({ history }) => interpreterOfHistory(history)));
    expect([...modes]).toEqual(['workflow']);
  });
});
