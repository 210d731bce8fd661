import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the ingress serves the operator console. */
export const CONSOLE_PREFIX = '/ui/';

/**
 * The built console of this checkout or image (`apps/console/dist`, found through the workspace
 * package), or `undefined` when it is not built. The console is not a build dependency of the
 * ingress: an ingress without it answers `/ui` with 404.
 */
export function defaultConsoleDir(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@baton/console/package.json');
    return path.join(path.dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}

/** True when `dir` holds a built console (its `index.html`). */
export function isConsoleBuilt(dir: string | undefined): dir is string {
  return dir !== undefined && fs.existsSync(path.join(dir, 'index.html'));
}

/**
 * Serves the console's static files at `/ui/` without a key: they hold no tenant data, every
 * datum comes through the `/v1` API with the key the user signs in with. Hashed assets are cached
 * for a year; `index.html` is revalidated so a new build is picked up at once.
 */
export async function registerConsoleAssets(app: FastifyInstance, dir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: CONSOLE_PREFIX,
    redirect: true,
    index: ['index.html'],
    wildcard: true,
    setHeaders(res, filePath) {
      const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
      res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.header('x-content-type-options', 'nosniff');
      res.header('referrer-policy', 'no-referrer');
    },
  });
  // Without a trailing slash the relative asset URLs would resolve outside the prefix.
  app.get('/ui', { schema: { hide: true } }, (_request, reply) => reply.redirect(CONSOLE_PREFIX, 302));
}
