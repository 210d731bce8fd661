import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

/** The budget of the whole built console, gzipped (issue: under 500 KiB). */
const BUDGET_GZIP_BYTES = 500 * 1024;
const DIST = path.resolve(import.meta.dirname, '../dist');

function builtFiles(): string[] {
  const assets = path.join(DIST, 'assets');
  if (!fs.existsSync(assets)) throw new Error(`${DIST} is not built: run \`npx nx run @baton/console:build\` first`);
  return [path.join(DIST, 'index.html'), ...fs.readdirSync(assets).map((f) => path.join(assets, f))];
}

it('keeps the built assets under 500 KiB gzipped, the first load a fraction of it', () => {
  const sizes = builtFiles().map((file) => ({ file: path.relative(DIST, file), gzip: gzipSync(fs.readFileSync(file), { level: 9 }).length }));
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  // What index.html loads before anything is clicked (the tasks page's form library is loaded on demand).
  const firstLoad = sizes.filter((s) => s.file === 'index.html' || html.includes(s.file)).reduce((sum, s) => sum + s.gzip, 0);
  console.log(`console assets gzipped: ${(total / 1024).toFixed(1)} KiB total, ${(firstLoad / 1024).toFixed(1)} KiB first load (${sizes.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(1)} KiB`).join(', ')})`);
  expect(total).toBeLessThan(BUDGET_GZIP_BYTES);
  expect(firstLoad).toBeLessThan(total);
});
