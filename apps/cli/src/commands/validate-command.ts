import { createActionRegistry, validateDefinition, type ActionCatalog } from '@baton/runtime-core';
import { loadDefinitionFiles } from '../definitions/load-definition-files.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson } from './report-api-error.js';

/** Options of `baton validate`. */
export interface ValidateOptions {
  /** also accept the test actions (`test.fail@1`, `test.flaky@1`) @default BATON_ENABLE_TEST_ACTIONS=1 */
  readonly testActions?: boolean;
  /** the actions to check against (a live catalog, loaded modules) @default the built-ins */
  readonly actions?: ActionCatalog;
  /** print `{files: [{file, ok, name?, version?, hash?, issues}], valid, invalid}` instead of lines */
  readonly json?: boolean;
}

/** What validating one file found. */
interface FileResult {
  readonly file: string;
  readonly ok: boolean;
  readonly name?: string;
  readonly version?: string;
  readonly hash?: string;
  readonly issues: readonly { path: string; message: string; code: string }[];
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
    io.err(options.json ? JSON.stringify({ error: { code: 'NO_DEFINITION_FILES', message: 'no definition files found' } }) : 'no definition files found');
    return EXIT.failed;
  }
  const results: FileResult[] = files.map((file) => {
    if (!file.ok) return { file: file.file, ok: false, issues: [{ path: '', message: file.message, code: 'UNREADABLE_FILE' }] };
    const result = validateDefinition(file.json, { actions });
    return result.ok
      ? { file: file.file, ok: true, name: result.definition.name, version: result.definition.version, hash: result.hash, issues: [] }
      : { file: file.file, ok: false, issues: result.issues.map((i) => ({ path: i.path, message: i.message, code: i.code })) };
  });
  const invalid = results.filter((r) => !r.ok).length;
  const summary = `${files.length - invalid} valid, ${invalid} invalid`;
  if (options.json) {
    printJson(io, { files: results, valid: files.length - invalid, invalid });
    if (invalid > 0) io.err(JSON.stringify({ error: { code: 'INVALID_WORKFLOW_DEFINITION', message: summary } }));
    return invalid === 0 ? EXIT.ok : EXIT.failed;
  }
  for (const r of results) {
    if (r.ok) io.out(`✓ ${r.file}  ${r.name}@${r.version}  ${r.hash?.slice(0, 12)}`);
    else if (r.issues[0]?.code === 'UNREADABLE_FILE') io.out(`${r.file}: ${r.issues[0].message}`);
    else for (const issue of r.issues) io.out(`${r.file}: ${issue.path || '(root)'}: ${issue.message} [${issue.code}]`);
  }
  io.err(summary);
  if (options.actions === undefined && results.some((r) => r.issues.some((i) => i.code === 'UNKNOWN_ACTION'))) {
    io.err('hint: only the built-in actions were known: load your action modules with --actions <modules> (or BATON_ACTIONS), or check against a live catalog with --url');
  }
  return invalid === 0 ? EXIT.ok : EXIT.failed;
}
