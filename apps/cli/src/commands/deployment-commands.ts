import type { DrainBody, DrainResult, ListDeploymentsResponse } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { UsageError } from './parse-json-option.js';
import { printJson, reportError } from './report-api-error.js';

type Json = { readonly json?: boolean };

/** The deployment versions as a table, one line per version. */
export function formatDeployments(list: ListDeploymentsResponse): string[] {
  if (list.items.length === 0) return [list.note ?? 'no worker deployments'];
  const lines = ['DEPLOYMENT  BUILD  ROUTING  STATUS  DRAINAGE  POLLERS  RUNS'];
  for (const v of list.items) {
    const routing = v.current ? 'current' : v.ramping ? `ramping ${v.rampingPercent ?? 0}%` : '-';
    lines.push([v.deploymentName, v.buildId, routing, v.status, v.drainage ?? '-', v.pollers ?? '-', v.runs].join('  '));
  }
  lines.push(`runs counted among your ${list.runsJudged} newest unfinished Temporal runs`);
  return lines;
}

/** `baton deployments`: every Temporal worker deployment version with its drainage status and your runs pinned to it. */
export async function deploymentsCommand(client: BatonApiClient, options: Json, io: CliIo): Promise<ExitCode> {
  try {
    const list = await client.listDeployments();
    if (options.json) printJson(io, list);
    else for (const line of formatDeployments(list)) io.out(line);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** `<buildId>` or `<workflow>@<version>` (the last `@` splits). */
export function parseDrainTarget(target: string): Pick<DrainBody, 'buildId' | 'workflow' | 'version'> {
  const at = target.lastIndexOf('@');
  if (at < 0) return { buildId: target };
  const workflow = target.slice(0, at);
  const version = target.slice(at + 1);
  if (!workflow || !version) throw new UsageError(`'${target}' is neither a build id nor <workflow>@<version>`);
  return { workflow, version };
}

/** The drain as text: each run moved (or that would move), each run refused with why. */
export function formatDrain(result: DrainResult): string[] {
  const lines: string[] = [];
  const verb = result.dryRun ? 'would move' : 'moved';
  for (const m of result.moved) lines.push(`${verb}  ${m.runId}  ${m.workflow}@${m.version}  ${m.from.buildId} -> ${m.to.buildId}`);
  for (const r of result.refused) lines.push(`refused  ${r.runId}  ${r.reason}  ${r.message}`);
  lines.push(`${verb}: ${result.moved.length}, refused: ${result.refused.length} (of ${result.runsJudged} unfinished Temporal runs considered)${result.dryRun ? '; dry run, nothing changed' : ''}`);
  return lines;
}

/**
 * `baton drain <buildId|workflow@version> [--dry-run]`: moves runs onto the current build, each after
 * its history replays there. Exit 1 when some run was refused (the report says why).
 */
export async function drainCommand(client: BatonApiClient, target: string, options: Json & { readonly dryRun?: boolean }, io: CliIo): Promise<ExitCode> {
  try {
    const result = await client.drain({ ...parseDrainTarget(target), ...(options.dryRun ? { dryRun: true } : {}) });
    if (options.json) printJson(io, result);
    else for (const line of formatDrain(result)) io.out(line);
    return result.refused.length > 0 ? EXIT.failed : EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
