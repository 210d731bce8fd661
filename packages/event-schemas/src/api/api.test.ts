import { describe, expect, it } from 'vitest';
import { WorkflowEvent } from './events.js';
import { GetRunQuery, ListRunsQuery, RUN_WAIT_MESSAGE, RunView, StartRunBody } from './runs.js';
import { UpdatePolicyBody } from './workflows.js';
import { ErrorResponse } from './errors.js';

describe('API bodies', () => {
  it('WorkflowEvent: requires eventId, eventName and payload; rejects unknown fields', () => {
    expect(WorkflowEvent.safeParse({ eventId: 'e1', eventName: 'PAID', payload: { a: 1 } }).success).toBe(true);
    expect(WorkflowEvent.safeParse({ eventId: 'e1', eventName: 'PAID' }).success).toBe(false);
    expect(WorkflowEvent.safeParse({ eventId: 'e1', eventName: 'PAID', payload: null, tenant: 'x' }).success).toBe(false);
    expect(WorkflowEvent.safeParse({ eventId: 'e1', eventName: 'PAID', payload: 1, occurredAt: 'yesterday' }).success).toBe(false);
  });

  it('StartRunBody: engine is db or temporal, version is semver', () => {
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, engine: 'temporal', version: '1.0.0' }).success).toBe(true);
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, engine: 'mysql' }).success).toBe(false);
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, version: 'latest' }).success).toBe(false);
  });

  it('StartRunBody and GetRunQuery: wait is a whole number of ms up to 60000', () => {
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, wait: 60000 }).success).toBe(true);
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, wait: 60001 }).success).toBe(false);
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, wait: -1 }).success).toBe(false);
    expect(StartRunBody.safeParse({ workflow: 'w', input: {}, wait: 1.5 }).success).toBe(false);
    expect(GetRunQuery.parse({ wait: '2500' })).toEqual({ wait: 2500 });
    expect(GetRunQuery.parse({})).toEqual({});
    expect(GetRunQuery.safeParse({ wait: '60001' }).success).toBe(false);
    expect(GetRunQuery.safeParse({ wait: 'soon' }).success).toBe(false);
  });

  it('a bad wait is answered with what wait expects, not with a parser detail such as NaN', () => {
    const messages = (result: { error?: { issues: ReadonlyArray<{ message: string }> } }) => result.error?.issues.map((i) => i.message);
    for (const wait of ['soon', '1.5', '-1', '60001']) {
      expect(messages(GetRunQuery.safeParse({ wait })), wait).toEqual([RUN_WAIT_MESSAGE]);
    }
    for (const wait of ['soon', 1.5, -1, 60_001]) {
      expect(messages(StartRunBody.safeParse({ workflow: 'w', input: {}, wait })), String(wait)).toEqual([RUN_WAIT_MESSAGE]);
    }
    expect(RUN_WAIT_MESSAGE).toBe('expected a whole number of milliseconds from 0 to 60000');
  });

  it('ListRunsQuery: coerces limit from the query string and bounds it', () => {
    expect(ListRunsQuery.parse({ limit: '20' })).toEqual({ limit: 20 });
    expect(ListRunsQuery.safeParse({ limit: '0' }).success).toBe(false);
    expect(ListRunsQuery.safeParse({ status: 'DONE' }).success).toBe(false);
    for (const limit of ['lots', '0', '201', '2.5']) {
      expect(ListRunsQuery.safeParse({ limit }).error?.issues.map((i) => i.message), limit).toEqual(['expected a whole number from 1 to 200']);
    }
  });

  it('RunView: waits and timestamps are typed', () => {
    const view = {
      runId: 'r1', workflow: 'w', version: '1.0.0', engine: 'db', status: 'WAITING', input: {},
      waits: [{ waitId: 'w1', type: 'EVENT', stepId: 's', eventName: 'PAID', correlationKey: 'k', createdAt: '2025-01-01T00:00:00.000Z' }],
      createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00Z',
    };
    expect(RunView.safeParse(view).success).toBe(true);
    expect(RunView.safeParse({ ...view, waits: [{ ...view.waits[0], type: 'SIGNAL' }] }).success).toBe(false);
  });

  it('UpdatePolicyBody: weighted version policy and percentage engine policy', () => {
    expect(
      UpdatePolicyBody.safeParse({
        versionPolicy: { type: 'weighted', weights: { '1.0.0': 90, '1.1.0': 10 } },
        engine: { type: 'percent', temporalPercent: 25 },
      }).success,
    ).toBe(true);
    expect(UpdatePolicyBody.safeParse({ engine: { type: 'percent', temporalPercent: 120 } }).success).toBe(false);
  });

  it('ErrorResponse: keeps extra detail fields next to code and message', () => {
    const body = { error: { code: 'WORKFLOW_TEMPORAL_ACTION_UNSUPPORTED', message: 'no', action: 'retry', engine: 'temporal', runId: 'r', hint: 'h' } };
    expect(ErrorResponse.parse(body)).toEqual(body);
  });
});
