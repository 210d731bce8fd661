import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EngineKind } from '@baton/event-schemas';
import { createRunRef, isRunRefOf, type AnyRunRef, type RunRef } from './run-ref.js';
import type { WorkflowEngine } from './workflow-engine.js';

declare const dbEngine: WorkflowEngine<'db'>;

describe('RunRef types', () => {
  it('a Temporal run ref is not a Postgres run ref, and the other way round', () => {
    expectTypeOf<RunRef<'temporal'>>().not.toExtend<RunRef<'db'>>();
    expectTypeOf<RunRef<'db'>>().not.toExtend<RunRef<'temporal'>>();
    expectTypeOf<RunRef<EngineKind>>().not.toExtend<RunRef<'db'>>();
    expectTypeOf<RunRef<'db'>>().toExtend<AnyRunRef>();
  });

  it('an engine accepts only refs of its own kind', () => {
    const temporalRun = createRunRef('temporal', 't1', 'r1');
    const dbRun = createRunRef('db', 't1', 'r1');
    expectTypeOf(dbRun).toEqualTypeOf<RunRef<'db'>>();
    const deliver = (): Promise<unknown> => dbEngine.cancel(dbRun, 'ok');
    // @ts-expect-error a RunRef<'temporal'> cannot be passed to the Postgres engine
    const wrong = (): Promise<unknown> => dbEngine.cancel(temporalRun, 'no');
    expect(typeof deliver).toBe('function');
    expect(typeof wrong).toBe('function');
  });

  it('a plain object literal is not a run ref', () => {
    // @ts-expect-error the brand is missing: refs come from createRunRef
    const fake: RunRef<'db'> = { engine: 'db', tenant: 't', runId: 'r' };
    expect(fake.engine).toBe('db');
  });

  it('isRunRefOf narrows a ref of either engine', () => {
    const ref: AnyRunRef = createRunRef('temporal', 't', 'r');
    if (isRunRefOf(ref, 'temporal')) {
      expectTypeOf(ref).toEqualTypeOf<RunRef<'temporal'>>();
    }
    expect(isRunRefOf(ref, 'temporal')).toBe(true);
    expect(isRunRefOf(ref, 'db')).toBe(false);
  });
});
