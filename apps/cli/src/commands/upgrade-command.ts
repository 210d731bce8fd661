import type { ListUpgradesResponse, UpgradeApplyResult, UpgradePlan } from '@baton/event-schemas';
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

/** Options of {@link upgradeApplyCommand}. */
export interface UpgradeApplyOptions {
  readonly from: string;
  readonly to: string;
  /** only these runs (default: every in-flight run of `from`) */
  readonly runIds?: readonly string[];
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

/** The apply as text: one line per run moved or skipped (with its class and reason), then the counts. */
export function formatUpgradeApply(workflow: string, result: UpgradeApplyResult): string[] {
  const lines = [`${workflow} ${result.from} -> ${result.to}${result.dryRun ? ' (dry run: nothing moved)' : ''}`];
  if (result.moved.length + result.skipped.length === 0) return [...lines, `no in-flight runs of ${result.from}`];
  lines.push('RUN  ENGINE  OUTCOME  CLASS  REASON  STEP');
  const verb = result.dryRun ? 'WOULD_MOVE' : 'MOVED';
  for (const run of result.moved) lines.push([run.runId, run.engine, verb, 'MOVES_NOW', '-', '-'].join('  '));
  for (const run of result.skipped) lines.push([run.runId, run.engine ?? '-', 'SKIPPED', run.class, run.reason, run.stepPath ?? '-'].join('  '));
  lines.push(`${result.dryRun ? 'would move' : 'moved'}: ${result.moved.length}, skipped: ${result.skipped.length}`);
  return lines;
}

/**
 * `baton upgrade apply <workflow> --from <v> --to <v> [--run <id>...] [--dry-run]`: moves the in-flight
 * runs the plan classes MOVES_NOW to `--to` at their current wait (each re-checked by its engine under
 * the run's lock; audited per run). Exit 0 even when runs were skipped: the table says why.
 */
export async function upgradeApplyCommand(client: BatonApiClient, workflow: string, options: UpgradeApplyOptions, io: CliIo): Promise<ExitCode> {
  try {
    const result = await client.applyUpgrade(workflow, {
      from: options.from,
      to: options.to,
      ...(options.runIds && options.runIds.length > 0 ? { runIds: [...options.runIds] } : {}),
      ...(options.dryRun ? { dryRun: true } : {}),
    });
    if (options.json) printJson(io, result);
    else for (const line of formatUpgradeApply(workflow, result)) io.out(line);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** The audit as text, newest first. */
export function formatUpgradeAudit(audit: ListUpgradesResponse): string[] {
  if (audit.items.length === 0) return ['no upgrades recorded'];
  return ['AT  RUN  ENGINE  FROM  TO  OUTCOME  REASON  BY', ...audit.items.map((r) => [r.at, r.runId, r.engine, r.from, r.to, r.outcome, r.reason ?? '-', r.actor].join('  '))];
}

/** `baton upgrade audit <workflow> [--run <id>]`: the upgrade audit records of a workflow, newest first. */
export async function upgradeAuditCommand(client: BatonApiClient, workflow: string, options: { readonly runId?: string; readonly json?: boolean }, io: CliIo): Promise<ExitCode> {
  try {
    const audit = await client.listUpgrades(workflow, options.runId !== undefined ? { runId: options.runId } : {});
    if (options.json) printJson(io, audit);
    else for (const line of formatUpgradeAudit(audit)) io.out(line);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
