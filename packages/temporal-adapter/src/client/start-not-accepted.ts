// gRPC status UNAVAILABLE (14); the client fails with it after its retries when no channel came up.
const GRPC_UNAVAILABLE = 14;
// What grpc-js says when the request was never sent: the channel had no connection (refused, no route, DNS).
const NO_CONNECTION = /No connection established|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|Name resolution failed/;

/**
 * Whether a failed `workflow.start` provably never reached Temporal: the client's error (or its
 * cause) is gRPC UNAVAILABLE because no connection could be established, so no request was sent.
 * A timeout, a reset mid-call or any other error does not prove that (Temporal may have started
 * the workflow and the answer was lost), so it answers `false`.
 */
export function neverReachedTemporal(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, details, message } = e as { code?: unknown; details?: unknown; message?: unknown };
    if (code === GRPC_UNAVAILABLE && NO_CONNECTION.test(`${typeof details === 'string' ? details : ''} ${typeof message === 'string' ? message : ''}`)) return true;
  }
  return false;
}
