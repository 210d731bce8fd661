import { describe, expect, it } from 'vitest';
import { toErrorBody } from '../errors/baton-error.js';
import { defineCapabilities } from './engine-capabilities.js';
import { EngineAuthorityError, assertEngineAuthority } from './engine-authority-error.js';
import { createRunRef, type AnyRunRef } from './run-ref.js';

describe('assertEngineAuthority', () => {
  it('accepts a ref of the engine kind', () => {
    expect(() => assertEngineAuthority({ kind: 'db' }, createRunRef('db', 't', 'r1'))).not.toThrow();
  });

  it('refuses a run of the other engine with WORKFLOW_ENGINE_AUTHORITY', () => {
    // a Temporal ref that reached the Postgres engine through an untyped path (JSON, a cast)
    const smuggled = createRunRef('temporal', 't', 'r2') as AnyRunRef;
    let thrown: unknown;
    try {
      assertEngineAuthority({ kind: 'db' }, smuggled);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(EngineAuthorityError);
    expect(toErrorBody(thrown)).toEqual({
      error: {
        code: 'WORKFLOW_ENGINE_AUTHORITY',
        message: "run r2 belongs to engine 'temporal', not to 'db'",
        runId: 'r2',
        runEngine: 'temporal',
        engine: 'db',
      },
    });
  });

  it('refuses something that is not a ref at all', () => {
    expect(() => assertEngineAuthority({ kind: 'temporal' }, null as never)).toThrow(EngineAuthorityError);
  });
});

describe('defineCapabilities', () => {
  it('defaults every flag to false', () => {
    expect(defineCapabilities()).toEqual({ retryFailedRun: false, adminResume: false, requeueWait: false, batchedDelivery: false, asyncCancel: false, storesRunOnStart: false });
    expect(defineCapabilities({ adminResume: true })).toEqual({ retryFailedRun: false, adminResume: true, requeueWait: false, batchedDelivery: false, asyncCancel: false, storesRunOnStart: false });
  });
});
