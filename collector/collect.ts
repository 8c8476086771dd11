/**
 * One collection run: read the granted permissions from the token, plan what can be collected,
 * collect it into a new run of the store, record per task and part what was collected and what
 * was not (and why), then make the run visible atomically by marking it complete.
 */
import { GraphError } from "../core/errors.ts";
import { TASK_ENDPOINTS, type GraphEndpoint, type Task } from "../core/permissions.ts";
import { friendlySkuName } from "../core/sku-catalogue.ts";
import type { TokenProvider } from "./auth/create-token-provider.ts";
import type { GraphClient } from "./graph/graph-client.ts";
import { planCollection, type SkippedPart } from "./plan-collection.ts";
import type { RunRepository } from "./store/run-repository.ts";
import type { CoverageRecord, SnapshotRepository } from "./store/snapshot-repository.ts";
import { collectAssignments, collectEnterpriseApps, readOrganizationName } from "./tasks/collect-apps.ts";
import { collectGroupMembers } from "./tasks/collect-group-members.ts";
import { collectMfa } from "./tasks/collect-mfa.ts";
import { collectSignIns } from "./tasks/collect-sign-ins.ts";
import { collectUsers } from "./tasks/collect-users.ts";
import { readGroupNames } from "./tasks/read-group-names.ts";
import { USAGE_REPORTS, collectUsageReport, type ReportResult, type UserUsage } from "./tasks/usage-reports.ts";
import type { GraphSubscribedSku } from "./tasks/graph-types.ts";

/** Service plans that mean the tenant has Microsoft Entra ID P1 / P2 (reference §10). */
const ENTRA_PREMIUM_PLAN_IDS = new Set(["41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"]);

/** Endpoints this version of the collector collects; the others are recorded as not collected. */
export const COLLECTED_ENDPOINTS: readonly GraphEndpoint[] = [
  "users.list",
  "users.signInActivity",
  "subscribedSkus.list",
  "reports.usage",
  "reports.userRegistrationDetails",
  "auditLogs.signIns",
  "admin.reportSettings",
  "servicePrincipals.list",
  "servicePrincipals.appRoleAssignedTo",
  "groups.members",
  "organization.list",
  "groups.get",
  "users.manager",
  "groups.list",
];

/** Days of sign-in logs read on a tenant's first run (Entra keeps 30 days with P1/P2). */
export const SIGN_IN_FIRST_RUN_DAYS = 30;

/** How to turn report concealment off (Microsoft 365 admin center). */
export const CONCEALED_NAMES_HELP =
  "usage reports conceal user names, so per-user activity cannot be joined to users; in the Microsoft 365 admin center go to Settings > Org settings > Services > Reports and clear \"Display concealed user, group, and site names in all reports\"";

export interface CollectOptions {
  tenantId: string;
  tasks: readonly Task[];
  /** Groups (display names or ids) whose members a policy protects: their memberships are collected. */
  protectGroups?: readonly string[];
  now: () => Date;
  onProgress?: (event: { task: string; part: string; items: number }) => void;
}

export interface CollectDeps {
  tokens: TokenProvider;
  graph: GraphClient;
  runs: RunRepository;
  snapshots: SnapshotRepository;
}

export interface CollectSummary {
  runId: string;
  status: "complete" | "failed";
  /** True when every planned part was collected. */
  completeCoverage: boolean;
  premium: boolean | undefined;
  coverage: CoverageRecord[];
  requests: number;
  throttled: number;
  error?: string;
}

export async function collect(options: CollectOptions, deps: CollectDeps): Promise<CollectSummary> {
  const token = await deps.tokens.getToken();
  const runId = deps.runs.begin(options.tenantId, token.roles, options.now());
  const coverage: CoverageRecord[] = [];
  const record = (r: CoverageRecord) => {
    coverage.push(r);
    options.onProgress?.({ task: r.task, part: r.part, items: r.items ?? 0 });
  };
  let premium: boolean | undefined;
  try {
    let plan = planCollection(options.tasks, token.roles);
    const wants = (e: GraphEndpoint) => plan.run.some((r) => r.endpoints.includes(e));
    const tasksUsing = (e: GraphEndpoint) => plan.run.filter((r) => r.endpoints.includes(e)).map((r) => r.task);

    let skus: GraphSubscribedSku[] | undefined;
    if (wants("subscribedSkus.list")) {
      skus = (await deps.graph.getJson<{ value: GraphSubscribedSku[] }>({ path: "/subscribedSkus?$select=id,skuId,skuPartNumber,appliesTo,capabilityStatus,consumedUnits,prepaidUnits,servicePlans,subscriptionIds" })).value;
      premium = skus.some((s) => s.capabilityStatus !== "Deleted" && (s.servicePlans ?? []).some((p) => ENTRA_PREMIUM_PLAN_IDS.has(p.servicePlanId)));
      plan = planCollection(options.tasks, token.roles, premium);
      deps.snapshots.saveSkus(runId, skus, friendlySkuName);
      for (const task of tasksUsing("subscribedSkus.list")) record({ task, part: "subscribedSkus.list", status: "collected", items: skus.length });
    }

    if (wants("users.list")) {
      let signInActivity = wants("users.signInActivity");
      const save = (page: Parameters<typeof deps.snapshots.saveUsers>[1]) => deps.snapshots.saveUsers(runId, page);
      const manager = wants("users.manager");
      let result;
      try {
        result = await collectUsers(deps.graph, { signInActivity, manager }, save);
      } catch (error) {
        if (!(signInActivity && error instanceof GraphError && error.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant")) throw error;
        // The tenant lacks Entra ID P1/P2: collect users without signInActivity and say so.
        premium = false;
        signInActivity = false;
        plan = planCollection(options.tasks, token.roles, false);
        result = await collectUsers(deps.graph, { signInActivity, manager }, save);
      }
      if (manager) for (const task of tasksUsing("users.manager")) record({ task, part: "users.manager", status: "collected", items: result.users });
      for (const task of tasksUsing("users.list")) record({ task, part: "users.list", status: "collected", items: result.users });
      if (wants("groups.get")) {
        const groups = await readGroupNames(deps.graph, [...result.licenseGroupIds]);
        deps.snapshots.saveGroups(runId, groups);
        for (const task of tasksUsing("groups.get")) record({ task, part: "groups.get", status: "collected", items: groups.length });
      }
      if (signInActivity) for (const task of tasksUsing("users.signInActivity")) record({ task, part: "users.signInActivity", status: "collected", items: result.users });
    }

    // A 403 for lack of Entra ID P1/P2 skips the part and teaches the plan, instead of failing the run.
    const premiumOnly = async (endpoint: GraphEndpoint, fn: () => Promise<number>) => {
      try {
        const items = await fn();
        for (const task of tasksUsing(endpoint)) record({ task, part: endpoint, status: "collected", items });
      } catch (error) {
        if (!(error instanceof GraphError && error.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant")) throw error;
        premium = false;
        plan = planCollection(options.tasks, token.roles, false);
      }
    };

    if (wants("reports.usage")) {
      const usage = new Map<string, UserUsage>();
      const results: ReportResult[] = [];
      for (const report of USAGE_REPORTS) results.push(await collectUsageReport(deps.graph, report, usage));
      let concealed = results.some((r) => r.concealed);
      if (wants("admin.reportSettings")) {
        const settings = await deps.graph.getJson<{ displayConcealedNames?: boolean; value?: { displayConcealedNames?: boolean } }>({ path: "/admin/reportSettings" });
        concealed ||= (settings.displayConcealedNames ?? settings.value?.displayConcealedNames) === true;
        for (const task of tasksUsing("admin.reportSettings")) record({ task, part: "admin.reportSettings", status: "collected", items: 1 });
      }
      deps.snapshots.saveReportStatus(runId, results);
      deps.snapshots.saveUsage(runId, usage);
      for (const task of tasksUsing("reports.usage")) {
        record(concealed ? { task, part: "reports.usage", status: "skipped", reason: "concealed-names", detail: CONCEALED_NAMES_HELP } : { task, part: "reports.usage", status: "collected", items: usage.size });
      }
    }

    if (wants("reports.userRegistrationDetails")) {
      await premiumOnly("reports.userRegistrationDetails", () => collectMfa(deps.graph, (page) => deps.snapshots.saveMfa(runId, page)));
    }

    if (wants("auditLogs.signIns")) {
      await premiumOnly("auditLogs.signIns", async () => {
        const since = deps.snapshots.watermark(options.tenantId, "signIns") ?? new Date(options.now().getTime() - SIGN_IN_FIRST_RUN_DAYS * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
        const result = await collectSignIns(deps.graph, since, (page) => deps.snapshots.saveSignIns(options.tenantId, page));
        if (result.newest) deps.snapshots.setWatermark(options.tenantId, "signIns", result.newest);
        return result.count;
      });
    }

    if (wants("groups.list") && wants("groups.members")) {
      const { groups, unresolved } = await collectGroupMembers(deps.graph, options.protectGroups ?? []);
      deps.snapshots.saveGroups(runId, groups);
      for (const g of groups) deps.snapshots.saveGroupMembers(runId, g.id, g.userIds);
      const items = groups.reduce((n, g) => n + g.userIds.length, 0);
      for (const task of tasksUsing("groups.list")) {
        record({ task, part: "groups.members", status: "collected", items });
        record(
          unresolved.length === 0
            ? { task, part: "groups.list", status: "collected", items }
            : { task, part: "groups.list", status: "failed", reason: "unresolved-groups", detail: `no group named ${unresolved.map((u) => `"${u}"`).join(", ")} (protected groups of the policy)`, items },
        );
      }
    }

    if (wants("organization.list")) {
      const name = await readOrganizationName(deps.graph);
      if (name !== null) deps.snapshots.saveRunFact(runId, "organizationDisplayName", name);
      for (const task of tasksUsing("organization.list")) record({ task, part: "organization.list", status: "collected", items: 1 });
    }

    if (wants("servicePrincipals.list")) {
      const apps = await collectEnterpriseApps(deps.graph);
      for (const task of tasksUsing("servicePrincipals.list")) record({ task, part: "servicePrincipals.list", status: "collected", items: apps.length });
      const assignments = wants("servicePrincipals.appRoleAssignedTo") ? await collectAssignments(deps.graph, apps, { expandGroups: wants("groups.members") }) : [];
      deps.snapshots.saveApps(runId, apps, assignments);
      if (wants("servicePrincipals.appRoleAssignedTo")) {
        for (const task of tasksUsing("servicePrincipals.appRoleAssignedTo")) {
          record({ task, part: "servicePrincipals.appRoleAssignedTo", status: "collected", items: assignments.length });
          if (wants("groups.members") && TASK_ENDPOINTS[task].includes("groups.members")) record({ task, part: "groups.members", status: "collected", items: assignments.length });
        }
      }
    }

    for (const s of [...plan.skippedTasks, ...plan.skippedParts]) record(skipped(s));
    for (const r of plan.run) {
      for (const e of r.endpoints) {
        if (COLLECTED_ENDPOINTS.includes(e)) continue;
        record({ task: r.task, part: e, status: "skipped", reason: "not-implemented", detail: `this version of Seatwise does not collect ${e} yet` });
      }
    }
    deps.snapshots.saveCoverage(runId, coverage);
    const summary = { runId, status: "complete" as const, completeCoverage: coverage.every((c) => c.status === "collected"), premium, coverage, requests: deps.graph.stats.requests, throttled: deps.graph.stats.throttled };
    deps.runs.finish(runId, "complete", summary, options.now());
    return summary;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const summary = { runId, status: "failed" as const, completeCoverage: false, premium, coverage, requests: deps.graph.stats.requests, throttled: deps.graph.stats.throttled, error: message };
    deps.runs.finish(runId, "failed", summary, options.now());
    return summary;
  }
}

function skipped(s: SkippedPart): CoverageRecord {
  return { task: s.task, part: s.endpoint, status: "skipped", reason: s.reason, detail: s.detail };
}
