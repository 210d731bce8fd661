/** Fields the consumer adds to a dead-lettered entry, beside the entry's own fields (kept as they were, for redrive). */
export const DEAD_LETTER_FIELD = {
  CODE: 'dead.code',
  MESSAGE: 'dead.message',
  STREAM: 'dead.stream',
  ID: 'dead.id',
  DELIVERIES: 'dead.deliveries',
  AT: 'dead.at',
} as const;
export type DeadLetterField = (typeof DEAD_LETTER_FIELD)[keyof typeof DEAD_LETTER_FIELD];

/** Why an entry was dead-lettered. */
export interface DeadLetterReason {
  readonly code: string;
  readonly message: string;
  /** how many times the entry was delivered to a consumer */
  readonly deliveries: number;
}

const MAX_MESSAGE_LENGTH = 4_000;

/** The flat `[field, value, ...]` list of the dead-letter entry for `sourceId` of `sourceStream`. */
export function deadLetterFields(fields: ReadonlyMap<string, string>, sourceStream: string, sourceId: string, reason: DeadLetterReason, at: Date): string[] {
  const out: string[] = [];
  for (const [name, value] of fields) if (!name.startsWith('dead.')) out.push(name, value);
  out.push(
    DEAD_LETTER_FIELD.CODE, reason.code,
    DEAD_LETTER_FIELD.MESSAGE, reason.message.slice(0, MAX_MESSAGE_LENGTH),
    DEAD_LETTER_FIELD.STREAM, sourceStream,
    DEAD_LETTER_FIELD.ID, sourceId,
    DEAD_LETTER_FIELD.DELIVERIES, String(reason.deliveries),
    DEAD_LETTER_FIELD.AT, at.toISOString(),
  );
  return out;
}
