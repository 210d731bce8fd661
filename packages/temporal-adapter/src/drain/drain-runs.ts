// POST /v1/deployments/drain: moves Temporal runs off a build (or the runs of a definition version)
// onto their deployment's current version with a pinned versioning override, each only after its own
// history replayed on the workflow code of this process (the target build): the bundle of the
// interpreter placement that recorded the history (`interpreterOfHistory`).
import type { Client } from '@temporalio/client';
import type { HistoryAndWorkflowId } from '@temporalio/common';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, type WorkflowBundle } from '@temporalio/worker';
import type { DeploymentVersionRef, DrainBody, DrainRefusal, DrainResult } from '@baton/event-schemas';
import type { RunRecord, RunStore } from '@baton/runtime-core';
import { interpreterOfHistory } from '../replay/history-interpreter.js';
import type { History } from '../replay/history-json.js';
import type { InterpreterMode } from '../worker/workflow-bundle.js';
import { workflowIdForRun } from '../workflows/workflow-messages.js';
import { describeRunPin, mapLimited, temporalUnavailable, unfinishedTemporalRuns, type RunPin } from './run-deployment-version.js';

/** Options of {@link createTemporalDrain}. */
export interface TemporalDrainOptions {
  readonly client: Pick<Client, 'workflow' | 'workflowService'>;
  /** the run projections, to find a tenant's unfinished Temporal runs */
  readonly runs: RunStore;
  /**
   * The workflow code runs are moved to: the bundle the target (current) build runs for an interpreter
   * placement (a history recorded in `localActivity` mode replays on that bundle). A run moves only
   * when its history replays on it. Called per drain and placement that has a run to replay.
   */
  readonly workflowBundle: (interpreter: InterpreterMode) => Promise<WorkflowBundle>;
  /** @default 'default' */
  readonly namespace?: string;
  /** how many of a tenant's newest unfinished Temporal runs one drain considers @default 500 */
  readonly batch?: number;
  /** recorded by Temporal with each override @default 'baton-drain' */
  readonly identity?: string;
}

/** The drain of one process. */
export interface TemporalDrain {
  /** `body` is a parsed {@link DrainBody}. */
  drain(tenant: string, body: DrainBody): Promise<DrainResult>;
  /** Step 4 of a drain alone (exposed for tests): pins a replayed run unless its history grew past `events`. */
  moveIfUnchanged(replayed: ReplayedRun): Promise<boolean>;
}

/** `PINNED_OVERRIDE_BEHAVIOR_PINNED` of the server API. */
const PINNED_OVERRIDE = 1;
const CONCURRENCY = 8;

type Refused = DrainResult['refused'][number];
type Moved = DrainResult['moved'][number];
interface Candidate {
  readonly run: RunRecord;
  readonly pin: RunPin;
  readonly target: DeploymentVersionRef;
}

/** A candidate whose history replayed: `events` events long. */
export interface ReplayedRun {
  readonly runId: string;
  readonly target: DeploymentVersionRef;
  readonly events: number;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Creates the drain: select, replay each run's own history on the target code, override the movable ones. */
export function createTemporalDrain(options: TemporalDrainOptions): TemporalDrain {
  const namespace = options.namespace ?? 'default';
  const batch = Math.max(1, options.batch ?? 500);
  const identity = options.identity ?? 'baton-drain';
  const service = options.client.workflowService;

  /** The current version of each deployment named, `null` when it has none (cached per drain). */
  function currentVersions(): (deploymentName: string) => Promise<DeploymentVersionRef | null> {
    const cache = new Map<string, Promise<DeploymentVersionRef | null>>();
    return (deploymentName) => {
      let found = cache.get(deploymentName);
      if (!found) {
        found = service.describeWorkerDeployment({ namespace, deploymentName }).then(
          ({ workerDeploymentInfo }) => {
            const current = workerDeploymentInfo?.routingConfig?.currentDeploymentVersion;
            return current?.buildId ? { deploymentName: current.deploymentName || deploymentName, buildId: current.buildId } : null;
          },
          (error: unknown) => {
            throw temporalUnavailable(`for deployment ${deploymentName}`, error);
          },
        );
        cache.set(deploymentName, found);
      }
      return found;
    };
  }

  /** Replays each candidate's own history on the target code; answers the replay error by run id. */
  async function replay(candidates: readonly Candidate[], refuse: (runId: string, reason: DrainRefusal, message: string) => void): Promise<(Candidate & { events: number })[]> {
    const histories: (HistoryAndWorkflowId & { candidate: Candidate; events: number })[] = [];
    for (const candidate of candidates) {
      const workflowId = workflowIdForRun(candidate.run.runId);
      try {
        const history = await options.client.workflow.getHandle(workflowId).fetchHistory();
        histories.push({ workflowId, history, candidate, events: history.events?.length ?? 0 });
      } catch (error) {
        refuse(candidate.run.runId, 'NOT_FOUND', `its history could not be read: ${messageOf(error)}`);
      }
    }
    const replayed: (Candidate & { events: number })[] = [];
    for (const interpreter of ['workflow', 'localActivity'] as const) {
      const group = histories.filter((h) => interpreterOfHistory(h.history as History) === interpreter);
      if (group.length === 0) continue;
      const workflowBundle = await options.workflowBundle(interpreter);
      let index = 0;
      for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'baton-drain' }, group)) {
        const { candidate, events } = group[index++]!;
        if (!result.error) {
          replayed.push({ ...candidate, events });
          continue;
        }
        const kind = result.error instanceof DeterminismViolationError ? 'non-determinism' : result.error.name;
        refuse(candidate.run.runId, 'REPLAY_FAILED', `its history does not replay on the target build's ${interpreter} workflow code (${kind}): ${result.error.message}`);
      }
    }
    return replayed;
  }

  /**
   * Pins the run to its target unless its history grew since it was replayed (the run made progress:
   * the replay did not cover its whole history); answers whether it moved.
   */
  async function moveIfUnchanged(replayed: ReplayedRun): Promise<boolean> {
    const handle = options.client.workflow.getHandle(workflowIdForRun(replayed.runId));
    const described = await handle.describe();
    if (described.historyLength > replayed.events) return false;
    await service.updateWorkflowExecutionOptions({
      namespace,
      workflowExecution: { workflowId: handle.workflowId, runId: described.runId },
      workflowExecutionOptions: { versioningOverride: { pinned: { behavior: PINNED_OVERRIDE, version: replayed.target } } },
      updateMask: { paths: ['versioning_override'] },
      identity,
    });
    return true;
  }

  return {
    moveIfUnchanged,
    async drain(tenant, body) {
      const refused: Refused[] = [];
      const refuse = (runId: string, reason: DrainRefusal, message: string) => void refused.push({ runId, reason, message });
      const runs = (await unfinishedTemporalRuns(options.runs, tenant, batch, body.workflow)).filter((r) => body.version === undefined || r.version === body.version);
      const pins = await mapLimited(runs, CONCURRENCY, (run) => describeRunPin(options.client, run.runId));
      const currentOf = currentVersions();
      const candidates: Candidate[] = [];
      for (const [i, run] of runs.entries()) {
        const pin = pins[i]!;
        if (pin.kind !== 'PINNED') {
          // a build drain selects by the pin; an unpinned run is not on that build
          if (body.buildId !== undefined) continue;
          if (pin.kind === 'NOT_PINNED') refuse(run.runId, 'NOT_PINNED', 'the run is not pinned to a build (AUTO_UPGRADE runs move to the current build by themselves)');
          else if (pin.kind === 'NOT_FOUND') refuse(run.runId, 'NOT_FOUND', 'Temporal has no workflow for the run');
          continue;
        }
        if (body.buildId !== undefined && pin.buildId !== body.buildId) continue;
        const target = await currentOf(pin.deploymentName);
        if (!target) refuse(run.runId, 'NO_CURRENT_VERSION', `deployment ${pin.deploymentName} has no current version to move to`);
        else if (target.buildId === pin.buildId) refuse(run.runId, 'ALREADY_ON_TARGET', `the run is pinned to ${pin.buildId}, the current version of ${pin.deploymentName}`);
        else candidates.push({ run, pin, target });
      }
      const movable = await replay(candidates, refuse);
      const moved: Moved[] = [];
      for (const candidate of movable) {
        const entry: Moved = {
          runId: candidate.run.runId,
          workflow: candidate.run.workflow,
          version: candidate.run.version,
          from: { deploymentName: candidate.pin.deploymentName, buildId: candidate.pin.buildId },
          to: candidate.target,
        };
        if (body.dryRun) {
          moved.push(entry);
          continue;
        }
        try {
          if (await moveIfUnchanged({ runId: candidate.run.runId, target: candidate.target, events: candidate.events })) moved.push(entry);
          else refuse(candidate.run.runId, 'HISTORY_CHANGED', 'the run made progress after its history was replayed; drain again');
        } catch (error) {
          refuse(candidate.run.runId, 'UPDATE_FAILED', `Temporal refused the versioning override: ${messageOf(error)}`);
        }
      }
      return { dryRun: body.dryRun ?? false, moved, refused, runsJudged: runs.length };
    },
  };
}
