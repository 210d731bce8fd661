import fs from 'node:fs';

/** A command-line value that is not what the option needs. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'USAGE';
}

/** Parses a JSON option value; `@file` reads the JSON from a file. */
export function parseJsonOption(option: string, value: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = fs.readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`${option}: cannot read ${value.slice(1)} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${option}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
