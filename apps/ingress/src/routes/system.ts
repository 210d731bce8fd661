import { HealthResponse } from '@baton/event-schemas';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runHealthChecks, type HealthCheck } from '../health/health-check.js';
import type { IngressMetrics } from '../metrics/ingress-metrics.js';

/** Options of {@link systemRoutes}. */
export interface SystemRoutesOptions {
  readonly health: readonly HealthCheck[];
  readonly metrics: IngressMetrics;
}

/** `GET /healthz` and `GET /metrics`: no key needed, no tenant data. */
export const systemRoutes: FastifyPluginAsyncZod<SystemRoutesOptions> = async (app, { health, metrics }) => {
  app.get('/healthz', {
    schema: {
      summary: 'Reachability of the database (and Temporal, when configured)',
      tags: ['system'],
      security: [],
      response: { 200: HealthResponse, 503: HealthResponse },
    },
    handler: async (_request, reply) => {
      const report = await runHealthChecks(health);
      return reply.code(report.status === 'ok' ? 200 : 503).send(report);
    },
  });

  app.get('/metrics', {
    schema: {
      summary: 'Prometheus metrics',
      tags: ['system'],
      security: [],
      produces: ['text/plain'],
      response: { 200: z.string().describe('Prometheus text exposition format') },
    },
    handler: async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  });
};
