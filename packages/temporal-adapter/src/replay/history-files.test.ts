import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HISTORIES_DIR } from '../__fixtures__/record-histories.js';
import { listHistoryFiles, readHistoryFile, writeHistoryFile } from './history-files.js';
import { HistoryFormatError, historyFromJson } from './history-json.js';

describe('history files', () => {
  it('reads a recorded history and writes it back byte for byte', async () => {
    const [file] = await listHistoryFiles([HISTORIES_DIR]);
    const read = await readHistoryFile(file!);
    expect(read.workflowId).toBe(path.basename(file!, '.json'));
    expect(read.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name).toBe('batonRun');
    const copy = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'baton-history-')), 'copy.json');
    await writeHistoryFile(copy, read.history);
    expect(await fs.readFile(copy, 'utf8')).toBe(await fs.readFile(file!, 'utf8'));
  });

  it('accepts the PascalCase enum names older tools print', () => {
    const history = historyFromJson({
      events: [
        {
          eventId: '1',
          eventTime: '2026-01-01T00:00:00Z',
          eventType: 'WorkflowExecutionStarted',
          workflowExecutionStartedEventAttributes: { workflowType: { name: 'batonRun' }, taskQueue: { name: 'q', kind: 'Normal' } },
        },
      ],
    });
    expect(Number(history.events?.[0]?.eventType)).toBe(1);
  });

  it('refuses a file that is not a history with a typed error', () => {
    expect(() => historyFromJson({ runs: [] })).toThrow(HistoryFormatError);
    expect(() => historyFromJson({ events: [{ eventId: 'x', eventType: 42 }] })).toThrow(HistoryFormatError);
  });
});
