import { ApiError } from '../api/api-error.js';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { loadDefinitionFiles } from '../definitions/load-definition-files.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';

/** What publishing one file did. */
export interface PublishOutcome {
  readonly file: string;
  readonly ok: boolean;
  /** `name@version` when published (new or unchanged) */
  readonly ref?: string;
  readonly created?: boolean;
  readonly hash?: string;
  /** why it was not published: the API error, or `{code: 'UNREADABLE_FILE'}` */
  readonly error?: { readonly code: string; readonly message: string } & Readonly<Record<string, unknown>>;
}

/** Publishes every definition file (folders expand to `*.workflow.json`), one request each, reporting per file. */
export async function publishFiles(client: BatonApiClient, paths: readonly string[], io: CliIo, options: { json?: boolean } = {}): Promise<PublishOutcome[]> {
  const outcomes: PublishOutcome[] = [];
  for (const file of loadDefinitionFiles(paths)) {
    if (!file.ok) {
      if (!options.json) io.err(`${file.file}: ${file.message}`);
      outcomes.push({ file: file.file, ok: false, error: { code: 'UNREADABLE_FILE', message: file.message } });
      continue;
    }
    try {
      const { status, body } = await client.publishWorkflow(file.json);
      const created = status === 201;
      if (!options.json) io.out(`${created ? 'published' : 'unchanged'}  ${body.name}@${body.version}  ${body.hash.slice(0, 12)}  (${file.file})`);
      outcomes.push({ file: file.file, ok: true, ref: `${body.name}@${body.version}`, created, hash: body.hash });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!options.json) reportError(error, io, { prefix: `${file.file}: ` });
      outcomes.push({ file: file.file, ok: false, error: { code: error.code, message: error.message, ...error.details } });
    }
  }
  return outcomes;
}

/**
 * `baton publish <file...>`: exits 1 when any file was not published. `--json` prints
 * `{results: [PublishOutcome...]}` (failures too) on stdout and each failure's code on stderr.
 */
export async function publishCommand(client: BatonApiClient, paths: readonly string[], options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  const outcomes = await publishFiles(client, paths, io, options);
  if (outcomes.length === 0) {
    io.err(options.json ? JSON.stringify({ error: { code: 'NO_DEFINITION_FILES', message: 'no definition files found' } }) : 'no definition files found');
    return EXIT.failed;
  }
  if (options.json) {
    printJson(io, { results: outcomes });
    for (const o of outcomes) if (o.error) io.err(JSON.stringify({ file: o.file, error: o.error }));
  }
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed;
}
