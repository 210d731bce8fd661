import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
const launcher = path.join(packageDir, manifest.bin.baton!);

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the launcher at `<root>/apps/cli/bin/baton.js` (an ESM package, as the real one), without a dist/. */
function copyLauncher(root: string): string {
  const target = path.join(root, 'apps/cli', manifest.bin.baton!);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(launcher, target);
  fs.writeFileSync(path.join(root, 'apps/cli/package.json'), JSON.stringify({ name: '@baton/cli', type: 'module' }));
  return target;
}

function run(script: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
}

describe('the baton executable', () => {
  it('is a file that exists before any build, so npm ci links it into node_modules/.bin', () => {
    expect(manifest.bin.baton).not.toMatch(/^(\.\/)?dist\//);
    expect(fs.readFileSync(launcher, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(fs.statSync(launcher).mode & 0o111).not.toBe(0);
  });

  it('is packed with the compiled CLI, so an installed package has a working baton', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageDir, encoding: 'utf8' })) as [{ files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    expect(files).toContain(manifest.bin.baton!.replace(/^\.\//, ''));
    expect(files).toContain('dist/bin.js');
    expect(files.filter((f) => /\.test\.|tsbuildinfo|__fixtures__/.test(f))).toEqual([]);
  });

  it('builds a checkout that has not been built yet, once, then runs the command', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-checkout-'));
    temps.push(root);
    const script = copyLauncher(root);
    fs.writeFileSync(path.join(root, 'nx.json'), '{}');
    // A stand-in for the repository build: writes the compiled entry point, which prints its arguments.
    fs.writeFileSync(
      path.join(root, 'build.mjs'),
      "import fs from 'node:fs'; fs.mkdirSync('apps/cli/dist', { recursive: true }); fs.writeFileSync('apps/cli/dist/bin.js', 'console.log(JSON.stringify(process.argv.slice(2)))');",
    );
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'baton', private: true, scripts: { build: 'node build.mjs' } }));

    const first = run(script, ['runs', '--json'], os.tmpdir());
    expect(first.stderr).toMatch(/not built yet; running `npm run build` once/);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual(['runs', '--json']);

    const second = run(script, ['show', 'r1'], os.tmpdir());
    expect(second.stderr).toBe('');
    expect(JSON.parse(second.stdout)).toEqual(['show', 'r1']);
  });

  it('says what to do when the checkout build fails', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-checkout-'));
    temps.push(root);
    const script = copyLauncher(root);
    fs.writeFileSync(path.join(root, 'nx.json'), '{}');
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'baton', private: true, scripts: { build: 'node -e "process.exit(3)"' } }));
    const result = run(script, ['runs'], os.tmpdir());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/`npm run build` in .* failed; fix the build and run it again/);
  });

  it('names a broken installation instead of crashing when it is not in a checkout', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-installed-'));
    temps.push(root);
    const script = copyLauncher(path.join(root, 'node_modules/@baton/cli/../..'));
    const result = run(script, ['runs'], root);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/dist\/bin\.js is missing; this installation of @baton\/cli is incomplete/);
  });
});
