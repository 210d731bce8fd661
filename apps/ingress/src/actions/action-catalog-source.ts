import type { ActionCatalogItem } from '@baton/event-schemas';
import { describeAction, type ActionDescriptor, type AnyActionDefinition } from '@baton/runtime-core';

/** What publishing and `GET /v1/actions` read: the built-ins plus the live catalog. */
export interface ActionCatalogSource {
  /** Every action@version known now, sorted by action then version. */
  list(): Promise<ActionCatalogItem[]>;
}

/** A live catalog entry as the Postgres catalog lists it. */
export type LiveCatalogEntry = ActionDescriptor & { readonly providers: readonly Readonly<ActionCatalogItem['providers'][number]>[] };

/** Options of {@link createActionCatalogSource}. */
export interface ActionCatalogSourceOptions {
  /** Always part of the catalog, whether a live worker runs them or not. */
  readonly builtins: readonly AnyActionDefinition[];
  /** What live workers registered (the Postgres `action_catalog`). @default none */
  readonly live?: () => Promise<readonly LiveCatalogEntry[]>;
}

const byKey = (a: { action: string; version: number }, b: { action: string; version: number }) => a.action.localeCompare(b.action) || a.version - b.version;

/** The built-ins (described once) merged with the live catalog read on each call. */
export function createActionCatalogSource(options: ActionCatalogSourceOptions): ActionCatalogSource {
  const builtins = options.builtins.map(describeAction);
  return {
    async list() {
      const live = options.live ? await options.live() : [];
      const items = new Map<string, ActionCatalogItem>();
      for (const d of builtins) items.set(`${d.action}@${d.version}`, { ...d, providers: [] });
      for (const entry of live) {
        const key = `${entry.action}@${entry.version}`;
        const builtin = items.get(key);
        // A built-in keeps its own description and schemas; live workers only add providers.
        items.set(key, builtin ? { ...builtin, providers: [...entry.providers] } : { ...entry, providers: [...entry.providers] });
      }
      return [...items.values()].sort(byKey);
    },
  };
}
