/**
 * Resolves Microsoft Graph application permission names to the app role ids published by the
 * Microsoft Graph service principal of the tenant being provisioned. Pure; ids are never
 * hard-coded in provisioning.
 */
import type { GraphPermission } from "../core/permissions.ts";

/** One resolved permission: its name and the app role id on Microsoft Graph. */
export interface ResolvedAppRole {
  permission: GraphPermission;
  id: string;
}

/**
 * Looks every permission up in `appRoleIds` (the service principal's `appRoleIds`: value → id).
 * Throws naming the missing permissions, so a cloud lacking a role fails the preview, not collection.
 */
export function resolveAppRoleIds(appRoleIds: Readonly<Record<string, string>>, permissions: readonly GraphPermission[]): ResolvedAppRole[] {
  const missing = permissions.filter((p) => !appRoleIds[p]);
  if (missing.length > 0) {
    throw new Error(`the Microsoft Graph service principal of this tenant publishes no application permission named ${missing.map((m) => `"${m}"`).join(", ")}; cannot grant it`);
  }
  return permissions.map((permission) => ({ permission, id: appRoleIds[permission]! }));
}
