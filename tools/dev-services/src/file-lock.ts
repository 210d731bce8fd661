import fs from 'node:fs';
import path from 'node:path';
import { isPidAlive } from './process-tools.js';

/**
 * Runs `fn` while holding an exclusive lock directory, so that parallel test
 * processes do not start the same service twice. A lock left by a dead process is taken over.
 */
export async function withFileLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(safeRead(path.join(lockDir, 'pid')));
      if (owner && !isPidAlive(owner)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (performance.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir} held by pid ${owner}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
