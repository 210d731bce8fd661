import type { ActionCatalog } from '../definition-validation/semantic-checks.js';
import type { AnyActionDefinition } from './action-definition.js';

/** Thrown when two actions share an id@version. */
export class ActionRegistryError extends Error {
  override readonly name = 'ActionRegistryError';
  readonly code = 'DUPLICATE_ACTION';
}

/** The actions a worker can run, by id@version. */
export class ActionRegistry implements ActionCatalog {
  readonly #actions = new Map<string, AnyActionDefinition>();

  constructor(actions: Iterable<AnyActionDefinition> = []) {
    for (const action of actions) this.register(action);
  }

  /** Adds an action; an id@version already present is an error. */
  register(action: AnyActionDefinition): this {
    const key = `${action.id}@${action.version}`;
    if (this.#actions.has(key)) throw new ActionRegistryError(`action ${key} is already registered`);
    this.#actions.set(key, action);
    return this;
  }

  /** The action id@version, if registered. */
  get(id: string, version: number): AnyActionDefinition | undefined {
    return this.#actions.get(`${id}@${version}`);
  }

  /** True when id@version is registered. */
  has(id: string, version: number): boolean {
    return this.#actions.has(`${id}@${version}`);
  }

  /** Every registered action, sorted by id then version. */
  list(): AnyActionDefinition[] {
    return [...this.#actions.values()].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  }
}
