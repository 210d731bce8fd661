import crypto from 'node:crypto';
import type { JsonValue } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';

/** Options of `baton event`. */
export interface EventOptions {
  readonly payload: JsonValue;
  /** explicit correlation key */
  readonly key?: string;
  /** event id @default a random UUID */
  readonly id?: string;
  readonly occurredAt?: string;
}

/** `baton event <name> --payload <json> [--key K]`: sends one event and prints where it was routed. */
export async function eventCommand(client: BatonApiClient, eventName: string, options: EventOptions, io: CliIo): Promise<ExitCode> {
  try {
    const answer = await client.sendEvent({
      eventId: options.id ?? crypto.randomUUID(),
      eventName,
      payload: options.payload,
      ...(options.key === undefined ? {} : { correlationKey: options.key }),
      ...(options.occurredAt === undefined ? {} : { occurredAt: options.occurredAt }),
    });
    io.out(
      `event ${answer.eventId}${answer.duplicate ? ' (duplicate: not routed again)' : ''}  key=${answer.correlationKey ?? '-'} (${answer.correlationSource})`,
    );
    for (const r of answer.routed) io.out(`  resumed run ${r.runId} (${r.engine})`);
    for (const s of answer.startedRuns) io.out(`  ${s.created ? 'started' : 'already started'} run ${s.runId}  ${s.workflow}@${s.version} (${s.engine})`);
    if (!answer.duplicate && answer.routed.length === 0 && answer.startedRuns.length === 0) io.out('  no waiting run matched and no workflow is triggered by it');
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io);
  }
}
