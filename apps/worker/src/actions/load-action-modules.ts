// Loads the user's action modules (BATON_ACTIONS): ESM files or packages whose exports are
// actions made with `defineAction` from `@baton/runtime-core`.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinActions, type AnyActionDefinition, type BuiltinActionOptions } from '@baton/runtime-core';

/** Codes of {@link ActionModuleError}. */
export const ACTION_MODULE_ERROR_CODE = {
  /** A module could not be found or threw while loading. */
  ACTION_MODULE_LOAD_FAILED: 'ACTION_MODULE_LOAD_FAILED',
  /** A module exports no action. */
  ACTION_MODULE_EMPTY: 'ACTION_MODULE_EMPTY',
  /** Two modules (or a module and the built-ins) provide the same id@version. */
  DUPLICATE_ACTION: 'DUPLICATE_ACTION',
} as const;
export type ActionModuleErrorCode = (typeof ACTION_MODULE_ERROR_CODE)[keyof typeof ACTION_MODULE_ERROR_CODE];

/** A start-up error of the action modules; the message names the module(s). */
export class ActionModuleError extends Error {
  override readonly name = 'ActionModuleError';
  constructor(
    readonly code: ActionModuleErrorCode,
    message: string,
    readonly modules: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An action and the module that provided it (`built-in` for Baton's own). */
export interface LoadedAction {
  readonly action: AnyActionDefinition;
  readonly module: string;
}

/** Where the built-in actions come from, in {@link LoadedAction.module} and error messages. */
export const BUILTIN_MODULE = 'built-in';

/** Options of {@link loadActionModules}. */
export interface LoadActionModulesOptions extends BuiltinActionOptions {
  /** Directory relative paths and package names are resolved from. @default process.cwd() */
  readonly cwd?: string;
  /** Include the built-in actions (checked for clashes with the modules' actions). @default true */
  readonly builtins?: boolean;
}

/** Splits a `BATON_ACTIONS` value (comma separated) into module specifiers. */
export function parseActionModuleList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** True for a value made with `defineAction` (checked by shape, so a module may use its own copy of runtime-core). */
export function isActionDefinition(value: unknown): value is AnyActionDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const schema = (s: unknown) => typeof s === 'object' && s !== null && typeof (s as { safeParse?: unknown }).safeParse === 'function';
  return typeof v.id === 'string' && Number.isInteger(v.version) && typeof v.handler === 'function' && schema(v.input) && schema(v.output);
}

/** A path: `./x`, `../x`, absolute, a `file:` URL, or a file that exists relative to `cwd` (`examples/actions/x.mjs`). */
function isPathSpecifier(specifier: string, cwd: string): boolean {
  if (specifier.startsWith('.') || path.isAbsolute(specifier) || specifier.startsWith('file:')) return true;
  try {
    return statSync(path.resolve(cwd, specifier)).isFile();
  } catch {
    return false;
  }
}

async function importModule(specifier: string, cwd: string): Promise<Record<string, unknown>> {
  if (isPathSpecifier(specifier, cwd)) {
    const url = specifier.startsWith('file:') ? specifier : pathToFileURL(path.resolve(cwd, specifier)).href;
    return (await import(url)) as Record<string, unknown>;
  }
  // A package name: from the working directory's node_modules first (the team's own install),
  // else wherever Node finds it from the worker (a dependency installed next to it).
  let resolved: string | undefined;
  try {
    resolved = createRequire(path.join(cwd, 'noop.js')).resolve(specifier);
  } catch {
    resolved = undefined;
  }
  return (await import(resolved ? pathToFileURL(resolved).href : specifier)) as Record<string, unknown>;
}

/** The actions a module exports: every named export that is an action, and a default export that is one or an array of them. */
function actionsOf(exports: Record<string, unknown>): AnyActionDefinition[] {
  const found = new Set<AnyActionDefinition>();
  for (const [name, value] of Object.entries(exports)) {
    if (isActionDefinition(value)) found.add(value);
    else if (name === 'default' && Array.isArray(value)) for (const item of value) if (isActionDefinition(item)) found.add(item);
  }
  return [...found];
}

/**
 * Imports each module (a path, relative to `cwd`, or a package name) and collects its actions,
 * plus the built-ins. Two actions with the same id@version are an {@link ActionModuleError}
 * naming both modules; so are a module that fails to load and one that exports no action.
 */
export async function loadActionModules(specifiers: readonly string[], options: LoadActionModulesOptions = {}): Promise<LoadedAction[]> {
  const cwd = options.cwd ?? process.cwd();
  const loaded: LoadedAction[] = options.builtins === false ? [] : builtinActions(options).map((action) => ({ action, module: BUILTIN_MODULE }));
  const byKey = new Map(loaded.map((l) => [`${l.action.id}@${l.action.version}`, l]));
  for (const specifier of specifiers) {
    let exports: Record<string, unknown>;
    try {
      exports = await importModule(specifier, cwd);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ActionModuleError(ACTION_MODULE_ERROR_CODE.ACTION_MODULE_LOAD_FAILED, `action module ${specifier} could not be loaded: ${reason}`, [specifier], { cause: error });
    }
    const actions = actionsOf(exports);
    if (actions.length === 0) {
      throw new ActionModuleError(ACTION_MODULE_ERROR_CODE.ACTION_MODULE_EMPTY, `action module ${specifier} exports no action (export the values defineAction returns)`, [specifier]);
    }
    for (const action of actions) {
      const key = `${action.id}@${action.version}`;
      const earlier = byKey.get(key);
      if (earlier) {
        throw new ActionModuleError(
          ACTION_MODULE_ERROR_CODE.DUPLICATE_ACTION,
          `action ${key} is provided twice: by ${earlier.module} and by ${specifier}`,
          [earlier.module, specifier],
        );
      }
      const entry = { action, module: specifier };
      byKey.set(key, entry);
      loaded.push(entry);
    }
  }
  return loaded;
}
