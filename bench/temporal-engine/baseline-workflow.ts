// The hand-written baseline: the same action activity the Baton workflow uses (core.echo
// through `batonRunAction`, with the same options), called 10 times in a row, no interpreter
// and no projection.
import { proxyActivities } from '@temporalio/workflow';
import type { BatonActivities } from '@baton/temporal-adapter';

const { batonRunAction } = proxyActivities<Pick<BatonActivities, 'batonRunAction'>>({
  startToCloseTimeout: 310_000,
  retry: { maximumAttempts: 1 },
});

/** Input of {@link baselineEcho}. */
export interface BaselineInput {
  readonly tenant: string;
  readonly runId: string;
  readonly steps: number;
  readonly value: unknown;
}

/** Echoes `value` through `steps` action calls and returns it. */
export async function baselineEcho(input: BaselineInput): Promise<unknown> {
  let value = input.value as never;
  for (let step = 1; step <= input.steps; step += 1) {
    const stepId = `s${step}`;
    const { output } = await batonRunAction({
      tenant: input.tenant,
      runId: input.runId,
      command: {
        type: 'RunAction',
        commandId: `${input.runId}:${stepId}:0:1`,
        stepId,
        path: stepId,
        action: 'core.echo',
        actionVersion: 1,
        input: value,
        attempt: 1,
        idempotencyKey: `${input.tenant}:${input.runId}:${stepId}:0`,
      },
    });
    value = output as never;
  }
  return value;
}
