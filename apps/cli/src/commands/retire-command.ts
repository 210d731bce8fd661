import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';

/** Options of {@link retireCommand}. */
export interface RetireOptions {
  readonly reason?: string;
  readonly json?: boolean;
}

/**
 * `baton retire <workflow> <version> [--reason R]`: takes a published version out of service (no new
 * run gets it; its runs keep running and `baton runs --stuck` lists them). Retiring again prints the
 * first retirement.
 */
export async function retireCommand(client: BatonApiClient, workflow: string, version: string, options: RetireOptions, io: CliIo): Promise<ExitCode> {
  try {
    const retired = await client.retireVersion(workflow, version, options.reason);
    if (options.json) printJson(io, retired);
    else io.out(`${retired.name}@${retired.version} retired at ${retired.retiredAt}${retired.reason ? ` (${retired.reason})` : ''}; its running runs: baton runs --stuck --workflow ${retired.name}`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
