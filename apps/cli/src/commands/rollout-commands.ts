import type { ShadowReport } from '@baton/event-schemas';
import { ApiError } from '../api/api-error.js';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { describeGate, describeRollback, describeShadow, formatFigures, formatGateRefusal, formatHistory, formatShadowReport } from '../output/rollout-format.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { describeEnginePolicy } from './policy-options.js';
import { printJson, reportError } from './report-api-error.js';

/** `--json`. */
export interface JsonOption {
  readonly json?: boolean;
}

/** The shadow report, or `undefined` when this ingress has no shadow route (404 `NOT_FOUND`, an older ingress). */
async function shadowReportIfServed(client: BatonApiClient, workflow: string): Promise<ShadowReport | undefined> {
  try {
    return await client.getShadowReport(workflow);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404 && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * `baton rollout status <workflow>`: the engine policy, shadow, rollout gate and rollback rule, the
 * shadow report's figures, and the policy history. An ingress without the shadow route still
 * answers the rest (`shadow report  not served by this ingress`).
 */
export async function rolloutStatusCommand(client: BatonApiClient, workflow: string, options: JsonOption, io: CliIo): Promise<ExitCode> {
  try {
    const summary = await client.getWorkflow(workflow);
    const report = await shadowReportIfServed(client, workflow);
    if (options.json) {
      printJson(io, { ...summary, shadowReport: report ?? null });
      return EXIT.ok;
    }
    const { policy } = summary;
    io.out(`workflow        ${summary.name}`);
    io.out(`engine policy   ${describeEnginePolicy(policy.engine)}`);
    io.out(`shadow          ${describeShadow(policy.shadow)}`);
    io.out(`rollout gate    ${describeGate(policy.rolloutGate)}`);
    io.out(`rollback        ${describeRollback(policy.rollback)}`);
    if (report) {
      const [counts, latency] = formatFigures(report);
      io.out(`shadow report   ${counts}`);
      io.out(`                ${latency}`);
      if (report.differences.length) io.out(`                ${report.differences.length} recent difference(s): baton shadow ${workflow}`);
    } else {
      io.out('shadow report   not served by this ingress (GET /v1/workflows/:name/shadow answered 404)');
    }
    io.out('');
    io.out(formatHistory(summary.history));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** Options of `baton rollout set`. */
export interface RolloutSetOptions extends JsonOption {
  readonly temporalPercent: number;
  readonly force?: boolean;
  readonly reason?: string;
}

/**
 * `baton rollout set <workflow> --temporal-percent N [--force] [--reason …]`: sets Temporal's share of
 * new runs. Raising it past an unmet rollout gate is refused (409 `ROLLOUT_GATE_NOT_MET`, printed
 * with the gate, the measured figures and each unmet condition; exit 1) unless `--force`.
 */
export async function rolloutSetCommand(client: BatonApiClient, workflow: string, options: RolloutSetOptions, io: CliIo): Promise<ExitCode> {
  try {
    const policy = await client.setPolicy(
      workflow,
      { engine: { type: 'percent', temporalPercent: options.temporalPercent }, ...(options.reason ? { reason: options.reason } : {}) },
      { force: options.force ?? false },
    );
    if (options.json) {
      printJson(io, policy);
      return EXIT.ok;
    }
    io.out(`engine policy of ${workflow}: ${describeEnginePolicy(policy.engine)}${options.force ? ' (--force: recorded as forced if the gate was not met)' : ''}`);
    return EXIT.ok;
  } catch (error) {
    const code = reportError(error, io, options);
    if (!options.json && error instanceof ApiError && error.code === 'ROLLOUT_GATE_NOT_MET') for (const line of formatGateRefusal(error.details)) io.err(line);
    return code;
  }
}

/**
 * `baton rollout rollback <workflow> [--reason …]`: sets Temporal's share of new runs to 0 (a PUT of
 * the engine policy `percent: 0`, never gated), recorded in the policy history with the reason
 * (default "manual"). Running runs keep their engine.
 */
export async function rolloutRollbackCommand(client: BatonApiClient, workflow: string, options: JsonOption & { readonly reason?: string }, io: CliIo): Promise<ExitCode> {
  try {
    const policy = await client.setPolicy(workflow, { engine: { type: 'percent', temporalPercent: 0 }, reason: options.reason ?? 'manual' });
    if (options.json) {
      printJson(io, policy);
      return EXIT.ok;
    }
    io.out(`rolled back ${workflow}: new runs go to db (temporal 0%); running runs keep their engine; recorded in the policy history`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}

/** `baton shadow <workflow>`: the shadow report, its differences as a table. */
export async function shadowCommand(client: BatonApiClient, workflow: string, options: JsonOption, io: CliIo): Promise<ExitCode> {
  try {
    const report = await client.getShadowReport(workflow);
    if (options.json) {
      printJson(io, report);
      return EXIT.ok;
    }
    for (const line of formatShadowReport(report)) io.out(line);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
