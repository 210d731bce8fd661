import { Client, Connection } from '@temporalio/client';
import type { HealthCheck } from '../health/health-check.js';

/** Options of {@link connectTemporal}. */
export interface ConnectTemporalOptions {
  /** host:port of the Temporal frontend */
  readonly address: string;
  /** @default 'default' */
  readonly namespace?: string;
}

/** One shared Temporal connection and client (every signal of the ingress goes through it) and a reachability probe. */
export interface TemporalResources {
  readonly connection: Connection;
  readonly client: Client;
  readonly health: HealthCheck;
  close(): Promise<void>;
}

/** Connects to Temporal once for the whole process. */
export async function connectTemporal(options: ConnectTemporalOptions): Promise<TemporalResources> {
  const connection = await Connection.connect({ address: options.address });
  const namespace = options.namespace ?? 'default';
  const client = new Client({ connection, namespace });
  return {
    connection,
    client,
    health: {
      name: 'temporal',
      check: async () => {
        await connection.workflowService.describeNamespace({ namespace });
      },
    },
    close: () => connection.close(),
  };
}
