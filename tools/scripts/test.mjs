#!/usr/bin/env node
// `npm test`: build every project (tests of one package consume the others' dist/),
// then run every project's tests, unit and integration, in one vitest process so the
// real services (Postgres, Redis, Temporal dev server) start once and are shared.
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit', shell: false });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

const built = run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);
if (built !== 0) process.exit(built);
process.exit(run('npx', ['vitest', 'run', ...process.argv.slice(2)]));
