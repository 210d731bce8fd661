// The DBOS Transact side of the benchmark: the same 10-step echo workflow, each step a
// checkpointed `DBOS.runStep`, in its own system-database schema of the same Postgres.
import { DBOS } from '@dbos-inc/dbos-sdk';
import type { JsonValue } from '@baton/event-schemas';

/** Steps of the workflow. */
export const STEPS = 10;

async function echo(value: JsonValue): Promise<JsonValue> {
  return value;
}

/** The 10-step workflow: each step's output is recorded before the next step runs. */
export const tenEchoes = DBOS.registerWorkflow(
  async (input: JsonValue, nested: boolean): Promise<JsonValue> => {
    const outputs: Record<string, JsonValue> = {};
    let previous: JsonValue = nested ? input : (input as { i: number }).i;
    for (let i = 1; i <= STEPS; i++) {
      const value: JsonValue = nested ? { step: i, run: DBOS.workflowID ?? null, input: previous } : { step: i, run: DBOS.workflowID ?? null, after: previous };
      const output = (await DBOS.runStep(() => echo(value), { name: `s${i}` })) as { step: number };
      outputs[`s${i}`] = output;
      previous = nested ? output : output.step;
    }
    return outputs;
  },
  { name: 'bench.ten-echoes' },
);

/** Configures and launches DBOS on `url`, its tables in `schema`. */
export async function launchDbos(url: string, schema: string, poolSize: number): Promise<void> {
  DBOS.setConfig({ name: 'baton-bench', systemDatabaseUrl: url, systemDatabaseSchemaName: schema, systemDatabasePoolSize: poolSize, logLevel: 'error' });
  await DBOS.launch();
}

/** Starts one workflow and waits for its result. */
export async function runDbosWorkflow(input: JsonValue, nested = false): Promise<void> {
  const handle = await DBOS.startWorkflow(tenEchoes)(input, nested);
  await handle.getResult();
}

/** Shuts DBOS down. */
export async function shutdownDbos(): Promise<void> {
  await DBOS.shutdown();
}
