/**
 * One collection run: read the granted permissions from the token, plan what can be collected,
 * collect it into a new run of the store, record per task and part what was collected and what
 * was not (and why), then make the run visible atomically by marking it complete.
 */
import { GraphError } from "../core/errors.ts";
import { safeMessageLine } from "../core/redact.ts";
import { TASK_ENDPOINTS, TASK_IDENTITY, type GraphEndpoint, type Task } from "../core/permissions.ts";
import { friendlySkuName } from "../core/sku-catalogue.ts";
import type { TokenProvider } from "../graph/create-token-provider.ts";
import type { GraphClient } from "../graph/graph-client.ts";
import { planCollection, type SkippedPart } from "./plan-collection.ts";
import type { RunRepository } from "../store/run-repository.ts";
import type { CoverageRecord, SnapshotRepository } from "../store/snapshot-repository.ts";
import { collectAssignments, collectEnterpriseApps, readOrganizationName } from "./tasks/collect-apps.ts";
import { collectGroupMembers, type RefusedGroup } from "./tasks/collect-group-members.ts";
import { collectMfa } from "./tasks/collect-mfa.ts";
import { collectSignIns } from "./tasks/collect-sign-ins.ts";
import { collectSubscriptions } from "./tasks/collect-subscriptions.ts";
import { collectUsers } from "./tasks/collect-users.ts";
import { readGroupNames } from "./tasks/read-group-names.ts";
import { readMailboxPurposes } from "./tasks/read-mailbox-purposes.ts";
import { collectUsageReport } from "./tasks/usage-reports.ts";
import { COPILOT_USAGE_REPORT, USAGE_REPORTS, type ReportResult } from "../core/collected-records.ts";
import type { GraphSubscribedSku } from "../core/graph-types.ts";

/** Service plans that mean the tenant has Microsoft Entra ID P1 / P2 (reference §10). */
const ENTRA_PREMIUM_PLAN_IDS = new Set(["41781fb2-bc02-4b7c-bd55-b576c07bb09d", "eec0eb4f-6444-4f95-aba0-50c24d67f998"]);

/** Endpoints this version of the collector collects; the others are recorded as not collected. */
export const COLLECTED_ENDPOINTS: readonly GraphEndpoint[] = [
  "users.list",
  "users.signInActivity",
  "subscribedSkus.list",
  "directory.subscriptions",
  "reports.usage",
  "reports.copilotUsage",
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
  "users.mailboxSettings",
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
  /** Those of `protectGroups` only the shipped pack names (suggestions): not finding them is a note. */
  suggestedProtectGroups?: readonly string[];
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
  const runId = await deps.runs.begin(options.tenantId, token.roles, options.now());
  const coverage: CoverageRecord[] = [];
  let plan = planCollection(options.tasks, token.roles);
  let premium: boolean | undefined;
  const run: RunContext = {
    options,
    deps,
    runId,
    wants: (e) => plan.run.some((r) => r.endpoints.includes(e)),
    tasksUsing: (e) => plan.run.filter((r) => r.endpoints.includes(e)).map((r) => r.task),
    record: (r) => {
      coverage.push(r);
      options.onProgress?.({ task: r.task, part: r.part, items: r.items ?? 0 });
    },
    learnPremium: (value) => {
      premium = value;
      plan = planCollection(options.tasks, token.roles, value);
    },
  };
  try {
    await collectSkus(run);
    // Independent phases run side by side: each is paced by its own throttling scope, so the run
    // takes as long as the slowest scope (typically the identity reports' 5 requests per 10 s).
    const phases = await Promise.allSettled([collectDirectory(run), collectReports(run), collectIdentityReports(run), collectApplications(run)]);
    const failed = phases.find((p): p is PromiseRejectedResult => p.status === "rejected");
    if (failed) throw failed.reason;

    for (const s of [...plan.skippedTasks, ...plan.skippedParts]) run.record(skipped(s));
    for (const r of plan.run) {
      if (TASK_IDENTITY[r.task] === "reclaimer") {
        run.record({ task: r.task, part: "*", status: "skipped", reason: "not-a-collection-task", detail: "reclamation runs with `seatwise reclaim` and the reclaimer identity" });
        continue;
      }
      for (const e of r.endpoints) {
        if (COLLECTED_ENDPOINTS.includes(e)) continue;
        run.record({ task: r.task, part: e, status: "skipped", reason: "not-implemented", detail: `this version of Seatwise does not collect ${e}` });
      }
    }
    await deps.snapshots.saveCoverage(runId, coverage);
    const summary = { runId, status: "complete" as const, completeCoverage: coverage.every((c) => c.status === "collected"), premium, coverage, requests: deps.graph.stats.requests, throttled: deps.graph.stats.throttled };
    await deps.runs.finish(runId, "complete", summary, options.now());
    return summary;
  } catch (error) {
    // Kept in the store and printed in the summary: one line, secrets redacted (the one rule for messages).
    const message = safeMessageLine(error instanceof Error ? error.message : String(error));
    const summary = { runId, status: "failed" as const, completeCoverage: false, premium, coverage, requests: deps.graph.stats.requests, throttled: deps.graph.stats.throttled, error: message };
    await deps.runs.finish(runId, "failed", summary, options.now());
    return summary;
  }
}

/** What the phases of one run share. */
interface RunContext {
  options: CollectOptions;
  deps: CollectDeps;
  runId: string;
  wants(e: GraphEndpoint): boolean;
  tasksUsing(e: GraphEndpoint): Task[];
  record(r: CoverageRecord): void;
  /** The tenant turned out to have (or lack) Entra ID P1/P2: re-plan. */
  learnPremium(value: boolean): void;
}

function collected(run: RunContext, e: GraphEndpoint, items: number): void {
  for (const task of run.tasksUsing(e)) run.record({ task, part: e, status: "collected", items });
}

const isNonPremium = (error: unknown) => error instanceof GraphError && error.code === "Authentication_RequestFromNonPremiumTenantOrB2CTenant";

/** License positions, and whether the tenant has Entra ID P1/P2 (from the SKUs' service plans). */
async function collectSkus(run: RunContext): Promise<void> {
  if (!run.wants("subscribedSkus.list")) return;
  const skus = (
    await run.deps.graph.getJson<{ value: GraphSubscribedSku[] }>({
      path: "/subscribedSkus?$select=id,skuId,skuPartNumber,appliesTo,capabilityStatus,consumedUnits,prepaidUnits,servicePlans,subscriptionIds",
    })
  ).value;
  run.learnPremium(skus.some((s) => s.capabilityStatus !== "Deleted" && (s.servicePlans ?? []).some((p) => ENTRA_PREMIUM_PLAN_IDS.has(p.servicePlanId))));
  await run.deps.snapshots.saveSkus(run.runId, skus, friendlySkuName);
  collected(run, "subscribedSkus.list", skus.length);
  if (run.wants("directory.subscriptions")) {
    const subscriptions = await collectSubscriptions(run.deps.graph);
    await run.deps.snapshots.saveSubscriptions(run.runId, subscriptions);
    collected(run, "directory.subscriptions", subscriptions.length);
  }
}

/** Users (with licenses, sign-in activity and manager), license group names, protected groups' members. */
async function collectDirectory(run: RunContext): Promise<void> {
  const { deps, runId } = run;
  if (run.wants("users.list")) {
    let signInActivity = run.wants("users.signInActivity");
    const manager = run.wants("users.manager");
    const save = (page: Parameters<typeof deps.snapshots.saveUsers>[1]) => deps.snapshots.saveUsers(runId, page);
    let result;
    try {
      result = await collectUsers(deps.graph, { signInActivity, manager }, save);
    } catch (error) {
      if (!(signInActivity && isNonPremium(error))) throw error;
      // The tenant lacks Entra ID P1/P2: collect users without signInActivity and say so.
      run.learnPremium(false);
      signInActivity = false;
      result = await collectUsers(deps.graph, { signInActivity, manager }, save);
    }
    collected(run, "users.list", result.users);
    if (manager) collected(run, "users.manager", result.users);
    if (signInActivity) collected(run, "users.signInActivity", result.users);
    if (run.wants("users.mailboxSettings")) {
      const purposes = await readMailboxPurposes(deps.graph, result.blockedLicensedIds);
      await deps.snapshots.saveMailboxPurposes(runId, purposes);
      collected(run, "users.mailboxSettings", purposes.size);
    }
    if (run.wants("groups.get")) {
      const groups = await readGroupNames(deps.graph, [...result.licenseGroupIds]);
      await deps.snapshots.saveGroups(runId, groups);
      collected(run, "groups.get", groups.length);
    }
  }
  if (run.wants("groups.list") && run.wants("groups.members")) {
    const { groups, unresolved, refused } = await collectGroupMembers(deps.graph, run.options.protectGroups ?? []);
    await deps.snapshots.saveGroups(runId, groups);
    for (const g of groups) await deps.snapshots.saveGroupMembers(runId, g.id, g.userIds);
    const items = groups.reduce((n, g) => n + g.userIds.length, 0);
    for (const task of run.tasksUsing("groups.list")) {
      run.record({ task, part: "groups.members", status: "collected", items });
      run.record(protectGroupsRecord(task, items, unresolved, refused, run.options.suggestedProtectGroups ?? []));
    }
  }
}

/**
 * The coverage of the policy's protected groups. A group Graph refused to look up fails (its members
 * are unknown). A name that matches no group is not a failure of the run: names suggested by the
 * shipped pack are a note, names from the user's own policy a warning (`reclaim plan` refuses them);
 * `notFound` says which is which.
 */
export function protectGroupsRecord(task: Task, items: number, unresolved: readonly string[], refused: readonly RefusedGroup[], suggested: readonly string[]): CoverageRecord {
  const isSuggested = (name: string) => suggested.some((s) => s.toLowerCase() === name.toLowerCase());
  const notFound = unresolved.map((name) => ({ name, suggested: isSuggested(name) }));
  const own = notFound.filter((g) => !g.suggested).map((g) => `"${g.name}"`);
  const shipped = notFound.filter((g) => g.suggested).map((g) => `"${g.name}"`);
  const missing = [
    ...(own.length > 0 ? [`warning: no group named ${own.join(", ")} (protected by your policy; reclaim plan refuses until it exists or is removed)`] : []),
    ...(shipped.length > 0 ? [`note: no group named ${shipped.join(", ")} (suggested by the shipped policy pack; create it to protect its members)`] : []),
  ];
  if (refused.length > 0) {
    const detail = [`Graph refused the query for protected group ${refused.map((r) => `"${r.nameOrId}" (${r.error})`).join(", ")}: its members are unknown`, ...missing].join("; ");
    return { task, part: "groups.list", status: "failed", reason: "group-query-refused", detail, items, ...(notFound.length > 0 ? { notFound } : {}) };
  }
  if (notFound.length > 0) return { task, part: "groups.list", status: "collected", reason: own.length > 0 ? "protect-groups-not-found" : "suggested-groups-not-found", detail: missing.join("; "), items, notFound };
  return { task, part: "groups.list", status: "collected", items };
}

/** Usage reports (and the Microsoft 365 Copilot usage report) as CSV, and whether their user names are concealed. */
async function collectReports(run: RunContext): Promise<void> {
  const usage = run.wants("reports.usage");
  const copilot = run.wants("reports.copilotUsage");
  if (!usage && !copilot) return;
  const { deps, runId } = run;
  const results: ReportResult[] = [];
  let users = 0;
  // One report's rows in memory at a time: each is merged into the store, then dropped.
  if (usage) {
    for (const report of USAGE_REPORTS) {
      const { users: seen, ...result } = await collectUsageReport(deps.graph, report, (u) => deps.snapshots.mergeUsage(runId, u));
      results.push(result);
      users = Math.max(users, seen);
    }
  }
  const copilotPart = copilot ? await collectCopilotReport(run, results) : null;
  await deps.snapshots.completeUsage(runId);
  let concealedSetting = false;
  if (run.wants("admin.reportSettings")) {
    const settings = await deps.graph.getJson<{ displayConcealedNames?: boolean; value?: { displayConcealedNames?: boolean } }>({ path: "/admin/reportSettings" });
    concealedSetting = (settings.displayConcealedNames ?? settings.value?.displayConcealedNames) === true;
    collected(run, "admin.reportSettings", 1);
  }
  await deps.snapshots.saveReportStatus(runId, results);
  if (usage) {
    const concealed = concealedSetting || results.some((r) => r.report !== COPILOT_USAGE_REPORT && r.concealed);
    for (const task of run.tasksUsing("reports.usage")) {
      run.record(concealed ? { task, part: "reports.usage", status: "skipped", reason: "concealed-names", detail: CONCEALED_NAMES_HELP } : { task, part: "reports.usage", status: "collected", items: users });
    }
  }
  if (copilotPart) {
    const part = "reports.copilotUsage";
    for (const task of run.tasksUsing(part)) {
      if (copilotPart.error !== null) run.record({ task, part, status: "failed", reason: "graph-error", detail: copilotPart.error });
      else if (concealedSetting || copilotPart.concealed) run.record({ task, part, status: "skipped", reason: "concealed-names", detail: CONCEALED_NAMES_HELP });
      else run.record({ task, part, status: "collected", items: copilotPart.users });
    }
  }
}

/**
 * The Microsoft 365 Copilot usage report. A Graph error (a tenant where the report is not offered)
 * fails only this part: Copilot findings then go to review, the rest of the run is unaffected.
 */
async function collectCopilotReport(run: RunContext, results: ReportResult[]): Promise<{ users: number; concealed: boolean; error: string | null }> {
  const { deps, runId } = run;
  try {
    const { users, ...result } = await collectUsageReport(deps.graph, COPILOT_USAGE_REPORT, (u) => deps.snapshots.mergeUsage(runId, u));
    results.push(result);
    return { users, concealed: result.concealed, error: null };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    return { users: 0, concealed: false, error: `the Microsoft 365 Copilot usage report could not be read: ${error.status} ${error.code || "(no code)"} (request-id ${error.requestId || "none"})` };
  }
}

/** MFA registration and sign-in logs (identity and access reports, Entra ID P1/P2). */
async function collectIdentityReports(run: RunContext): Promise<void> {
  const { deps, runId, options } = run;
  // A 403 for lack of Entra ID P1/P2 skips the part and teaches the plan, instead of failing the run.
  const premiumOnly = async (endpoint: GraphEndpoint, fn: () => Promise<number>) => {
    if (!run.wants(endpoint)) return;
    try {
      collected(run, endpoint, await fn());
    } catch (error) {
      if (!isNonPremium(error)) throw error;
      run.learnPremium(false);
    }
  };
  // Both share the 5-requests-per-10-s budget; run side by side, one's paging latency fills the other's gaps.
  const mfa = premiumOnly("reports.userRegistrationDetails", () => collectMfa(deps.graph, (page) => deps.snapshots.saveMfa(runId, page)));
  const signIns = premiumOnly("auditLogs.signIns", async () => {
    const since =
      (await deps.snapshots.watermark(options.tenantId, "signIns")) ?? new Date(options.now().getTime() - SIGN_IN_FIRST_RUN_DAYS * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const result = await collectSignIns(deps.graph, since, (page) => deps.snapshots.saveSignIns(options.tenantId, page));
    if (result.newest) await deps.snapshots.setWatermark(options.tenantId, "signIns", result.newest);
    return result.count;
  });
  const failed = (await Promise.allSettled([mfa, signIns])).find((p): p is PromiseRejectedResult => p.status === "rejected");
  if (failed) throw failed.reason;
}

/** The organization's name, enterprise applications and who is assigned to them. */
async function collectApplications(run: RunContext): Promise<void> {
  const { deps, runId } = run;
  if (run.wants("organization.list")) {
    const name = await readOrganizationName(deps.graph);
    if (name !== null) await deps.snapshots.saveRunFact(runId, "organizationDisplayName", name);
    collected(run, "organization.list", 1);
  }
  if (!run.wants("servicePrincipals.list")) return;
  const apps = await collectEnterpriseApps(deps.graph);
  collected(run, "servicePrincipals.list", apps.length);
  const assignments = run.wants("servicePrincipals.appRoleAssignedTo") ? await collectAssignments(deps.graph, apps, { expandGroups: run.wants("groups.members") }) : [];
  await deps.snapshots.saveApps(runId, apps, assignments);
  if (!run.wants("servicePrincipals.appRoleAssignedTo")) return;
  for (const task of run.tasksUsing("servicePrincipals.appRoleAssignedTo")) {
    run.record({ task, part: "servicePrincipals.appRoleAssignedTo", status: "collected", items: assignments.length });
    if (run.wants("groups.members") && TASK_ENDPOINTS[task].includes("groups.members")) run.record({ task, part: "groups.members", status: "collected", items: assignments.length });
  }
}

function skipped(s: SkippedPart): CoverageRecord {
  return { task: s.task, part: s.endpoint, status: "skipped", reason: s.reason, detail: s.detail };
}
