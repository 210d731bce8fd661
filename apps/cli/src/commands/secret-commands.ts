import { readFileSync } from 'node:fs';
import type { BatonApiClient } from '../api/baton-api-client.js';
import { formatTable } from '../output/format-table.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { reportError } from './report-api-error.js';

/** Reads the value of `secrets set`: the whole input, one trailing newline dropped (what `echo` or a file ends with). */
export type SecretValueSource = () => Promise<string>;

/** The value from `--value-file`, else from stdin (never from the command line, where shell history would keep it). */
export function secretValueSource(valueFile: string | undefined): SecretValueSource {
  return async () => {
    let text: string;
    if (valueFile !== undefined) text = readFileSync(valueFile, 'utf8');
    else {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      text = Buffer.concat(chunks).toString('utf8');
    }
    return text.replace(/\r?\n$/, '');
  };
}

/** `baton secrets set <name> [--value-file <path>]`: stores a secret of the key's tenant (value from the file or stdin). */
export async function secretsSetCommand(client: BatonApiClient, name: string, options: { json?: boolean }, readValue: SecretValueSource, io: CliIo): Promise<ExitCode> {
  try {
    const value = await readValue();
    if (value === '') {
      io.err('EMPTY_SECRET: no value: pipe it on stdin (printf %s "$TOKEN" | baton secrets set <name>) or pass --value-file <path>');
      return EXIT.usage;
    }
    const answer = await client.putSecret(name, value);
    io.out(options.json ? JSON.stringify(answer) : `${answer.created ? 'created' : 'replaced'} secret ${answer.name} (use it as {"$secret": "${answer.name}"} in an action input)`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options.json ? { json: true } : {});
  }
}

/** `baton secrets list`: the tenant's secret names and when each was written. */
export async function secretsListCommand(client: BatonApiClient, options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  try {
    const list = await client.listSecrets();
    io.out(options.json ? JSON.stringify(list, null, 2) : formatTable(['NAME', 'UPDATED'], list.items.map((s) => [s.name, s.updatedAt])));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options.json ? { json: true } : {});
  }
}

/** `baton secrets delete <name>`. */
export async function secretsDeleteCommand(client: BatonApiClient, name: string, options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  try {
    const answer = await client.deleteSecret(name);
    io.out(options.json ? JSON.stringify(answer) : `deleted secret ${answer.name}`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, options.json ? { json: true } : {});
  }
}
