import { actionCatalogOf } from '@baton/runtime-core';
import type { BatonApiClient } from '../api/baton-api-client.js';
import type { CliIo, ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';
import { validateCommand } from './validate-command.js';

/**
 * `baton validate --url <ingress> <file...>`: validates the definitions offline, checking their
 * actions (ids, versions and the literal parts of step inputs) against the live catalog of that
 * ingress instead of the built-ins alone.
 */
export async function validateAgainstCatalogCommand(client: BatonApiClient, paths: readonly string[], io: CliIo): Promise<ExitCode> {
  let actions;
  try {
    actions = actionCatalogOf((await client.listActions()).items);
  } catch (error) {
    return reportError(error, io, 'could not read the action catalog: ');
  }
  return validateCommand(paths, { actions }, io);
}
