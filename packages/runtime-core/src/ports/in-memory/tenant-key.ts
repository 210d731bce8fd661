/** A map key scoping `parts` to a tenant (NUL cannot occur in tenant ids or names we accept). */
export function tenantKey(tenant: string, ...parts: readonly string[]): string {
  return [tenant, ...parts].join('\u0000');
}
