import type { EngineKind, JsonValue } from '@baton/event-schemas';
import { createInMemoryStores } from '../../ports/in-memory/create-in-memory-stores.js';
import type { EngineCapabilities } from '../../engine/engine-capabilities.js';
import type { RuntimeStores } from '../../ports/runtime-stores.js';
import { createRuntime, type Runtime, type RuntimeOptions } from '../create-runtime.js';
import { createRecordingEngine, type RecordingEngine } from './recording-engine.js';
import { recordCalls, type PortCall } from './recording-stores.js';
import { schemaOnlyValidator } from './test-validator.js';

/** A runtime over in-memory ports, a Postgres-like and a Temporal-like recording engine, and a fixed clock. */
export interface RuntimeHarness {
  readonly runtime: Runtime;
  readonly stores: RuntimeStores;
  readonly portCalls: PortCall[];
  readonly db: RecordingEngine<'db'>;
  readonly temporal: RecordingEngine<'temporal'>;
  /** advances the clock */
  tick(ms?: number): void;
}

/** Builds a harness; `options` override the runtime options. */
export function createHarness(
  options: Partial<RuntimeOptions> & {
    readonly withTemporal?: boolean;
    /** the recording engines' capabilities @default those of the Postgres and the Temporal engine */
    readonly capabilities?: { readonly db?: Partial<EngineCapabilities>; readonly temporal?: Partial<EngineCapabilities> };
  } = {},
): RuntimeHarness {
  const { stores, calls } = recordCalls(createInMemoryStores());
  const db = createRecordingEngine('db', options.capabilities?.db ?? { retryFailedRun: true, adminResume: true, batchedDelivery: true });
  const temporal = createRecordingEngine('temporal', options.capabilities?.temporal ?? { asyncCancel: true });
  let now = Date.parse('2026-01-01T00:00:00.000Z');
  let ids = 0;
  const { withTemporal: _withTemporal, capabilities: _capabilities, ...runtimeOptions } = options;
  const runtime = createRuntime({
    engines: options.withTemporal === false ? { db } : { db, temporal },
    ...stores,
    validateDefinition: schemaOnlyValidator,
    clock: () => new Date(now),
    generateId: () => `run-${String(++ids).padStart(4, '0')}`,
    ...runtimeOptions,
  });
  return { runtime, stores, portCalls: calls, db, temporal, tick: (ms = 1000) => void (now += ms) };
}

/** A small valid definition. */
export function definition(name: string, version: string, extra: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  return {
    name,
    version,
    steps: [{ id: 'echo', type: 'action.call', action: 'core.echo', actionVersion: 1, input: { $expr: 'input' } }],
    ...extra,
  };
}

/** Opens an event wait for a run, as its engine would. */
export async function openEventWait(stores: RuntimeStores, tenant: string, runId: string, engine: EngineKind, eventName: string, correlationKey: string): Promise<void> {
  await stores.waits.open(tenant, {
    runId,
    engine,
    waitId: `wait-${runId}`,
    type: 'EVENT',
    stepId: 'wait',
    eventName,
    correlationKey,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  await stores.runs.update(tenant, runId, { status: 'WAITING', updatedAt: '2026-01-01T00:00:00.000Z' });
}
