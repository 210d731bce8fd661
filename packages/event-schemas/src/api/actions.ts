import { z } from 'zod';
import { EngineKind } from '../engine-kind.js';
import { JsonValue } from '../json-value.js';

/** How many live workers of one engine provide an action. */
export const ActionProvider = z
  .object({ engine: EngineKind, workers: z.number().int().min(0) })
  .meta({ id: 'ActionProvider' });
export type ActionProvider = z.infer<typeof ActionProvider>;

/** One action@version of the live catalog. */
export const ActionCatalogItem = z
  .object({
    action: z.string(),
    version: z.number().int().min(1),
    description: z.string().optional(),
    inputSchema: JsonValue.describe('JSON Schema of the input (from the action’s zod schema)'),
    outputSchema: JsonValue.describe('JSON Schema of the output'),
    providers: z.array(ActionProvider).describe('Live workers providing it, per engine; empty for a built-in no live worker runs now'),
  })
  .meta({ id: 'ActionCatalogItem' });
export type ActionCatalogItem = z.infer<typeof ActionCatalogItem>;

/** Answer of `GET /v1/actions`: the built-ins plus what live workers registered, sorted by action and version. */
export const ListActionsResponse = z.object({ items: z.array(ActionCatalogItem) }).meta({ id: 'ListActionsResponse' });
export type ListActionsResponse = z.infer<typeof ListActionsResponse>;
