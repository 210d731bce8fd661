import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Where an event came from. */
export const EventSource = {
  HTTP: 'http',
  STREAM: 'stream',
} as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** Options of {@link createIngressMetrics}. */
export interface IngressMetricsOptions {
  /** also collect the Node process metrics (heap, event loop lag, ...) @default true */
  readonly processMetrics?: boolean;
}

/** The ingress's Prometheus metrics, in their own registry (several apps may live in one process). */
export interface IngressMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /** every event received, duplicates included */
  readonly eventsReceived: Counter<'source'>;
  readonly eventsDuplicate: Counter<'source'>;
  /** events that resumed at least one run */
  readonly eventsRouted: Counter<'source'>;
  /** events that resumed no run (no candidate wait, or no correlation key) */
  readonly eventsUnrouted: Counter<'source' | 'reason'>;
  /** deliveries to runs, by the run's engine */
  readonly runsResumed: Counter<'engine'>;
  readonly runsStarted: Counter<'engine'>;
  /** events whose routing hit an error (retryable ones are routed again on redelivery) */
  readonly eventsFailed: Counter<'source' | 'retryable'>;
  readonly routingSeconds: Histogram<'source'>;
  readonly streamEntries: Counter<'outcome'>;
  /** shadow comparisons this process filed (a read of a primary that found its pair unfiled), by `MATCH`/`DIFFERENT` */
  readonly shadowComparisons: Counter<'result'>;
}

/** Creates the ingress metrics in a fresh registry. */
export function createIngressMetrics(options: IngressMetricsOptions = {}): IngressMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'baton_ingress_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'baton_ingress_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'baton_ingress_http_request_duration_seconds',
      help: 'HTTP request duration, by method and route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    eventsReceived: new Counter({ name: 'baton_ingress_events_received_total', help: 'Events received (duplicates included)', labelNames: ['source'], registers }),
    eventsDuplicate: new Counter({ name: 'baton_ingress_events_duplicate_total', help: 'Events already processed for the tenant (nothing routed again)', labelNames: ['source'], registers }),
    eventsRouted: new Counter({ name: 'baton_ingress_events_routed_total', help: 'Events that resumed at least one run', labelNames: ['source'], registers }),
    eventsUnrouted: new Counter({
      name: 'baton_ingress_events_unrouted_total',
      help: 'Events that resumed no run, by reason (no_wait, correlation_key_missing)',
      labelNames: ['source', 'reason'],
      registers,
    }),
    shadowComparisons: new Counter({
      name: 'baton_shadow_comparisons_total',
      help: 'Shadow comparisons filed (a primary and its shadow both finished), by result (MATCH, DIFFERENT)',
      labelNames: ['result'],
      registers,
    }),
    runsResumed: new Counter({ name: 'baton_ingress_event_deliveries_total', help: 'Event deliveries to waiting runs, by engine', labelNames: ['engine'], registers }),
    runsStarted: new Counter({ name: 'baton_ingress_triggered_runs_total', help: 'Runs started by event triggers, by engine', labelNames: ['engine'], registers }),
    eventsFailed: new Counter({
      name: 'baton_ingress_events_failed_total',
      help: 'Events whose routing reported errors; retryable ones stay unprocessed and are routed again on redelivery',
      labelNames: ['source', 'retryable'],
      registers,
    }),
    routingSeconds: new Histogram({
      name: 'baton_ingress_event_routing_seconds',
      help: 'Time to route one event (dedupe, correlation, deliveries, triggers, audit)',
      labelNames: ['source'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    streamEntries: new Counter({
      name: 'baton_ingress_stream_entries_total',
      help: 'Redis stream entries handled, by outcome (acked, retried, dead_lettered, reclaimed)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
