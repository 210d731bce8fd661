import { BatonError } from '../../errors/baton-error.js';
import { ErrorCode } from '../../errors/error-code.js';
import type { TaskCloseReason } from '@baton/event-schemas';
import type { HumanTaskRecord, NewHumanTask, TaskCompletion, TaskListQuery, TaskStore } from '../task-store.js';
import { tenantKey } from './tenant-key.js';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/** A {@link TaskStore} in process memory, for tests and the reference harness. */
export class InMemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, HumanTaskRecord>();
  readonly #handoffDue = new Map<string, string>();

  async open(tenant: string, task: NewHumanTask): Promise<void> {
    const key = tenantKey(tenant, task.taskId);
    if (!this.#tasks.has(key)) this.#tasks.set(key, structuredClone({ ...task, tenant, status: 'OPEN' }));
  }

  async get(tenant: string, taskId: string): Promise<HumanTaskRecord | undefined> {
    const found = this.#tasks.get(tenantKey(tenant, taskId));
    return found && structuredClone(found);
  }

  async list(tenant: string, query: TaskListQuery): Promise<readonly HumanTaskRecord[]> {
    return [...this.#tasks.values()]
      .filter((t) => t.tenant === tenant)
      .filter((t) => query.status === undefined || t.status === query.status)
      .filter((t) => query.runId === undefined || t.runId === query.runId)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((t) => structuredClone(t));
  }

  async complete(tenant: string, taskId: string, completion: TaskCompletion): Promise<HumanTaskRecord> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (!task) throw new BatonError(ErrorCode.TASK_NOT_FOUND, `task ${taskId} not found`, { details: { taskId } });
    if (task.status !== 'OPEN') {
      throw new BatonError(ErrorCode.TASK_ALREADY_COMPLETED, `task ${taskId} is ${task.status.toLowerCase()}`, {
        details: { taskId, status: task.status },
      });
    }
    const done: Mutable<HumanTaskRecord> = { ...task, status: 'COMPLETED', response: structuredClone(completion.response), completedAt: completion.completedAt };
    if (completion.completedBy !== undefined) done.completedBy = completion.completedBy;
    if (completion.handoff) {
      done.handoff = 'PENDING';
      done.handoffAttempts = 0;
      this.#handoffDue.set(key, completion.handoff.dueAt);
    }
    this.#tasks.set(key, done);
    return structuredClone(done);
  }

  async reopen(tenant: string, taskId: string): Promise<void> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (!task || task.status !== 'COMPLETED') return;
    const { response: _response, completedAt: _completedAt, completedBy: _completedBy, handoff: _handoff, handoffAttempts: _attempts, handoffError: _error, ...open } = task;
    this.#tasks.set(key, { ...open, status: 'OPEN' });
    this.#handoffDue.delete(key);
  }

  async settleHandoff(tenant: string, taskId: string, outcome: 'DELIVERED' | 'REFUSED', error?: string): Promise<void> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (task?.handoff !== 'PENDING') return;
    this.#tasks.set(key, { ...task, handoff: outcome, ...(error !== undefined ? { handoffError: error } : {}) });
    this.#handoffDue.delete(key);
  }

  async claimHandoffs(now: string, retryAt: string, limit: number): Promise<readonly HumanTaskRecord[]> {
    const due = [...this.#handoffDue.entries()]
      .filter(([, at]) => Date.parse(at) <= Date.parse(now))
      .map(([key]) => this.#tasks.get(key)!)
      .sort((a, b) => (a.completedAt! < b.completedAt! ? -1 : a.completedAt! > b.completedAt! ? 1 : 0))
      .slice(0, limit);
    return due.map((task) => {
      const key = tenantKey(task.tenant, task.taskId);
      const claimed = { ...task, handoffAttempts: (task.handoffAttempts ?? 0) + 1 };
      this.#tasks.set(key, claimed);
      this.#handoffDue.set(key, retryAt);
      return structuredClone(claimed);
    });
  }

  async noteHandoffFailure(tenant: string, taskId: string, error: string): Promise<void> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (task?.handoff === 'PENDING') this.#tasks.set(key, { ...task, handoffError: error });
  }

  async close(tenant: string, taskId: string, at: string, reason: TaskCloseReason = 'CANCELED'): Promise<boolean> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (!task) return false;
    const lostCompletion = task.status === 'COMPLETED' && task.handoff === 'PENDING';
    if (task.status !== 'OPEN' && !lostCompletion) return false;
    const { response: _response, completedBy: _completedBy, ...rest } = task;
    this.#tasks.set(key, { ...rest, status: 'CANCELED', closeReason: reason, completedAt: at, ...(lostCompletion ? { handoff: 'REFUSED' as const, handoffError: `TASK_ALREADY_CLOSED: ${reason}` } : {}) });
    this.#handoffDue.delete(key);
    return true;
  }

  async cancelForRun(tenant: string, runId: string, at: string): Promise<number> {
    let closed = 0;
    for (const task of [...this.#tasks.values()]) {
      if (task.tenant === tenant && task.runId === runId && (await this.close(tenant, task.taskId, at))) closed += 1;
    }
    return closed;
  }
}
