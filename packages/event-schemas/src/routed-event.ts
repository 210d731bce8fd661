import { z } from 'zod';
import { JsonValue } from './json-value.js';

/** An event as delivered to a waiting run (what `event` is in an event.wait filter). */
export const RoutedEvent = z
  .object({
    eventId: z.string().min(1),
    eventName: z.string().min(1),
    correlationKey: z.string().min(1).describe('The resolved correlation key the event was routed by'),
    payload: JsonValue,
    receivedAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the ingress accepted the event; an event.wait takes only events received at or after its `since`'),
    sequence: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe("Entity workflows: the event's per-entity sequence number (its arrival order for the entity key)"),
  })
  .meta({ id: 'RoutedEvent' });
export type RoutedEvent = z.infer<typeof RoutedEvent>;
