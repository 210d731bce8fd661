// Records the Temporal histories of a finished scenario run into `histories/`: every Temporal
// run of the run's continue-as-new chain, and of its child runs (recursively).
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHistoryFile } from '../replay/history-files.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import type { TemporalTestEnv } from './temporal-test-env.js';

/** The committed fixture folder of this package. */
export const HISTORIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../histories');

/** Histories recorded by `localActivity` workers (replayed against the localActivity bundle). */
export const LOCAL_ACTIVITY_HISTORIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../histories-local-activity');

/** True when the test run should (re)write the fixtures: `BATON_RECORD_HISTORIES=1`. */
export const RECORDING = process.env.BATON_RECORD_HISTORIES === '1';

/** Removes every recorded history (before recording them again). */
export async function clearHistories(): Promise<void> {
  await fs.mkdir(HISTORIES_DIR, { recursive: true });
  for (const name of await fs.readdir(HISTORIES_DIR)) {
    if (name.endsWith('.json')) await fs.rm(path.join(HISTORIES_DIR, name));
  }
}

/** Temporal run ids of a workflow's continue-as-new chain, oldest first. */
export async function chainOf(env: TemporalTestEnv, workflowId: string): Promise<string[]> {
  const chain: string[] = [];
  let runId: string | undefined = (await env.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    chain.unshift(runId);
    const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return chain;
}

/** Writes the histories of `runId` (and its children) as `<name>.json`, `<name>.2.json`, `<name>.child-1.json`, ... */
export async function recordRunHistories(env: TemporalTestEnv, tenant: string, runId: string, name: string): Promise<string[]> {
  const written: string[] = [];
  const workflowId = workflowIdForRun(runId);
  const chain = await chainOf(env, workflowId);
  for (const [index, temporalRunId] of chain.entries()) {
    const file = path.join(HISTORIES_DIR, `${name}${index === 0 ? '' : `.${index + 1}`}.json`);
    await writeHistoryFile(file, await env.client.workflow.getHandle(workflowId, temporalRunId).fetchHistory());
    written.push(file);
  }
  const children = (await env.stores.runs.list(tenant, { limit: 200 })).items
    .filter((run) => run.parentRunId === runId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.runId.localeCompare(b.runId));
  for (const [index, child] of children.entries()) {
    written.push(...(await recordRunHistories(env, tenant, child.runId, `${name}.child-${index + 1}`)));
  }
  return written;
}
