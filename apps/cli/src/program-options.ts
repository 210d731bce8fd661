import { type Command, InvalidArgumentError } from 'commander';
import { JsonValue } from '@baton/event-schemas';
import { parseJsonOption, UsageError } from './commands/parse-json-option.js';

/** A commander parser from a function that throws {@link UsageError}: the message becomes commander's usage error (exit 2). */
export function usageParser<T>(parse: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof UsageError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** Parses a JSON option value (inline or `@file`). */
export function jsonValue(option: string): (value: string) => JsonValue {
  return usageParser((value) => {
    const parsed = JsonValue.safeParse(parseJsonOption(option, value));
    if (!parsed.success) throw new UsageError(`${option}: not a JSON value`);
    return parsed.data;
  });
}

/** Accepts one value of a zod enum. */
export function oneOf<T extends string>(schema: { safeParse(v: unknown): { success: boolean; data?: T }; options: readonly T[] }): (value: string) => T {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`not one of ${schema.options.join(', ')}`);
    return parsed.data as T;
  };
}

/** Accepts a positive integer. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Accepts a percentage: a number from 0 to 100. */
export function percent(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('must be a number from 0 to 100');
  return n;
}

/** `--json`, which every command takes. */
export function withJson(command: Command): Command {
  return command.option('--json', 'machine output: JSON on stdout; a failure as {"error":{code,message,…}} on stderr');
}

/** `--url`, `--key` and `--json`: the options of every command that calls the ingress API. */
export function withApi(command: Command): Command {
  return withJson(
    command
      .option('--url <url>', 'ingress URL (default: BATON_URL, else the running baton dev, else http://127.0.0.1:7300)')
      .option('--key <key>', 'API key (default: BATON_API_KEY, else the running baton dev key)'),
  );
}
