import { runMigrations } from '../dev/run-migrations.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';
import { printJson } from './report-api-error.js';

/** `baton migrate`: applies pending migrations to `DATABASE_URL` (schema `BATON_DB_SCHEMA`, default `baton`); `--json` prints `{schema, applied}`. */
export async function migrateCommand(env: Readonly<Record<string, string | undefined>>, options: { json?: boolean }, io: CliIo): Promise<ExitCode> {
  const url = env.DATABASE_URL;
  if (!url) {
    io.err(options.json ? JSON.stringify({ error: { code: 'USAGE', message: 'DATABASE_URL is not set' } }) : 'DATABASE_URL is not set');
    return EXIT.usage;
  }
  const schema = env.BATON_DB_SCHEMA || 'baton';
  try {
    const result = await runMigrations(url, schema);
    if (options.json) {
      printJson(io, { schema, applied: result.applied });
      return EXIT.ok;
    }
    io.out(result.applied.length ? `applied ${result.applied.join(', ')} to schema ${schema}` : `schema ${schema} is up to date`);
    return EXIT.ok;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(options.json ? JSON.stringify({ error: { code: 'MIGRATION_FAILED', message } }) : `MIGRATION_FAILED: ${message}`);
    return EXIT.failed;
  }
}
