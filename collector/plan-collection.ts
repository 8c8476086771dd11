/**
 * Knowing what it cannot see, pure: from the enabled tasks and the permissions actually granted
 * (the access token's `roles` claim), decide which tasks run, which of their parts are skipped, and
 * why — so a run records "not collected because X" instead of silently missing data. A task whose
 * essential endpoint is not authorized is skipped whole; otherwise only the parts that need the
 * missing permission are.
 */
import { ENDPOINT_PERMISSIONS, TASK_ENDPOINTS, isAuthorized, type GraphEndpoint, type Task } from "../core/permissions.ts";

/** Endpoints without which a task has nothing to say. The rest of its endpoints are optional parts. */
export const ESSENTIAL_ENDPOINTS: Readonly<Record<Task, readonly GraphEndpoint[]>> = {
  applicationRoster: ["users.list"],
  applicationAccess: ["reports.usage"],
  licenseInformation: ["subscribedSkus.list"],
  hrRoster: ["users.list"],
  applicationDiscovery: ["servicePrincipals.list"],
  ssoApplicationRoster: ["servicePrincipals.list", "servicePrincipals.appRoleAssignedTo"],
  ssoApplicationAccess: ["auditLogs.signIns"],
  reclamation: ["users.get", "users.assignLicense"],
  concealedNames: ["admin.reportSettings"],
  sharedMailboxes: ["users.mailboxSettings"],
};

/** Endpoints that need Microsoft Entra ID P1 or P2 in the tenant. */
export const PREMIUM_ENDPOINTS: readonly GraphEndpoint[] = ["users.signInActivity", "auditLogs.signIns", "reports.userRegistrationDetails"];

export interface SkippedPart {
  task: Task;
  endpoint: GraphEndpoint;
  reason: "missing-permission" | "no-premium-license";
  /** Human-readable: what is missing and how to get it. */
  detail: string;
}

export interface CollectionPlan {
  /** Tasks that run, each with the endpoints it may call. */
  run: { task: Task; endpoints: GraphEndpoint[] }[];
  /** Tasks skipped whole. */
  skippedTasks: SkippedPart[];
  /** Parts of running tasks that are skipped. */
  skippedParts: SkippedPart[];
}

/**
 * Plans a collection. `premium` is false when the tenant is known to lack Entra ID P1/P2 (learned
 * from subscribedSkus service plans or from a 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant),
 * undefined when not known yet.
 */
export function planCollection(tasks: readonly Task[], roles: readonly string[], premium?: boolean): CollectionPlan {
  const plan: CollectionPlan = { run: [], skippedTasks: [], skippedParts: [] };
  for (const task of tasks) {
    const blocked = (e: GraphEndpoint): SkippedPart | undefined => {
      if (!isAuthorized(e, roles)) {
        return { task, endpoint: e, reason: "missing-permission", detail: `needs ${ENDPOINT_PERMISSIONS[e][0]} (application permission, admin-consented)` };
      }
      if (premium === false && PREMIUM_ENDPOINTS.includes(e)) {
        return { task, endpoint: e, reason: "no-premium-license", detail: "needs Microsoft Entra ID P1 or P2 in the tenant" };
      }
      return undefined;
    };
    const essentialBlocked = ESSENTIAL_ENDPOINTS[task].map(blocked).filter((s): s is SkippedPart => s !== undefined);
    if (essentialBlocked.length > 0) {
      plan.skippedTasks.push(...essentialBlocked);
      continue;
    }
    const endpoints: GraphEndpoint[] = [];
    for (const e of TASK_ENDPOINTS[task]) {
      const skip = blocked(e);
      if (skip) plan.skippedParts.push(skip);
      else endpoints.push(e);
    }
    plan.run.push({ task, endpoints });
  }
  return plan;
}
