import type { HumanTaskCompletion } from '../engine/workflow-engine.js';
import { isBatonError } from '../errors/baton-error.js';
import { ErrorCode } from '../errors/error-code.js';
import type { RunRecord } from '../ports/run-store.js';
import { counterpartId } from '../shadow/shadow-link.js';
import { withRunEngine } from './engine-binding.js';
import type { RuntimeContext } from './runtime-context.js';

/** How long a mirrored completion keeps trying to reach a shadow whose task is not open yet. */
const MIRROR_DEADLINE_MS = 60_000;
const MIRROR_RETRY_MS = 200;

/**
 * Hands the primary's task completion to its shadow (the same response, to the shadow's task at
 * the same step attempt). The shadow may not have reached its task yet: the hand-off is retried
 * until the shadow takes it, refuses it for good (its form check) or the deadline passes. It never
 * delays or fails the primary's completion.
 */
export function mirrorTaskCompletion(ctx: RuntimeContext, primary: RunRecord, completion: HumanTaskCompletion): void {
  if (primary.shadow?.role !== 'primary') return;
  const shadow = { tenant: primary.tenant, runId: primary.shadow.shadowRunId, engine: primary.shadow.shadowEngine };
  const mirrored: HumanTaskCompletion = { ...completion, taskId: counterpartId(completion.taskId, primary.runId, shadow.runId) };
  const deadline = Date.now() + MIRROR_DEADLINE_MS;
  const attempt = async (): Promise<void> => {
    for (;;) {
      try {
        await withRunEngine(ctx.engines, shadow, (engine, ref) => engine.completeHumanTask(ref, mirrored));
        return;
      } catch (err) {
        if (isBatonError(err, ErrorCode.VALIDATION_ERROR) || Date.now() > deadline) return;
      }
      await new Promise((resolve) => setTimeout(resolve, MIRROR_RETRY_MS));
    }
  };
  void attempt();
}
