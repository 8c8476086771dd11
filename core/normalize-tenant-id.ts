/**
 * A tenant is named by its directory id (a GUID) or a verified domain, both case-insensitive in
 * Entra. Seatwise keys the store, the reclamation lease and plans by tenant id, so `6F1C…` and
 * `6f1c…` (or `Contoso.com` and `contoso.com`) must be one tenant: every tenant id is lower-cased
 * and trimmed once, at the edge, and stored ids are compared through `sameTenant`. Pure.
 */

/** The canonical form of a tenant id or domain: trimmed, lower-case. */
export function normalizeTenantId(tenantId: string): string {
  return tenantId.trim().toLowerCase();
}

/** Whether two tenant ids (as stored, as configured, or from a plan) name the same tenant. */
export function sameTenant(a: string, b: string): boolean {
  return normalizeTenantId(a) === normalizeTenantId(b);
}
