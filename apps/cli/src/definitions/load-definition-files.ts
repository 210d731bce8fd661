import fs from 'node:fs';
import path from 'node:path';

/** Suffix of definition files found when a folder is given (`examples/` uses it). */
export const DEFINITION_FILE_SUFFIX = '.workflow.json';

/** A file read for validation or publishing: its parsed JSON, or why it could not be read. */
export type LoadedDefinitionFile =
  | { readonly file: string; readonly ok: true; readonly json: unknown }
  | { readonly file: string; readonly ok: false; readonly message: string };

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.name.endsWith(DEFINITION_FILE_SUFFIX)) out.push(full);
  }
  return out;
}

/** Expands folders to the `*.workflow.json` files under them (sorted); files are kept as given. */
export function expandDefinitionPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (stat?.isDirectory()) files.push(...walk(p));
    else files.push(p);
  }
  return files;
}

/** Reads and parses each definition file (folders expanded); a missing or non-JSON file is reported, not thrown. */
export function loadDefinitionFiles(paths: readonly string[]): LoadedDefinitionFile[] {
  return expandDefinitionPaths(paths).map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      return { file, ok: false, message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
    }
    try {
      return { file, ok: true, json: JSON.parse(text) as unknown };
    } catch (error) {
      return { file, ok: false, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  });
}
