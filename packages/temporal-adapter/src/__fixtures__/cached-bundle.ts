// Test-only: webpack takes ~13 s on this machine to bundle the workflow code, so test files
// share one bundle, cached on disk under a hash of every source that goes into it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowBundle } from '@temporalio/worker';
import { bundleBatonWorkflows } from '../worker/workflow-bundle.js';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const inputs = [
  path.join(packageDir, 'src/workflows'),
  path.join(packageDir, '../runtime-core/dist'),
  path.join(packageDir, '../expression-engine/dist'),
  path.join(packageDir, '../event-schemas/dist'),
];

function hashTree(hash: crypto.Hash, dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, full);
    else if (/\.(ts|js)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) hash.update(full).update(fs.readFileSync(full));
  }
}

/** The Baton workflow bundle (or the one of another workflow module), built once per change of its sources. */
export async function cachedBatonBundle(workflowsPath?: string): Promise<WorkflowBundle> {
  const hash = crypto.createHash('sha256');
  for (const dir of inputs) hashTree(hash, dir);
  if (workflowsPath) hashTree(hash.update(workflowsPath), path.dirname(workflowsPath));
  const file = path.join(packageDir, 'node_modules/.cache/baton-workflow-bundle', `${hash.digest('hex').slice(0, 16)}.js`);
  if (fs.existsSync(file)) return { code: fs.readFileSync(file, 'utf8') };
  const bundle = await bundleBatonWorkflows(workflowsPath ? { workflowsPath } : {});
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}`, bundle.code);
  fs.renameSync(`${file}.${process.pid}`, file);
  return bundle;
}
