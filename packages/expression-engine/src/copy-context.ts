/**
 * A copy of the arrays and plain objects of `value` (everything else is shared), made without
 * recursion so deep data cannot overflow the stack. Used when an expression contains a construct
 * for which JSONata writes into its input: a group-by pushes `undefined` into an empty input
 * array, and `path[]` flags the array it returns.
 */
export function copyContext<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const root = copyShell(value);
  const pending: Array<[source: object, target: object]> = [[value, root]];
  while (pending.length > 0) {
    const [source, target] = pending.pop()!;
    for (const key of Object.keys(source)) {
      const member: unknown = (source as Record<string, unknown>)[key];
      let copied: unknown = member;
      if (typeof member === 'object' && member !== null && (Array.isArray(member) || isPlainObject(member))) {
        copied = copyShell(member);
        pending.push([member, copied as object]);
      }
      if (key === '__proto__') Object.defineProperty(target, key, { value: copied, enumerable: true, writable: true, configurable: true });
      else (target as Record<string, unknown>)[key] = copied;
    }
  }
  return root as T;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

function copyShell(value: object): object {
  if (Array.isArray(value)) return new Array<unknown>(value.length);
  return isPlainObject(value) ? {} : value;
}
