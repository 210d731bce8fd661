import { actionCatalogOf } from '@baton/runtime-core';
import type { BatonApiClient } from '../api/baton-api-client.js';
import type { CliIo, ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';
import { validateCommand, type ValidateOptions } from './validate-command.js';

/**
 * `baton validate --url <ingress> <file...>`: validates the definitions offline, checking their
 * actions (ids, versions and the literal parts of step inputs) against the live catalog of that
 * ingress instead of the built-ins alone.
 */
export async function validateAgainstCatalogCommand(client: BatonApiClient, paths: readonly string[], options: Omit<ValidateOptions, 'actions'>, io: CliIo): Promise<ExitCode> {
  let actions;
  try {
    actions = actionCatalogOf((await client.listActions()).items);
  } catch (error) {
    return reportError(error, io, options.json ? { json: true } : { prefix: 'could not read the action catalog: ' });
  }
  return validateCommand(paths, { ...options, actions }, io);
}
