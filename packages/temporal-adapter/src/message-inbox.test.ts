import { describe, expect, it } from 'vitest';
import type { RoutedEvent } from '@baton/event-schemas';
import { MessageInbox } from './workflows/message-inbox.js';

const request = { waitId: 'w1', eventName: 'ACCT', correlationKey: 'acct-1', since: '2026-01-01T00:00:00.000Z' };
const plain: RoutedEvent = { eventId: 'e1', eventName: 'ACCT', correlationKey: 'acct-1', payload: { n: 1 }, receivedAt: '2026-01-01T00:00:01.000Z' } as RoutedEvent;

describe('MessageInbox', () => {
  it('an event id seen again is a duplicate', () => {
    const inbox = new MessageInbox(undefined);
    expect(inbox.offerEvent(plain)).toBe(true);
    expect(inbox.offerEvent({ ...plain, payload: 'other' })).toBe(false);
    inbox.eventTaken('e1');
    expect(inbox.offerEvent(plain)).toBe(false);
  });

  it('an entity wait refused the copy routed by its plain correlation key: the same event admitted to the entity (with its sequence) replaces it and is offered again', () => {
    const inbox = new MessageInbox(undefined);
    expect(inbox.offerEvent(plain)).toBe(true);
    expect(inbox.take([request], [])).toMatchObject({ kind: 'event', event: { eventId: 'e1' } });
    // the interpreter refused it (EVENT_NOT_OF_ENTITY): the wait is not offered it again
    inbox.eventRefused('w1', 'e1');
    expect(inbox.take([request], [])).toBeUndefined();
    const admitted = { ...plain, sequence: 2 } as RoutedEvent;
    expect(inbox.offerEvent(admitted)).toBe(true);
    expect(inbox.take([request], [])).toEqual({ kind: 'event', waitId: 'w1', event: admitted });
    expect(inbox.bufferedEventCount).toBe(1);
    // the plain copy arriving after the admitted one is a duplicate
    expect(inbox.offerEvent(plain)).toBe(false);
    expect(inbox.take([request], [])).toEqual({ kind: 'event', waitId: 'w1', event: admitted });
  });
});
