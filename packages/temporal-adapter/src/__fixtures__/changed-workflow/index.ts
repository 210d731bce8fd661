// A deliberately changed Baton workflow for the determinism guard test: the same workflow
// type, but it starts with a timer the recorded histories never saw.
import { sleep } from '@temporalio/workflow';
import type { JsonValue } from '@baton/event-schemas';
import { batonRun as recordedBatonRun } from '../../workflows/baton-run.js';
import type { BatonRunArgs } from '../../workflows/run-args.js';

export async function batonRun(args: BatonRunArgs): Promise<JsonValue> {
  await sleep(1);
  return recordedBatonRun(args);
}
