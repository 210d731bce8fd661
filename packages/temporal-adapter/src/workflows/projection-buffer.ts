// Collects projection changes between writes, so one activity (usually the next action call)
// carries them all. Sandbox-safe.
import type { RunWait, StepRecord } from '@baton/event-schemas';
import type { EventInboxRequest, RunProjectionPatch } from '@baton/runtime-core';
import type { ClosedTask, ClosedWait, ProjectionBatch, ResolvedTask } from './activity-contracts.js';

type OpenedTask = ProjectionBatch['openedTasks'][number];

function stepKey(step: StepRecord): string {
  return `${step.stepId}\u0000${step.iteration}`;
}

/** Pending projection changes of one run. */
export class ProjectionBuffer {
  #steps = new Map<string, StepRecord>();
  #openedWaits: RunWait[] = [];
  #openedTasks: OpenedTask[] = [];
  #closedWaits: ClosedWait[] = [];
  #resolvedTasks: ResolvedTask[] = [];
  #closedTasks: ClosedTask[] = [];
  #run: RunProjectionPatch | undefined;
  #inboxRequests: EventInboxRequest[] = [];

  constructor(
    private readonly tenant: string,
    private readonly runId: string,
  ) {}

  /** Keeps the latest record per (stepId, iteration). */
  addSteps(steps: readonly StepRecord[]): void {
    for (const step of steps) {
      const key = stepKey(step);
      this.#steps.delete(key);
      this.#steps.set(key, step);
    }
  }

  openWait(wait: RunWait): void {
    this.#openedWaits.push(wait);
  }

  /** An event wait opened: the write reads the inbox for it. */
  readInbox(request: EventInboxRequest): void {
    this.#inboxRequests.push(request);
  }

  /** True when the pending write reads the inbox (it must not be folded into an action call). */
  get readsInbox(): boolean {
    return this.#inboxRequests.length > 0;
  }

  openTask(task: OpenedTask): void {
    this.#openedTasks.push(task);
  }

  closeWait(closed: ClosedWait): void {
    this.#closedWaits.push(closed);
  }

  resolveTask(resolved: ResolvedTask): void {
    this.#resolvedTasks.push(resolved);
  }

  closeTask(closed: ClosedTask): void {
    this.#closedTasks.push(closed);
  }

  /** Merges a run patch into the pending one (later fields win). */
  patchRun(patch: RunProjectionPatch): void {
    this.#run = { ...this.#run, ...patch };
  }

  get isEmpty(): boolean {
    return (
      this.#steps.size === 0 &&
      this.#openedWaits.length === 0 &&
      this.#openedTasks.length === 0 &&
      this.#closedWaits.length === 0 &&
      this.#resolvedTasks.length === 0 &&
      this.#closedTasks.length === 0 &&
      this.#run === undefined &&
      this.#inboxRequests.length === 0
    );
  }

  /** Hands out the pending changes and starts over. */
  take(): ProjectionBatch {
    const batch: ProjectionBatch = {
      tenant: this.tenant,
      runId: this.runId,
      steps: [...this.#steps.values()],
      openedWaits: this.#openedWaits,
      openedTasks: this.#openedTasks,
      closedWaits: this.#closedWaits,
      resolvedTasks: this.#resolvedTasks,
      closedTasks: this.#closedTasks,
      ...(this.#run ? { run: this.#run } : {}),
      ...(this.#inboxRequests.length ? { inboxRequests: this.#inboxRequests } : {}),
    };
    this.#inboxRequests = [];
    this.#steps = new Map();
    this.#openedWaits = [];
    this.#openedTasks = [];
    this.#closedWaits = [];
    this.#resolvedTasks = [];
    this.#closedTasks = [];
    this.#run = undefined;
    return batch;
  }

  /** Puts back a batch whose write failed, ahead of anything collected since. */
  restore(batch: ProjectionBatch): void {
    const newerSteps = this.#steps;
    this.#steps = new Map();
    this.addSteps(batch.steps);
    this.addSteps([...newerSteps.values()]);
    this.#openedWaits = [...batch.openedWaits, ...this.#openedWaits];
    this.#openedTasks = [...batch.openedTasks, ...this.#openedTasks];
    this.#closedWaits = [...batch.closedWaits, ...this.#closedWaits];
    this.#resolvedTasks = [...batch.resolvedTasks, ...this.#resolvedTasks];
    this.#closedTasks = [...batch.closedTasks, ...this.#closedTasks];
    if (batch.run) this.#run = { ...batch.run, ...this.#run };
    this.#inboxRequests = [...(batch.inboxRequests ?? []), ...this.#inboxRequests];
  }
}
