import { runMigrations } from '../dev/run-migrations.js';
import { EXIT, type CliIo, type ExitCode } from './cli-io.js';

/** `baton migrate`: applies pending migrations to `DATABASE_URL` (schema `BATON_DB_SCHEMA`, default `baton`). */
export async function migrateCommand(env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<ExitCode> {
  const url = env.DATABASE_URL;
  if (!url) {
    io.err('DATABASE_URL is not set');
    return EXIT.usage;
  }
  const schema = env.BATON_DB_SCHEMA || 'baton';
  try {
    const result = await runMigrations(url, schema);
    io.out(result.applied.length ? `applied ${result.applied.join(', ')} to schema ${schema}` : `schema ${schema} is up to date`);
    return EXIT.ok;
  } catch (error) {
    io.err(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
