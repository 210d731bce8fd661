#!/usr/bin/env node
// The `baton` executable. It is a plain JavaScript file (not built) so that `npm ci` links it into
// node_modules/.bin before anything is compiled; it runs the compiled CLI in ../dist. In a
// checkout whose build has not run yet it runs `npm run build` once first (see README "CLI").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = path.join(packageDir, 'dist', 'bin.js');

/** The repository root when this package is apps/cli of a Baton checkout (an nx workspace), else undefined. */
function checkoutRoot() {
  const root = path.resolve(packageDir, '..', '..');
  if (path.relative(root, packageDir) !== path.join('apps', 'cli')) return undefined;
  if (!fs.existsSync(path.join(root, 'nx.json'))) return undefined;
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    return manifest && manifest.scripts && manifest.scripts.build ? root : undefined;
  } catch {
    return undefined;
  }
}

if (!fs.existsSync(entry)) {
  const root = checkoutRoot();
  if (!root) {
    process.stderr.write(`baton: ${entry} is missing; this installation of @baton/cli is incomplete (reinstall it)\n`);
    process.exit(1);
  }
  process.stderr.write('baton: this checkout is not built yet; running `npm run build` once (later changes: run it yourself)\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' });
  if (build.status !== 0 || !fs.existsSync(entry)) {
    process.stderr.write(`baton: \`npm run build\` in ${root} failed${build.error ? ` (${build.error.message})` : ''}; fix the build and run it again\n`);
    process.exit(1);
  }
}

await import(pathToFileURL(entry).href);
