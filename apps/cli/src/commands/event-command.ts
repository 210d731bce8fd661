import crypto from 'node:crypto';
import type { JsonValue } from '@baton/event-schemas';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson, reportError } from './report-api-error.js';

/** Options of `baton event`. */
export interface EventOptions {
  readonly payload: JsonValue;
  /** explicit correlation key (`--correlation-key`) */
  readonly correlationKey?: string;
  /** event id @default a random UUID */
  readonly id?: string;
  readonly occurredAt?: string;
  readonly json?: boolean;
}

/** `baton event <name> --payload <json> [--correlation-key K]`: sends one event and prints where it was routed. */
export async function eventCommand(client: BatonApiClient, eventName: string, options: EventOptions, io: CliIo): Promise<ExitCode> {
  try {
    const answer = await client.sendEvent({
      eventId: options.id ?? crypto.randomUUID(),
      eventName,
      payload: options.payload,
      ...(options.correlationKey === undefined ? {} : { correlationKey: options.correlationKey }),
      ...(options.occurredAt === undefined ? {} : { occurredAt: options.occurredAt }),
    });
    if (options.json) {
      printJson(io, answer);
      return EXIT.ok;
    }
    io.out(
      `event ${answer.eventId}${answer.duplicate ? ' (duplicate: not routed again)' : ''}  key=${answer.correlationKey ?? '-'} (${answer.correlationSource})`,
    );
    for (const r of answer.routed) io.out(`  resumed run ${r.runId} (${r.engine})`);
    for (const s of answer.startedRuns) io.out(`  ${s.created ? 'started' : 'already started'} run ${s.runId}  ${s.workflow}@${s.version} (${s.engine})`);
    if (!answer.duplicate && answer.routed.length === 0 && answer.startedRuns.length === 0) io.out('  no waiting run matched and no workflow is triggered by it');
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options);
  }
}
