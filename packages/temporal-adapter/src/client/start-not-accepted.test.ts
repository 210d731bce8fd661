import { describe, expect, it } from 'vitest';
import { neverReachedTemporal } from './start-not-accepted.js';

// The shape @temporalio/client throws: a ServiceError whose cause is the grpc-js status error.
const serviceError = (cause: unknown) => Object.assign(new Error('Failed to start Workflow'), { cause });
const grpc = (code: number, details: string) => Object.assign(new Error(`${code} ${details}`), { code, details });

describe('neverReachedTemporal', () => {
  it('is true only when no connection was established (the request was never sent)', () => {
    expect(neverReachedTemporal(serviceError(grpc(14, 'No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:1')))).toBe(true);
    expect(neverReachedTemporal(grpc(14, 'No connection established. Last error: Error: getaddrinfo ENOTFOUND temporal'))).toBe(true);
  });

  it('is false when the outcome is unknown: a timeout, a reset mid-call, another error', () => {
    expect(neverReachedTemporal(serviceError(grpc(4, 'Deadline exceeded')))).toBe(false);
    expect(neverReachedTemporal(serviceError(grpc(14, 'read ECONNRESET')))).toBe(false);
    expect(neverReachedTemporal(serviceError(grpc(13, 'internal')))).toBe(false);
    expect(neverReachedTemporal(new Error('No connection established'))).toBe(false);
    expect(neverReachedTemporal(undefined)).toBe(false);
  });
});
