// How the interpreter activity of `localActivity` mode packs its answer, so the local activity
// marker (the only place the answer is recorded) stays small. The answer `{sequence, result}` is
// JSON compressed with zlib, with a preset dictionary that both sides hold already: the JSON of the
// state the workflow sent and of the input it applied. The new state repeats most of the old one
// and the input's output, so the bytes recorded are mostly back-references (README "Interpreter
// placement"). The workflow inflates with fflate (pure JS, sandbox-safe).
//
// The zlib stream names the dictionary (its Adler-32) and ends with the Adler-32 of the JSON: the
// workflow checks both, so an answer packed against another state is never applied.
import { strFromU8, strToU8, unzlibSync } from 'fflate/browser';
import type { AdvanceResult, InterpreterInput, InterpreterState } from '@baton/runtime-core/pure';

/** The answer the packed bytes hold: the full result of the advance and the sequence number it answers. */
export interface AdvanceAnswer {
  readonly sequence: number;
  readonly result: AdvanceResult;
}

/** The preset dictionary of one advance: the JSON of `state` (`null` for a Start) and of `input`, as UTF-8. */
export function advanceDictionary(state: InterpreterState | undefined, input: InterpreterInput): Uint8Array {
  return strToU8(`${JSON.stringify(state ?? null)}${JSON.stringify(input)}`);
}

/** Adler-32 (RFC 1950) of `bytes`. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  // 5552 is the longest run before the sums must be reduced (zlib's NMAX).
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(start + 5552, bytes.length);
    for (let i = start; i < end; i += 1) {
      a += bytes[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** The packed answer was not made for this state and input (or is damaged): it must not be applied. */
export class PackedAnswerError extends Error {
  override readonly name = 'PackedAnswerError';
}

/** True when `value` is a packed answer (bytes), not an answer recorded before packing (an object). */
export function isPackedAnswer(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** Unpacks an answer packed against `dictionary` (see {@link advanceDictionary}). */
export function unpackAdvanceAnswer(packed: Uint8Array, dictionary: Uint8Array): AdvanceAnswer {
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength);
  // CMF/FLG, then DICTID (FDICT set), then the deflate data, then the Adler-32 of the output.
  if (bytes.length < 10 || (bytes[1]! & 0x20) === 0) throw new PackedAnswerError('the packed advance answer names no dictionary');
  if (readUint32(bytes, 2) !== adler32(dictionary)) throw new PackedAnswerError('the advance answer was packed against another state or input');
  let json: Uint8Array;
  try {
    json = unzlibSync(bytes, { dictionary });
  } catch (error) {
    throw new PackedAnswerError(`the packed advance answer does not inflate: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (readUint32(bytes, bytes.length - 4) !== adler32(json)) throw new PackedAnswerError('the packed advance answer is damaged (checksum)');
  return JSON.parse(strFromU8(json)) as AdvanceAnswer;
}
