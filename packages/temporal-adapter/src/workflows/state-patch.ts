// Compact advance results for `localActivity` mode: the interpreter activity answers the new
// state as a patch of the state it was given (the local activity marker records only the patch),
// and the workflow applies it. Generic JSON diff/patch: it knows nothing of the state's layout, so
// the shell stays the same across interpreter releases. Sandbox-safe, pure.
import type { JsonValue } from '@baton/event-schemas';

/** One change: `[path, value]` sets the value at `path`, `[path]` deletes the object key at `path`. */
export type PatchOp = readonly [path: readonly (string | number)[], value: JsonValue] | readonly [path: readonly (string | number)[]];

type JsonObject = { readonly [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function equal(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as readonly JsonValue[];
    return a.length === other.length && a.every((item, i) => equal(item, other[i]));
  }
  const ak = Object.keys(a);
  const bo = b as JsonObject;
  return ak.length === Object.keys(bo).length && ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && equal((a as JsonObject)[k], bo[k]));
}

/** The ops that turn `before` into `after` (objects key by key, arrays of equal length item by item, anything else replaced). */
export function diffJson(before: JsonValue, after: JsonValue): PatchOp[] {
  const ops: PatchOp[] = [];
  const walk = (a: JsonValue, b: JsonValue, path: (string | number)[]): void => {
    if (equal(a, b)) return;
    if (isObject(a) && isObject(b)) {
      for (const key of Object.keys(b)) {
        if (Object.prototype.hasOwnProperty.call(a, key)) walk(a[key]!, b[key]!, [...path, key]);
        else ops.push([[...path, key], b[key]!]);
      }
      for (const key of Object.keys(a)) if (!Object.prototype.hasOwnProperty.call(b, key)) ops.push([[...path, key]]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      b.forEach((item, i) => walk(a[i]!, item, [...path, i]));
      return;
    }
    ops.push([path, b]);
  };
  walk(before, after, []);
  return ops;
}

/** `base` with `ops` applied; `base` is not modified (containers along each path are copied). */
export function applyPatch<T>(base: T, ops: readonly PatchOp[]): T {
  let root = base as unknown as JsonValue;
  for (const op of ops) {
    const [path] = op;
    if (path.length === 0) {
      root = op.length === 2 ? op[1] : null;
      continue;
    }
    const copy = (node: JsonValue): Record<string | number, JsonValue> => (Array.isArray(node) ? [...node] : { ...(node as JsonObject) }) as Record<string | number, JsonValue>;
    const top = copy(root);
    let parent = top;
    for (const key of path.slice(0, -1)) {
      const child = copy(parent[key]!);
      parent[key] = child as JsonValue;
      parent = child;
    }
    const last = path[path.length - 1]!;
    if (op.length === 2) parent[last] = op[1];
    else delete parent[last];
    root = top as JsonValue;
  }
  return root as unknown as T;
}

/** The path of a value deep-equal to `target` inside `root` (depth first, objects and arrays only), if any. */
export function findJsonPath(root: JsonValue, target: JsonValue): (string | number)[] | undefined {
  const walk = (node: JsonValue, path: (string | number)[]): (string | number)[] | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (equal(node, target)) return path;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i += 1) {
        const found = walk(node[i]!, [...path, i]);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(node)) {
      const found = walk((node as JsonObject)[key]!, [...path, key]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root, []);
}

/** The value at `path` inside `root` (`undefined` when there is none). */
export function jsonAt(root: JsonValue, path: readonly (string | number)[]): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, JsonValue>)[key];
  }
  return node;
}
