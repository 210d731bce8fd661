import { BatonError } from '../../errors/baton-error.js';
import { ErrorCode } from '../../errors/error-code.js';
import type { HumanTaskRecord, NewHumanTask, TaskCompletion, TaskListQuery, TaskStore } from '../task-store.js';
import { tenantKey } from './tenant-key.js';

type Mutable<T> = { -readonly [P in keyof T]: T[P] };

/** A {@link TaskStore} in process memory, for tests and the reference harness. */
export class InMemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, HumanTaskRecord>();

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
    this.#tasks.set(key, done);
    return structuredClone(done);
  }

  async reopen(tenant: string, taskId: string): Promise<void> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (!task || task.status !== 'COMPLETED') return;
    const { response: _response, completedAt: _completedAt, completedBy: _completedBy, ...open } = task;
    this.#tasks.set(key, { ...open, status: 'OPEN' });
  }

  async close(tenant: string, taskId: string, at: string): Promise<boolean> {
    const key = tenantKey(tenant, taskId);
    const task = this.#tasks.get(key);
    if (!task || task.status !== 'OPEN') return false;
    this.#tasks.set(key, { ...task, status: 'CANCELED', completedAt: at });
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
