/** Deep copy of a plain-JSON value (states, outputs); no aliasing survives it. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
