import type { BatonApiClient } from '../api/baton-api-client.js';
import { formatTable } from '../output/format-table.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';

/** `baton actions [--json]`: the live action catalog (built-ins plus what live workers provide). */
export async function actionsCommand(client: BatonApiClient, options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  try {
    const catalog = await client.listActions();
    if (options.json) {
      io.out(JSON.stringify(catalog, null, 2));
      return EXIT.ok;
    }
    io.out(
      formatTable(
        ['ACTION', 'PROVIDED BY', 'DESCRIPTION'],
        catalog.items.map((a) => [
          `${a.action}@${a.version}`,
          a.providers.length ? a.providers.map((p) => `${p.engine}: ${p.workers} worker${p.workers === 1 ? '' : 's'}`).join(', ') : 'no live worker',
          a.description ?? '',
        ]),
      ),
    );
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options.json ? { json: true } : {});
  }
}
