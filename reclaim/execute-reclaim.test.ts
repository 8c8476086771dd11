/**
 * The executor's handling of Graph's assignLicense answers, per user, against a scripted Graph that
 * answers with the documented payloads (graph-examples/assignLicense-*.json, error-assignLicense-*).
 */
import { afterAll, describe, expect, it } from "vitest";
import type { BatchItem, BatchResponse } from "../graph/graph-client.ts";
import { createReclaimJournalRepository } from "../store/reclaim-journal-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES } from "../store/testing/store-engines.ts";
import { executeReclaimPlan } from "./execute-reclaim.ts";
import type { PlanAction, ReclaimPlan } from "./plan-schema.ts";

const E3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";
const E5 = "06ebc4ee-1bb5-47dd-8120-11324bc54e06";
const VISIO = "c5928f49-12ba-48f7-ada3-0d743a3601d5";
const DISABLED = "8a256a2b-b617-496d-b51b-e76466e88db0";
const NOW = new Date("2026-11-26T12:00:00Z");

afterAll(dropFreshStores);

function action(userId: string, change: Partial<PlanAction> = {}): PlanAction {
  return {
    userId,
    userPrincipalName: `${userId}@contoso.example`,
    displayName: null,
    kind: "remove",
    remove: [{ skuId: VISIO, skuPartNumber: "VISIOCLIENT", ruleId: "LIC.ADDON_UNUSED.1v1", monthlySavings: 15 }],
    add: [],
    ruleIds: ["LIC.ADDON_UNUSED.1v1"],
    evidence: [],
    monthlySavings: 15,
    precondition: { accountEnabled: true, assignedLicenses: [{ skuId: E5, disabledPlans: [DISABLED] }, { skuId: VISIO, disabledPlans: [] }], assignments: null },
    ...change,
  };
}

function plan(actions: PlanAction[]): ReclaimPlan {
  return {
    planVersion: 1,
    planId: "p1",
    createdAt: "2026-11-26T00:00:00.000Z",
    tenantId: "t1",
    snapshot: { runId: "r1", collectedAt: "2026-11-26T00:00:00.000Z", ageDays: 0, licensedUsers: 100 },
    policy: { files: [], currency: "USD", rules: ["LIC.ADDON_UNUSED.1v1"], protect: { users: [], groups: [], departments: [] } },
    limits: { maxSnapshotAgeDays: 7, maxUsers: 10, overridden: false },
    actions,
    groupRemovals: [],
    notPlanned: [],
    cannotSucceed: [],
    totals: { users: actions.length, removals: actions.length, downgrades: 0, groupRemovals: 0, monthlySavings: 0, annualSavings: 0, currency: "USD", bySku: {} },
  };
}

const badRequest = (message: string): Omit<BatchResponse, "id"> => ({
  status: 400,
  headers: {},
  body: { error: { code: "Request_BadRequest", message, innerError: { date: "2026-11-26T12:25:59", "request-id": "613a2372-1a63-4b13-8c94-56793bbb140c" } } },
});

/** A Graph whose users hold E5 (one plan disabled) and Visio, and whose writes answer as scripted per user. */
function scriptedGraph(writes: Record<string, Omit<BatchResponse, "id">>) {
  const sent: BatchItem[] = [];
  return {
    sent,
    async batch(items: BatchItem[]): Promise<BatchResponse[]> {
      sent.push(...items);
      return items.map((item) => {
        const userId = decodeURIComponent(/^\/users\/([^/?]+)/.exec(item.url)![1]!);
        if (item.method === "GET") {
          return { id: item.id, status: 200, headers: {}, body: { id: userId, accountEnabled: true, usageLocation: null, assignedLicenses: [{ disabledPlans: [DISABLED], skuId: E5 }, { disabledPlans: [], skuId: VISIO }] } };
        }
        return { id: item.id, ...(writes[userId] ?? { status: 200, headers: {}, body: { accountEnabled: true, assignedLicenses: [{ disabledPlans: [DISABLED], skuId: E5 }] } }) };
      });
    },
  };
}

describe.each(STORE_ENGINES)("executeReclaimPlan ($name)", (engine) => {
  const journal = async () => createReclaimJournalRepository((await openFreshStore(engine)).db);

  it("sends Microsoft's documented assignLicense body: both fields, only the planned SKUs", async () => {
    const graph = scriptedGraph({});
    const summary = await executeReclaimPlan(plan([action("u1")]), { graph, journal: await journal(), now: () => NOW });
    expect(summary.counts.done).toBe(1);
    const write = graph.sent.find((i) => i.method === "POST")!;
    expect(write.url).toBe("/users/u1/assignLicense");
    expect(write.body).toEqual({ addLicenses: [], removeLicenses: [VISIO] });
    expect(graph.sent.find((i) => i.method === "GET")!.url).toBe("/users/u1?$select=id,accountEnabled,assignedLicenses,licenseAssignmentStates,usageLocation");
  });

  it("sends a downgrade as one call that adds the target with its disabled plans and removes the source", async () => {
    const graph = scriptedGraph({});
    const down = action("u1", { kind: "downgrade", remove: [{ skuId: E5, skuPartNumber: "SPE_E5", ruleId: "LIC.DOWNGRADE.E5_E3.1v1", monthlySavings: 21 }], add: [{ skuId: E3, skuPartNumber: "SPE_E3", disabledPlans: [DISABLED], replaces: [E5] }] });
    await executeReclaimPlan(plan([down]), { graph, journal: await journal(), now: () => NOW });
    const writes = graph.sent.filter((i) => i.method === "POST");
    expect(writes).toHaveLength(1);
    expect(writes[0]!.body).toEqual({ addLicenses: [{ disabledPlans: [DISABLED], skuId: E3 }], removeLicenses: [E5] });
  });

  it("counts Graph's 'does not have a corresponding license' as already done, and reports usage location and seat errors per user", async () => {
    const graph = scriptedGraph({
      gone: badRequest("User does not have a corresponding license."),
      nowhere: badRequest("License assignment cannot be done for user with invalid usage location."),
      full: badRequest(`Subscription with SKU ${E3} does not have any available licenses.`),
    });
    const store = await journal();
    const down = (id: string) => action(id, { kind: "downgrade", remove: [{ skuId: E5, skuPartNumber: "SPE_E5", ruleId: "LIC.DOWNGRADE.E5_E3.1v1", monthlySavings: 21 }], add: [{ skuId: E3, skuPartNumber: "SPE_E3", disabledPlans: [], replaces: [E5] }] });
    const summary = await executeReclaimPlan(plan([action("gone"), down("nowhere"), down("full"), action("fine")]), { graph, journal: store, now: () => NOW });
    const by = new Map(summary.actions.map((a) => [a.userId, a]));
    expect(by.get("gone")).toMatchObject({ status: "already", reason: expect.stringContaining("already removed") });
    expect(by.get("nowhere")).toMatchObject({ status: "failed", reason: expect.stringContaining("invalid usage location") });
    expect(by.get("full")).toMatchObject({ status: "failed", reason: expect.stringContaining("no free seat") });
    expect(by.get("fine")!.status).toBe("done");
    expect(summary.status).toBe("complete");
    expect((await store.actions(summary.runId)).find((a) => a.userId === "nowhere")!.requestIds).toContain("613a2372-1a63-4b13-8c94-56793bbb140c");
  });

  it("never resends a write without a certain answer: it stays pending and the next apply settles it by re-reading", async () => {
    const store = await journal();
    const lost = scriptedGraph({ u1: { status: 504, headers: {}, body: { error: { code: "GatewayTimeout", message: "timeout" } } } });
    const first = await executeReclaimPlan(plan([action("u1")]), { graph: lost, journal: store, now: () => NOW });
    expect(first.status).toBe("failed");
    expect(first.aborted).toMatch(/no certain answer|504/);
    expect((await store.actions(first.runId))[0]!.status).toBe("pending");
    // Graph had applied it: the re-read shows Visio gone, so the resumed run marks it done without writing.
    const applied = {
      sent: [] as BatchItem[],
      async batch(items: BatchItem[]): Promise<BatchResponse[]> {
        this.sent.push(...items);
        return items.map((i) => ({ id: i.id, status: 200, headers: {}, body: { id: "u1", accountEnabled: true, usageLocation: null, assignedLicenses: [{ disabledPlans: [DISABLED], skuId: E5 }] } }));
      },
    };
    const second = await executeReclaimPlan(plan([action("u1")]), { graph: applied, journal: store, now: () => NOW });
    expect(second).toMatchObject({ runId: first.runId, resumed: true, status: "complete", writes: 0 });
    expect(second.counts.done).toBe(1);
    expect(applied.sent.filter((i) => i.method === "POST")).toEqual([]);
  });

  it("refuses a second apply of the same plan while the first is running", async () => {
    const store = await journal();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const inner = scriptedGraph({});
    let entered: () => void = () => undefined;
    const writing = new Promise<void>((r) => (entered = r));
    const slow = { batch: async (items: BatchItem[]) => (entered(), await gate, inner.batch(items)) };
    const running = executeReclaimPlan(plan([action("u1")]), { graph: slow, journal: store, now: () => NOW });
    // The first run holds the lease once it talks to Graph (on a loaded PostgreSQL it may take a while).
    await writing;
    await expect(executeReclaimPlan(plan([action("u1")]), { graph: inner, journal: store, now: () => NOW })).rejects.toMatchObject({ reason: "concurrent-run" });
    release();
    expect((await running).status).toBe("complete");
    // Once the first finished, the lease is free again: another run is not refused.
    await expect(executeReclaimPlan(plan([action("u1")]), { graph: inner, journal: store, now: () => NOW })).resolves.toMatchObject({ status: "complete" });
  });

  it("stops at a 403 and leaves the rest of the run to resume", async () => {
    const forbidden = { status: 403, headers: {}, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } } };
    const graph = scriptedGraph({ u1: forbidden, u2: forbidden });
    const actions = Array.from({ length: 25 }, (_, i) => action(`u${i + 1}`));
    const summary = await executeReclaimPlan(plan(actions), { graph, journal: await journal(), now: () => NOW });
    expect(summary.status).toBe("failed");
    expect(summary.aborted).toMatch(/403.*LicenseAssignment\.ReadWrite\.All/);
    // The first $batch of 20 went out; the remaining 5 were not attempted.
    expect(graph.sent.filter((i) => i.method === "POST")).toHaveLength(20);
    expect(summary.actions.filter((a) => a.status === "planned")).toHaveLength(5);
  });

  it("skips a user who became protected since the plan, without writing", async () => {
    const graph = scriptedGraph({});
    const summary = await executeReclaimPlan(plan([action("u1"), action("u2")]), {
      graph,
      journal: await journal(),
      now: () => NOW,
      protectedNow: (id) => (id === "u2" ? 'member of protected group "Break Glass Accounts"' : null),
    });
    expect(summary.actions.find((a) => a.userId === "u2")).toMatchObject({ status: "skipped", reason: expect.stringContaining("now protected") });
    expect(graph.sent.filter((i) => i.method === "POST").map((i) => i.url)).toEqual(["/users/u1/assignLicense"]);
  });

  it("refuses a hand-edited plan that removes a license the precondition holds only through a group", async () => {
    const graph = scriptedGraph({});
    const viaGroup = action("u1", { precondition: { accountEnabled: true, assignedLicenses: [{ skuId: VISIO, disabledPlans: [] }], assignments: [{ skuId: VISIO, assignedByGroup: "g1", disabledPlans: [] }] } });
    await expect(executeReclaimPlan(plan([viaGroup]), { graph, journal: await journal(), now: () => NOW })).rejects.toThrow(/actions\[0\]\.remove\[0\].*only direct assignments/);
    expect(graph.sent).toEqual([]);
  });
});
