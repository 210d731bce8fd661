import type { FastifyInstance } from 'fastify';
import type { IngressMetrics } from './ingress-metrics.js';

/** Counts every answered request by method, route pattern (never the raw URL: bounded labels) and status. */
export function registerRequestMetrics(app: FastifyInstance, metrics: IngressMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
