import type { EventAcceptedResponse } from '@baton/event-schemas';
import type { EventRoutingError } from '../ports/event-audit.js';

/** What `deliverEvent` answers: SPEC-api's 202 body, plus what went wrong and whether routing finished. */
export interface EventDeliveryResult extends EventAcceptedResponse {
  readonly errors: readonly EventRoutingError[];
  /**
   * `false` when a retryable error (an engine unavailable or failing) left part of the routing undone:
   * the event stays unprocessed and a redelivery routes it again (stream consumers must not ack).
   */
  readonly processed: boolean;
}
