import { formatPath } from '@baton/event-schemas';

/** Turns a JSON pointer (`/items/0/name`) into an issue path under `root` (`input.items[0].name`). */
export function jsonPointerToPath(root: string, pointer: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
  return formatPath([root, ...segments]);
}
