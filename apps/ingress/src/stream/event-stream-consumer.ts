import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { ErrorCode, isBatonError } from '@baton/runtime-core';
import type { EventRouter } from '../events/event-router.js';
import { EventSource, type IngressMetrics } from '../metrics/ingress-metrics.js';
import { deadLetterFields, type DeadLetterReason } from './dead-letter.js';
import { entryFields, parseStreamEntry } from './stream-entry.js';

/** Options of {@link createEventStreamConsumer}. */
export interface EventStreamConsumerOptions {
  /** Connection for acks, claims and dead letters; a duplicate is opened for the blocking reads. The caller closes it. */
  readonly redis: Redis;
  readonly router: EventRouter;
  readonly stream: string;
  readonly group: string;
  /** this consumer's name in the group (unique per process) */
  readonly consumer: string;
  /** @default `${stream}:dead` */
  readonly deadLetterStream?: string;
  /** deliveries after which a failing entry is dead-lettered @default 5 */
  readonly maxAttempts?: number;
  /** an entry pending this long (its consumer died or failed it) is claimed again @default 30_000 */
  readonly reclaimIdleMs?: number;
  /** entries read per call @default 64 */
  readonly batchSize?: number;
  /** how long one read blocks waiting for entries @default 2_000 */
  readonly blockMs?: number;
  /** entries of a batch routed at once @default 8 */
  readonly concurrency?: number;
  /**
   * the tenants of `BATON_API_KEYS` and the stream signing keys of their API keys (`ApiKeyTable.streamSigningKeys`):
   * an entry of another tenant, or without a signature one of its tenant's keys made, is dead-lettered and routes nothing
   */
  readonly signingKeys: ReadonlyMap<string, readonly Buffer[]>;
  /** deepest nesting of an entry's event JSON (deeper: dead-lettered) @default JSON_SHAPE_DEFAULTS.maxDepth */
  readonly maxJsonDepth?: number;
  /** where a new group starts: `0` = the whole stream, `$` = new entries only @default '0' */
  readonly startId?: '0' | '$';
  readonly metrics?: IngressMetrics;
  readonly logger: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error' | 'debug'>;
}

/** A Redis Streams consumer-group reader feeding the event router. */
export interface EventStreamConsumer {
  /** Creates the group if needed and starts reading in the background. */
  start(): Promise<void>;
  /** Stops reading, lets entries being routed finish (and be acked), closes the reading connection. */
  stop(): Promise<void>;
  readonly running: boolean;
}

/** Error codes a later delivery may not hit again (engine down, database hiccup). */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([ErrorCode.ENGINE_UNAVAILABLE, ErrorCode.ENGINE_DELIVERY_FAILED, ErrorCode.INTERNAL]);

type StreamEntry = [id: string, fields: string[]];
type ReadReply = [stream: string, entries: StreamEntry[]][] | null;
type ClaimReply = [next: string, entries: StreamEntry[], deleted?: string[]];

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/**
 * Creates the event stream consumer: reads `stream` as member `consumer` of `group`, routes each
 * entry (`tenant`, `event` fields) and acks it only after routing finished. An entry whose routing
 * failed stays pending and is claimed again (`XAUTOCLAIM`) once idle for `reclaimIdleMs`; after
 * `maxAttempts` deliveries, or at once when malformed, it moves to the dead-letter stream with the error.
 */
export function createEventStreamConsumer(options: EventStreamConsumerOptions): EventStreamConsumer {
  const { redis, router, stream, group, consumer, logger, metrics } = options;
  const deadLetterStream = options.deadLetterStream ?? `${stream}:dead`;
  const maxAttempts = options.maxAttempts ?? 5;
  const reclaimIdleMs = options.reclaimIdleMs ?? 30_000;
  const batchSize = options.batchSize ?? 64;
  const blockMs = options.blockMs ?? 2_000;
  const concurrency = options.concurrency ?? 8;
  const reclaimEveryMs = Math.max(50, Math.floor(reclaimIdleMs / 2));

  let reader: Redis | undefined;
  let loop: Promise<void> | undefined;
  let stopping = false;
  let wakeSleep: (() => void) | undefined;

  async function ensureGroup(): Promise<void> {
    try {
      await redis.xgroup('CREATE', stream, group, options.startId ?? '0', 'MKSTREAM');
    } catch (err) {
      if (!messageOf(err).startsWith('BUSYGROUP')) throw err;
    }
  }

  async function deliveries(id: string): Promise<number> {
    const pending = (await redis.xpending(stream, group, id, id, 1)) as [string, string, number, number][];
    return pending[0]?.[3] ?? maxAttempts;
  }

  async function deadLetter(id: string, fields: ReadonlyMap<string, string>, reason: DeadLetterReason): Promise<void> {
    const results = await redis
      .multi()
      .xadd(deadLetterStream, '*', ...deadLetterFields(fields, stream, id, reason, new Date()))
      .xack(stream, group, id)
      .exec();
    const failed = results?.find(([err]) => err !== null);
    if (!results || failed) throw failed?.[0] ?? new Error('the dead-letter transaction was discarded');
    metrics?.streamEntries.inc({ outcome: 'dead_lettered' });
    logger.warn({ stream, id, deadLetterStream, code: reason.code, deliveries: reason.deliveries, reason: reason.message }, 'stream entry dead-lettered');
  }

  async function handle([id, flat]: StreamEntry): Promise<void> {
    const fields = entryFields(flat);
    const parsed = parseStreamEntry(fields, { signingKeys: options.signingKeys, ...(options.maxJsonDepth ? { maxDepth: options.maxJsonDepth } : {}) });
    if (!parsed.ok) return deadLetter(id, fields, { code: parsed.code, message: parsed.message, deliveries: await deliveries(id) });

    let failure: { code: string; message: string };
    try {
      const result = await router.route(parsed.tenant, parsed.event, EventSource.STREAM);
      if (result.processed) {
        await redis.xack(stream, group, id);
        metrics?.streamEntries.inc({ outcome: 'acked' });
        return;
      }
      const first = result.errors.find((e) => e.retryable) ?? result.errors[0];
      failure = { code: first?.code ?? ErrorCode.ENGINE_DELIVERY_FAILED, message: result.errors.map((e) => `${e.code}: ${e.message}`).join('; ') };
    } catch (err) {
      const code = isBatonError(err) ? err.code : ErrorCode.INTERNAL;
      failure = { code, message: messageOf(err) };
      if (isBatonError(err) && !RETRYABLE_CODES.has(code)) return deadLetter(id, fields, { ...failure, deliveries: await deliveries(id) });
    }
    const count = await deliveries(id);
    if (count >= maxAttempts) return deadLetter(id, fields, { ...failure, deliveries: count });
    metrics?.streamEntries.inc({ outcome: 'retry' });
    logger.warn({ stream, id, deliveries: count, maxAttempts, code: failure.code, reason: failure.message }, 'stream entry not routed; it will be claimed again');
  }

  async function handleAll(entries: readonly StreamEntry[]): Promise<void> {
    await mapLimit(entries, concurrency, async (entry) => {
      try {
        await handle(entry);
      } catch (err) {
        // Redis failed while acking or dead-lettering: the entry stays pending and is reclaimed later.
        logger.error({ stream, id: entry[0], err }, 'stream entry handling failed');
      }
    });
  }

  async function reclaim(): Promise<void> {
    let cursor = '0-0';
    for (let page = 0; page < 10 && !stopping; page++) {
      const [next, entries] = (await redis.xautoclaim(stream, group, consumer, reclaimIdleMs, cursor, 'COUNT', batchSize)) as ClaimReply;
      const live = entries.filter((e): e is StreamEntry => Array.isArray(e) && Array.isArray(e[1]));
      if (live.length) {
        metrics?.streamEntries.inc({ outcome: 'reclaimed' }, live.length);
        logger.info({ stream, count: live.length }, 'claimed idle stream entries');
        await handleAll(live);
      }
      if (next === '0-0') return;
      cursor = next;
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeSleep = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function run(conn: Redis): Promise<void> {
    let lastReclaim = 0;
    while (!stopping) {
      try {
        if (performance.now() - lastReclaim >= reclaimEveryMs) {
          lastReclaim = performance.now();
          await reclaim();
        }
        if (stopping) break;
        const reply = (await conn.xreadgroup('GROUP', group, consumer, 'COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', stream, '>')) as ReadReply;
        for (const [, entries] of reply ?? []) await handleAll(entries);
      } catch (err) {
        if (stopping) break;
        if (messageOf(err).startsWith('NOGROUP')) {
          // The stream or group was deleted under us: recreate it and go on.
          await ensureGroup().catch(() => undefined);
          continue;
        }
        logger.error({ stream, err }, 'event stream read failed; retrying in 1s');
        await pause(1_000);
      }
    }
  }

  return {
    get running() {
      return loop !== undefined && !stopping;
    },
    async start() {
      if (loop) return;
      await ensureGroup();
      stopping = false;
      reader = redis.duplicate();
      // Without a listener ioredis prints every failed reconnect to the console; the read loop logs the failure.
      reader.on('error', (err: unknown) => logger.debug({ stream, err }, 'event stream reading connection error'));
      loop = run(reader);
      logger.info({ stream, group, consumer, deadLetterStream }, 'event stream consumer started');
    },
    async stop() {
      if (!loop) return;
      stopping = true;
      wakeSleep?.();
      // Closing the reading connection ends a blocked XREADGROUP at once; entries it may have
      // been handed stay pending and are claimed again later (at-least-once).
      reader?.disconnect();
      await loop;
      loop = undefined;
      reader = undefined;
      logger.info({ stream, consumer }, 'event stream consumer stopped');
    },
  };
}
