export { buildIngressApp, type IngressApp, type IngressAppDeps } from './app/build-app.js';
export type { IngressRuntime, EventDeliveryResult } from './app/ingress-runtime.js';
export { repairSharedRefs } from './app/openapi-document.js';
export { createApiKeyTable, parseApiKeys, TENANT_PATTERN, type ApiKeyTable } from './auth/api-keys.js';
export {
  loadIngressConfig,
  IngressEnv,
  IngressConfigError,
  INGRESS_DEFAULTS,
  type IngressConfig,
  type StreamSettings,
  type ConfigIssue,
} from './config/ingress-config.js';
export { errorResponseOf } from './errors/error-handler.js';
export { createEventRouter, type EventRouter, type EventRouterOptions } from './events/event-router.js';
export { runHealthChecks, type HealthCheck } from './health/health-check.js';
export { createIngressMetrics, EventSource, type IngressMetrics, type IngressMetricsOptions } from './metrics/ingress-metrics.js';
export { createEventStreamConsumer, type EventStreamConsumer, type EventStreamConsumerOptions } from './stream/event-stream-consumer.js';
export { STREAM_FIELD, MalformedEntryCode, parseStreamEntry, entryFields, type ParsedStreamEntry, type StreamEntryRules } from './stream/stream-entry.js';
export { STREAM_SIGNATURE, streamSigningKey, signStreamEntry, verifyStreamEntry, signedStreamEntryFields } from './stream/stream-signature.js';
export { DEAD_LETTER_FIELD, type DeadLetterReason } from './stream/dead-letter.js';
export { createIngressProcess, type IngressProcess, type IngressProcessOptions } from './wiring/create-ingress-process.js';
export { openPostgres, type PostgresResources, type OpenPostgresOptions } from './wiring/postgres-resources.js';
export { connectTemporal, type TemporalResources, type ConnectTemporalOptions } from './wiring/temporal-resources.js';
