import { createActionRegistry, validateDefinition, type ActionCatalog } from '@baton/runtime-core';
import { loadDefinitionFiles } from '../definitions/load-definition-files.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';

/** Options of `baton validate`. */
export interface ValidateOptions {
  /** also accept the test actions (`test.fail@1`, `test.flaky@1`) @default BATON_ENABLE_TEST_ACTIONS=1 */
  readonly testActions?: boolean;
  /** the actions to check against (a live catalog, loaded modules) @default the built-ins */
  readonly actions?: ActionCatalog;
}

/**
 * `baton validate <file...>`: validates each definition (folders expand to their `*.workflow.json`)
 * against the schema and the built-in actions, prints every issue as `file: path: message [CODE]`,
 * and exits 1 when any file has an issue.
 */
export function validateCommand(paths: readonly string[], options: ValidateOptions, io: CliIo): ExitCode {
  const actions = options.actions ?? createActionRegistry({ enableTestActions: options.testActions ?? process.env.BATON_ENABLE_TEST_ACTIONS === '1' });
  const files = loadDefinitionFiles(paths);
  if (files.length === 0) {
    io.err('no definition files found');
    return EXIT.failed;
  }
  let invalid = 0;
  for (const file of files) {
    if (!file.ok) {
      invalid += 1;
      io.out(`${file.file}: ${file.message}`);
      continue;
    }
    const result = validateDefinition(file.json, { actions });
    if (result.ok) {
      io.out(`✓ ${file.file}  ${result.definition.name}@${result.definition.version}  ${result.hash.slice(0, 12)}`);
    } else {
      invalid += 1;
      for (const issue of result.issues) io.out(`${file.file}: ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`);
    }
  }
  io.err(`${files.length - invalid} valid, ${invalid} invalid`);
  return invalid === 0 ? EXIT.ok : EXIT.failed;
}
