import type { StepRecord } from '@baton/event-schemas';
import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table.js';
import { formatRunHeadline, formatStepLine, sortSteps } from './step-timeline.js';

const base: StepRecord = {
  key: 'reserve@0.1',
  stepId: 'reserve',
  stepType: 'action.call',
  path: 'reserve-lines[1]/reserve-line/reserve',
  iteration: '0.1',
  generation: 0,
  seq: 4,
  status: 'SUCCEEDED',
  attempt: 1,
  startedAt: '2026-01-01T00:00:00.250Z',
  completedAt: '2026-01-01T00:00:00.262Z',
};

describe('step timeline', () => {
  it('shows offset from the run start, status, path, type and duration', () => {
    const line = formatStepLine(base, '2026-01-01T00:00:00.000Z');
    expect(line).toMatch(/^ +\+0\.250s ✓ reserve-lines\[1\]\/reserve-line\/reserve +action\.call +SUCCEEDED +12 ms$/);
  });

  it('shows retries, later generations, open steps and errors', () => {
    const line = formatStepLine(
      { ...base, status: 'RUNNING', attempt: 2, generation: 3, completedAt: undefined, error: { category: 'TransientError', code: 'HTTP_ERROR', message: 'answered 503', stepId: 'reserve' } } as StepRecord,
      '2026-01-01T00:00:00.000Z',
    );
    expect(line).toMatch(/… .*RUNNING +attempt 2 +gen 3 +TransientError\/HTTP_ERROR: answered 503$/);
    expect(line).not.toMatch(/ ms/);
  });

  it('orders records by generation, then first start', () => {
    const steps = [
      { ...base, key: 'b', generation: 1, seq: 0 },
      { ...base, key: 'c', generation: 0, seq: 2 },
      { ...base, key: 'a', generation: 0, seq: 1 },
    ];
    expect(sortSteps(steps).map((s) => s.key)).toEqual(['a', 'c', 'b']);
  });

  it('formats a run headline and aligned tables', () => {
    expect(formatRunHeadline({ runId: 'r1', workflow: 'w', version: '1.0.0', engine: 'db', status: 'WAITING' })).toBe('run r1  w@1.0.0  engine=db  WAITING');
    expect(formatTable(['A', 'LONGER'], [['xx', '1'], ['y', '22']])).toBe('A   LONGER\nxx  1\ny   22');
  });
});
