import { z } from 'zod';

/**
 * Which engine new runs of a workflow go to: always Postgres (`db`), always `temporal`, or a
 * percentage to Temporal decided by a stable hash of `tenant:workflow:executionKey` (`percent`).
 */
export const EnginePolicy = z.discriminatedUnion('type', [
  z.object({ type: z.literal('db') }).strict(),
  z.object({ type: z.literal('temporal') }).strict(),
  z.object({ type: z.literal('percent'), temporalPercent: z.number().finite().min(0).max(100) }).strict(),
]);
export type EnginePolicy = z.infer<typeof EnginePolicy>;
