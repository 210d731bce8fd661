import { z } from 'zod';

/** Answer of `GET /healthz` (200 when every configured dependency answers, else 503). */
export const HealthResponse = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z
      .record(z.string(), z.object({ ok: z.boolean(), message: z.string().optional() }))
      .describe('Per dependency, e.g. {"database": {"ok": true}, "temporal": {"ok": true}}'),
  })
  .meta({ id: 'HealthResponse' });
export type HealthResponse = z.infer<typeof HealthResponse>;
