import type { BatonApiClient } from '../api/baton-api-client.js';
import { loadDefinitionFiles } from '../definitions/load-definition-files.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';

/** What publishing one file did. */
export interface PublishOutcome {
  readonly file: string;
  readonly ok: boolean;
  /** `name@version` when published (new or unchanged) */
  readonly ref?: string;
  readonly created?: boolean;
}

/** Publishes every definition file (folders expand to `*.workflow.json`), one request each, reporting per file. */
export async function publishFiles(client: BatonApiClient, paths: readonly string[], io: CliIo): Promise<PublishOutcome[]> {
  const outcomes: PublishOutcome[] = [];
  for (const file of loadDefinitionFiles(paths)) {
    if (!file.ok) {
      io.err(`${file.file}: ${file.message}`);
      outcomes.push({ file: file.file, ok: false });
      continue;
    }
    try {
      const { status, body } = await client.publishWorkflow(file.json);
      const created = status === 201;
      io.out(`${created ? 'published' : 'unchanged'}  ${body.name}@${body.version}  ${body.hash.slice(0, 12)}  (${file.file})`);
      outcomes.push({ file: file.file, ok: true, ref: `${body.name}@${body.version}`, created });
    } catch (error) {
      reportError(error, io, `${file.file}: `);
      outcomes.push({ file: file.file, ok: false });
    }
  }
  return outcomes;
}

/** `baton publish <file...>`: exits 1 when any file was not published. */
export async function publishCommand(client: BatonApiClient, paths: readonly string[], io: CliIo): Promise<ExitCode> {
  const outcomes = await publishFiles(client, paths, io);
  if (outcomes.length === 0) {
    io.err('no definition files found');
    return EXIT.failed;
  }
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed;
}
