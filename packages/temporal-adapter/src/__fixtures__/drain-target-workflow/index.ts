// The workflow code of a newer build for the drain test: the same workflow type, compatible with
// every recorded history except those of the definition named `drain.incompatible`, whose runs now
// start with a timer their histories never saw (a replay of them fails with a non-determinism error).
import { sleep } from '@temporalio/workflow';
import type { JsonValue } from '@baton/event-schemas';
import { batonRun as recordedBatonRun } from '../../workflows/baton-run.js';
import type { BatonRunArgs } from '../../workflows/run-args.js';

export async function batonRun(args: BatonRunArgs): Promise<JsonValue> {
  if (args.definition.name === 'drain.incompatible') await sleep(1);
  return recordedBatonRun(args);
}
