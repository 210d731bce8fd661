import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_MODULE_ERROR_CODE, ActionModuleError, BUILTIN_MODULE, loadActionModules, parseActionModuleList } from './load-action-modules.js';

const FIXTURES = fileURLToPath(new URL('../__fixtures__/action-modules/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

async function loadError(specifiers: string[]): Promise<ActionModuleError> {
  const error = await loadActionModules(specifiers, { cwd: FIXTURES }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionModuleError);
  return error as ActionModuleError;
}

const keys = (loaded: { action: { id: string; version: number }; module: string }[]) => loaded.map((l) => `${l.action.id}@${l.action.version} ${l.module}`);

describe('parseActionModuleList', () => {
  it('splits on commas and drops blanks', () => {
    expect(parseActionModuleList(' ./a.mjs, @acme/actions ,,')).toEqual(['./a.mjs', '@acme/actions']);
    expect(parseActionModuleList(undefined)).toEqual([]);
  });
});

describe('loadActionModules', () => {
  it('collects named and default-array exports made with defineAction, after the built-ins', async () => {
    const loaded = await loadActionModules(['./greet-actions.mjs'], { cwd: FIXTURES });
    expect(keys(loaded)).toEqual([
      `core.echo@1 ${BUILTIN_MODULE}`,
      `core.log@1 ${BUILTIN_MODULE}`,
      `http.request@1 ${BUILTIN_MODULE}`,
      'test.greet@1 ./greet-actions.mjs',
      'test.shout@1 ./greet-actions.mjs',
    ]);
    const greet = loaded.find((l) => l.action.id === 'test.greet')!.action;
    expect(await greet.handler({ name: 'Ada' }, {} as never)).toEqual({ greeting: 'hello Ada' });
  });

  it('loads the example module of examples/actions by a path relative to the working directory', async () => {
    const loaded = await loadActionModules(['./examples/actions/shop-actions.mjs'], { cwd: REPO_ROOT, builtins: false });
    expect(keys(loaded)).toEqual(['shop.summarize-order@1 ./examples/actions/shop-actions.mjs']);
  });

  it('takes a relative path without ./ for a path when that file exists (examples/actions/shop-actions.mjs)', async () => {
    const loaded = await loadActionModules(['examples/actions/shop-actions.mjs'], { cwd: REPO_ROOT, builtins: false });
    expect(loaded.map((l) => `${l.action.id}@${l.action.version}`)).toContain('shop.summarize-order@1');
  });

  it('loads absolute paths and file URLs', async () => {
    const absolute = path.join(FIXTURES, 'greet-actions.mjs');
    expect((await loadActionModules([absolute], { builtins: false })).map((l) => l.action.id)).toEqual(['test.greet', 'test.shout']);
    expect((await loadActionModules([`file://${absolute}`], { builtins: false })).length).toBe(2);
  });

  it('refuses two modules providing the same id@version, naming both', async () => {
    const error = await loadError(['./greet-actions.mjs', './greet-again-actions.mjs']);
    expect(error.code).toBe(ACTION_MODULE_ERROR_CODE.DUPLICATE_ACTION);
    expect(error.message).toBe('action test.greet@1 is provided twice: by ./greet-actions.mjs and by ./greet-again-actions.mjs');
    expect(error.modules).toEqual(['./greet-actions.mjs', './greet-again-actions.mjs']);
  });

  it('refuses a package that provides a built-in again (resolved by package name)', async () => {
    // @baton/runtime-core exports the built-in actions themselves.
    const error = await loadError(['@baton/runtime-core']);
    expect(error.code).toBe(ACTION_MODULE_ERROR_CODE.DUPLICATE_ACTION);
    expect(error.message).toMatch(/^action core\.echo@1 is provided twice: by built-in and by @baton\/runtime-core$/);
  });

  it('names a module that cannot be found, throws while loading, or exports no action', async () => {
    const missing = await loadError(['./nowhere.mjs']);
    expect(missing.code).toBe(ACTION_MODULE_ERROR_CODE.ACTION_MODULE_LOAD_FAILED);
    expect(missing.message).toMatch(/^action module \.\/nowhere\.mjs could not be loaded: /);
    const throwing = await loadError(['./throws-on-load.mjs']);
    expect(throwing.message).toBe('action module ./throws-on-load.mjs could not be loaded: cannot connect to the billing API');
    const empty = await loadError(['./no-actions.mjs']);
    expect(empty.code).toBe(ACTION_MODULE_ERROR_CODE.ACTION_MODULE_EMPTY);
    expect(empty.modules).toEqual(['./no-actions.mjs']);
  });
});
