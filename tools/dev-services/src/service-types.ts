/** The services Baton's tests, CLI and CI can start. */
export const ServiceName = { postgres: 'postgres', redis: 'redis', temporal: 'temporal' } as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];

/** Where a running service came from. */
export type ServiceSource =
  /** given by the environment (`DATABASE_URL`, `REDIS_URL`, `TEMPORAL_ADDRESS`); never stopped by us */
  | 'external'
  /** started earlier by another `up` and still alive */
  | 'reused'
  /** started by this call */
  | 'started';

/** A service that answers, with the environment variables that reach it. */
export interface ServiceHandle {
  readonly name: ServiceName;
  readonly source: ServiceSource;
  /** e.g. `{ DATABASE_URL: 'postgres://...' }` */
  readonly env: Readonly<Record<string, string>>;
  /** how it was provided, for humans: "system PostgreSQL 15 (/usr/lib/postgresql/15/bin)" */
  readonly provider: string;
  /** extra URLs for humans, e.g. the Temporal Web UI */
  readonly urls?: Readonly<Record<string, string>>;
}

/** What a started service records in its state file so later calls can reuse or stop it. */
export interface ServiceState {
  readonly pid?: number;
  readonly port: number;
  readonly env: Record<string, string>;
  readonly provider: string;
  readonly urls?: Record<string, string>;
  readonly extra?: Record<string, unknown>;
}
