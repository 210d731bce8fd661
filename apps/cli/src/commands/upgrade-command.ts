import type { UpgradePlan } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { UsageError } from './parse-json-option.js';
import { printJson, reportError } from './report-api-error.js';

/** Options of {@link upgradePlanCommand}. */
export interface UpgradePlanOptions {
  readonly to: string;
  /** default: the published version just before `to` */
  readonly from?: string;
  readonly json?: boolean;
}

/** The version published just before `to` (versions ascend by semver); a usage error when there is none. */
async function previousVersion(client: BatonApiClient, workflow: string, to: string): Promise<string> {
  const versions = (await client.getWorkflow(workflow)).versions.map((v) => v.version);
  const at = versions.indexOf(to);
  if (at <= 0) throw new UsageError(at < 0 ? `--to: ${to} is not a published version of ${workflow}` : `--to: ${to} is the first version of ${workflow}; give --from`);
  return versions[at - 1]!;
}

/** The plan as text: the diff, then one line per run, then the count per class. */
export function formatUpgradePlan(workflow: string, plan: UpgradePlan): string[] {
  const lines = [`${workflow} ${plan.from} -> ${plan.to}`];
  const steps = (label: string, list: UpgradePlan['diff']['added']) => {
    lines.push(`  ${label}: ${list.length === 0 ? '-' : list.map((s) => `${s.stepId} (${s.path})`).join(', ')}`);
  };
  steps('added', plan.diff.added);
  steps('removed', plan.diff.removed);
  steps('changed', plan.diff.changed);
  if (plan.runs.length === 0) {
    lines.push(`no in-flight runs of ${plan.from}`);
    return lines;
  }
  lines.push('RUN  ENGINE  STATUS  CLASS  REASON  STEP');
  for (const run of plan.runs) lines.push([run.runId, run.engine, run.status, run.class, run.reason ?? '-', run.stepPath ?? '-'].join('  '));
  const count = (c: string) => plan.runs.filter((r) => r.class === c).length;
  lines.push(`moves now: ${count('MOVES_NOW')}, moves at continue-as-new: ${count('MOVES_AT_CONTINUE_AS_NEW')}, cannot move: ${count('CANNOT_MOVE')}`);
  return lines;
}

/** `baton upgrade plan <workflow> --to <version> [--from <version>]`: what moving in-flight runs to `--to` would do (read-only). */
export async function upgradePlanCommand(client: BatonApiClient, workflow: string, options: UpgradePlanOptions, io: CliIo): Promise<ExitCode> {
  try {
    const from = options.from ?? (await previousVersion(client, workflow, options.to));
    const plan = await client.getUpgradePlan(workflow, from, options.to);
    if (options.json) printJson(io, plan);
    else for (const line of formatUpgradePlan(workflow, plan)) io.out(line);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
