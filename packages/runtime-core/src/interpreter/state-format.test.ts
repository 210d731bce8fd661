import { describe, expect, it } from 'vitest';
import { at, flow, start } from './__fixtures__/drive.js';
import { advance } from './advance.js';
import { InterpreterError } from './interpreter-error.js';
import { STATE_FORMAT } from './state.js';
import { migrateState, STATE_FORMAT_VERSION, stateFormatVersion, type StateMigrations } from './state-format.js';

const definition = flow([{ id: 'wait', type: 'time.wait', durationMs: 1000 }]);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof InterpreterError ? error.code : 'not an InterpreterError';
  }
  return undefined;
}

describe('migrateState', () => {
  it('takes a state of the current format (1) as is, and advance accepts it', async () => {
    expect(STATE_FORMAT).toBe('baton.interpreter/1');
    expect(STATE_FORMAT_VERSION).toBe(1);
    const started = await start(definition);
    const migrated = migrateState(started.state);
    expect(migrated).toBe(started.state);
    const timer = started.commands.find((c) => c.type === 'StartTimer');
    const fired = await advance(definition, migrated, { type: 'TimerFired', now: at(2), timerId: timer && 'timerId' in timer ? timer.timerId : '' });
    expect(fired.accepted).toBe(true);
  });

  it('refuses a state of a newer format with STATE_FORMAT_UNSUPPORTED', async () => {
    const started = await start(definition);
    expect(codeOf(() => migrateState({ ...started.state, format: 'baton.interpreter/2' }))).toBe('STATE_FORMAT_UNSUPPORTED');
  });

  it('refuses what is not a state with INVALID_STATE', () => {
    for (const bad of [undefined, null, 'x', {}, { format: 'baton.interpreter/0' }, { format: 'other/1' }, { format: 'baton.interpreter/1.5' }]) {
      expect(codeOf(() => migrateState(bad))).toBe('INVALID_STATE');
    }
    expect(stateFormatVersion({ format: 'baton.interpreter/12' })).toBe(12);
  });

  it('migrates an older format one version at a time, without changing the given state', () => {
    // Format 1 is the first layout; the chain is exercised with a layout history of three versions.
    const migrations: StateMigrations = {
      1: ({ old, ...s }) => ({ ...s, format: 'baton.interpreter/2', renamed: old }),
      2: ({ renamed, ...s }) => ({ ...s, format: 'baton.interpreter/3', value: renamed }),
    };
    const v1 = { format: 'baton.interpreter/1', old: 7 };
    expect(migrateState(v1, { current: 3, migrations })).toEqual({ format: 'baton.interpreter/3', value: 7 });
    expect(v1).toEqual({ format: 'baton.interpreter/1', old: 7 });
    expect(migrateState({ format: 'baton.interpreter/2', renamed: 8 }, { current: 3, migrations })).toEqual({ format: 'baton.interpreter/3', value: 8 });
  });

  it('fails STATE_FORMAT_UNSUPPORTED when a migration is missing and INVALID_STATE when one skips a version', () => {
    expect(codeOf(() => migrateState({ format: 'baton.interpreter/1' }, { current: 2, migrations: {} }))).toBe('STATE_FORMAT_UNSUPPORTED');
    const skipping: StateMigrations = { 1: (s) => ({ ...s, format: 'baton.interpreter/3' }) };
    expect(codeOf(() => migrateState({ format: 'baton.interpreter/1' }, { current: 3, migrations: skipping }))).toBe('INVALID_STATE');
  });
});
