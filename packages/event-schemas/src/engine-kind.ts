import { z } from 'zod';

/** The engine that has authority over a run: `db` (Postgres) or `temporal`. */
export const EngineKind = z.enum(['db', 'temporal']);
export type EngineKind = z.infer<typeof EngineKind>;
