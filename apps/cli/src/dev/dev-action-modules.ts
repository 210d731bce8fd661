import path from 'node:path';

/**
 * The action modules `baton dev` hands its worker: the user's `BATON_ACTIONS` entries first, then
 * the modules the dev stack itself needs (the example actions the demo calls) unless the user
 * listed the same file already. The user's modules add to the demo's, never replace them: a team
 * trying its own actions under `npm start` keeps a working demo. Paths are compared resolved against
 * `cwd` (the worker's working directory); package names as written.
 */
export function devActionModules(userList: string | undefined, devModules: readonly string[], cwd: string): string {
  const user = (userList ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const key = (entry: string) => (entry.startsWith('.') || path.isAbsolute(entry) ? path.resolve(cwd, entry) : entry);
  const listed = new Set(user.map(key));
  return [...user, ...devModules.filter((entry) => !listed.has(key(entry)))].join(',');
}
