import fs from 'node:fs/promises';
import path from 'node:path';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { historyFromJson, historyToJson, type History } from './history-json.js';

/** A recorded history with the file it came from. */
export interface HistoryFile extends HistoryAndWorkflowId {
  readonly file: string;
  readonly history: History;
}

const HISTORY_EXTENSION = '.json';

/** Lists the `*.json` history files of the given files and directories (directories non-recursively, sorted). */
export async function listHistoryFiles(pathsOrDirs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of pathsOrDirs) {
    const stat = await fs.stat(entry);
    if (stat.isDirectory()) {
      const names = (await fs.readdir(entry)).filter((name) => name.endsWith(HISTORY_EXTENSION)).sort();
      files.push(...names.map((name) => path.join(entry, name)));
    } else {
      files.push(entry);
    }
  }
  return files;
}

/**
 * Reads one history in Temporal's JSON format (what `temporal workflow show --output json` and
 * {@link writeHistoryFile} write); the workflow id is the file name without `.json`.
 */
export async function readHistoryFile(file: string): Promise<HistoryFile> {
  const json: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
  return { file, workflowId: path.basename(file, HISTORY_EXTENSION), history: historyFromJson(json) };
}

/** Reads every history of the given files and directories. */
export async function readHistoryFiles(pathsOrDirs: readonly string[]): Promise<HistoryFile[]> {
  const files = await listHistoryFiles(pathsOrDirs);
  return Promise.all(files.map(readHistoryFile));
}

/** Writes a history in Temporal's JSON format, pretty-printed so fixture diffs stay readable. */
export async function writeHistoryFile(file: string, history: History): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(historyToJson(history), null, 1)}\n`);
}
