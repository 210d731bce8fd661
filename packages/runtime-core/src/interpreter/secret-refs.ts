// `{"$secret": name}` in an action.call input: a reference the action executor resolves when the
// action runs. The interpreter never sees a value; it only says where the literal references sit,
// so a `$secret`-shaped value an expression produced (event data, say) is never resolved.
import { isExpr, type JsonValue } from '@baton/event-schemas';

/** Where in an action input a literal `{"$secret": name}` sits, and the secret's name. */
export interface SecretRef {
  /** keys and array indexes from the input's root to the reference */
  readonly path: readonly (string | number)[];
  readonly name: string;
}

/** True for exactly `{"$secret": "<name>"}`. */
export function isSecretRef(value: unknown): value is { readonly $secret: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { $secret?: unknown }).$secret === 'string'
  );
}

/** The literal secret references of an input template, in document order (expressions are opaque). */
export function secretRefsOf(template: JsonValue | undefined): SecretRef[] {
  const refs: SecretRef[] = [];
  const walk = (value: JsonValue | undefined, path: (string | number)[]): void => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (isSecretRef(value)) {
      refs.push({ path, name: value.$secret });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
      return;
    }
    if (isExpr(value)) return;
    for (const [key, nested] of Object.entries(value)) walk(nested, [...path, key]);
  };
  walk(template, []);
  return refs;
}
