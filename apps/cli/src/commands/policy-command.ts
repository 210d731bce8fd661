import type { EnginePolicy, UpdatePolicyBody, VersionPolicy, WorkflowPolicy } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { describeEnginePolicy, describeVersionPolicy } from './policy-options.js';
import { printJson, reportError } from './report-api-error.js';

/** Options of `baton policy`: with neither policy it shows the current one. */
export interface PolicyOptions {
  readonly engine?: EnginePolicy;
  readonly versionPolicy?: VersionPolicy;
  readonly json?: boolean;
}

function printPolicy(policy: WorkflowPolicy, io: CliIo): void {
  io.out(`version policy  ${describeVersionPolicy(policy.versionPolicy)}`);
  io.out(`engine policy   ${describeEnginePolicy(policy.engine)}`);
}

/**
 * `baton policy <workflow> [--engine …] [--version-policy …]`: sets the given parts of the
 * workflow's policy (the others keep their value) and prints the result; without either, prints
 * the published versions and the current policy.
 */
export async function policyCommand(client: BatonApiClient, workflow: string, options: PolicyOptions, io: CliIo): Promise<ExitCode> {
  try {
    if (!options.engine && !options.versionPolicy) {
      const summary = await client.getWorkflow(workflow);
      if (options.json) {
        printJson(io, summary);
        return EXIT.ok;
      }
      io.out(`workflow        ${summary.name}`);
      io.out(`versions        ${summary.versions.map((v) => (v.retiredAt ? `${v.version} (retired)` : v.version)).join(', ') || '(none)'}`);
      printPolicy(summary.policy, io);
      return EXIT.ok;
    }
    const body: UpdatePolicyBody = {
      ...(options.versionPolicy ? { versionPolicy: options.versionPolicy } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
    };
    const policy = await client.setPolicy(workflow, body);
    if (options.json) {
      printJson(io, policy);
      return EXIT.ok;
    }
    io.out(`policy of ${workflow} updated`);
    printPolicy(policy, io);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
