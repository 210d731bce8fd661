import { ActionRegistry } from '@baton/runtime-core';
import { ActionModuleError, loadActionModules } from '@baton/worker';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { validateCommand, type ValidateOptions } from './validate-command.js';

/**
 * `baton validate --actions <modules> <file...>` (or with `BATON_ACTIONS` set): validates against
 * the built-ins plus the actions of those modules, loaded as the worker loads them.
 */
export async function validateWithModulesCommand(paths: readonly string[], modules: readonly string[], options: Omit<ValidateOptions, 'actions'>, io: CliIo): Promise<ExitCode> {
  let actions: ActionRegistry;
  try {
    const loaded = await loadActionModules(modules, { enableTestActions: options.testActions ?? process.env.BATON_ENABLE_TEST_ACTIONS === '1' });
    actions = new ActionRegistry(loaded.map((l) => l.action));
  } catch (error) {
    if (!(error instanceof ActionModuleError)) throw error;
    io.err(options.json ? JSON.stringify({ error: { code: error.code, message: error.message } }) : `${error.code}: ${error.message}`);
    return EXIT.failed;
  }
  return validateCommand(paths, { ...options, actions }, io);
}
