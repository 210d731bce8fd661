import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/error-code.js';
import { checkAdvanceSequence, SEQUENCE_MISMATCH } from './advance-sequence.js';

describe('checkAdvanceSequence', () => {
  it('accepts a result that echoes the sequence number it was asked for', () => {
    expect(checkAdvanceSequence(0, { sequence: 0 })).toBeUndefined();
    expect(checkAdvanceSequence(41, { sequence: 41 })).toBeUndefined();
  });

  it('answers the run error SEQUENCE_MISMATCH for another number, a missing one or no result', () => {
    expect(SEQUENCE_MISMATCH).toBe(ErrorCode.SEQUENCE_MISMATCH);
    expect(checkAdvanceSequence(3, { sequence: 2 })).toEqual({
      category: 'TransientError',
      code: 'SEQUENCE_MISMATCH',
      message: 'the interpreter answered advance 2 where advance 3 was expected; the result was not applied',
      details: { expected: 3, received: 2 },
    });
    expect(checkAdvanceSequence(3, { sequence: 4 })?.code).toBe('SEQUENCE_MISMATCH');
    expect(checkAdvanceSequence(0, undefined)).toMatchObject({ code: 'SEQUENCE_MISMATCH', details: { expected: 0, received: null } });
    expect(checkAdvanceSequence(1, { sequence: Number.NaN })?.code).toBe('SEQUENCE_MISMATCH');
    expect(checkAdvanceSequence(1, {} as { sequence: number })?.code).toBe('SEQUENCE_MISMATCH');
  });
});
