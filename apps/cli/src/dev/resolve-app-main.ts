import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A deployable app `baton dev` runs as a child process. */
export const BATON_APP = { worker: '@baton/worker', ingress: '@baton/ingress' } as const;
export type BatonApp = (typeof BATON_APP)[keyof typeof BATON_APP];

/** The built entry script of an app (`<package>/main`, i.e. its `dist/main.js`); throws when it is not built. */
export function resolveAppMain(app: BatonApp): string {
  let file: string;
  try {
    file = fileURLToPath(import.meta.resolve(`${app}/main`));
  } catch {
    const pkg = fileURLToPath(import.meta.resolve(`${app}/package.json`));
    file = path.join(path.dirname(pkg), 'dist', 'main.js');
  }
  if (!fs.existsSync(file)) throw new Error(`${app} is not built (${file} is missing): run npm run build`);
  return file;
}
