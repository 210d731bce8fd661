#!/usr/bin/env node
import { CommanderError } from 'commander';
import { ignoreBrokenPipes, processIo } from './commands/cli-io.js';
import { createProgram } from './program.js';

ignoreBrokenPipes();
const program = createProgram(processIo, (code) => {
  process.exitCode = code;
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) {
    processIo.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  }
}
// Commands that leave handles behind (a progress bar's timer, a connection pool) must not keep a
// finished command alive; `baton dev` returns only after it has stopped everything.
process.exit(process.exitCode ?? 0);
