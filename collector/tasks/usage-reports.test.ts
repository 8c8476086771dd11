import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { GraphClient } from "../../graph/graph-client.ts";
import { createRunRepository } from "../../store/run-repository.ts";
import { createSnapshotRepository } from "../../store/snapshot-repository.ts";
import { dropFreshStores, openFreshStore, STORE_ENGINES, type StoreEngine } from "../../store/testing/store-engines.ts";
import { USAGE_FLUSH_ROWS, collectUsageReport, isConcealedName } from "./usage-reports.ts";
import type { CollectedReport, UserUsage } from "../../core/collected-records.ts";

/**
 * A Graph client whose download streams the given CSV text in 7-byte chunks, splitting multi-byte
 * characters and lines (the HTTP path itself is tested in graph-client.test.ts).
 */
function graphReturning(csv: string): GraphClient {
  const bytes = Buffer.from(csv, "utf8");
  return {
    downloadStream: async (_call: unknown, onChunk: (c: Buffer) => void) => {
      for (let i = 0; i < bytes.length; i += 7) onChunk(bytes.subarray(i, i + 7));
    },
  } as unknown as GraphClient;
}

afterAll(dropFreshStores);

/** Collects reports into a real store (of each engine) and reads the merged per-user usage back. */
async function collectInto(engine: StoreEngine, reports: [CollectedReport, string][]) {
  const { db } = await openFreshStore(engine);
  const runId = await createRunRepository(db).begin("t", [], new Date());
  const repo = createSnapshotRepository(db);
  const results = [];
  for (const [report, csv] of reports) results.push(await collectUsageReport(graphReturning(csv), report, (u) => repo.mergeUsage(runId, u)));
  await repo.completeUsage(runId);
  const usage = await repo.usage(runId);
  await db.close();
  return { results, usage };
}

const REFERENCE = join(import.meta.dirname, "../../test/fixtures/graph-examples");

describe.each(STORE_ENGINES)("usage report parsing ($name)", (engine) => {
  it("reads columns by header name, tolerating BOM, CRLF, quotes, reordered and extra columns", async () => {
    const csv =
      "\ufeffUser Principal Name,Extra Column,Report Refresh Date,Storage Used (Byte),Has Archive,Item Count,Last Activity Date\r\n" +
      '"adèle@contoso.com","x, with comma",2026-11-24,53687091200,True,12,2026-11-20\r\n';
    const { results, usage } = await collectInto(engine, [["getMailboxUsageDetail", csv]]);
    expect(results[0]).toEqual({ report: "getMailboxUsageDetail", refreshDate: "2026-11-24", rows: 1, concealed: false, users: 1 });
    expect(usage.get("adèle@contoso.com")?.mailbox).toEqual({ storageUsedBytes: 53687091200, hasArchive: true, itemCount: 12, lastActivityDate: "2026-11-20" });
  });

  it("detects concealed names and ties no row to a user", async () => {
    const csv = "Report Refresh Date,User Principal Name,Exchange Last Activity Date\n2026-11-24,FE7CC8C15246EDCCA289C9A4022762F7,2026-11-01\n";
    const { results, usage } = await collectInto(engine, [["getOffice365ActiveUserDetail", csv]]);
    expect(results[0]!.concealed).toBe(true);
    expect(usage.size).toBe(0);
    expect(isConcealedName("FE7CC8C15246EDCCA289C9A4022762F7")).toBe(true);
    expect(isConcealedName("adele@contoso.com")).toBe(false);
  });

  it("merges reports per user: app usage flags, Outlook, and one activation per product", async () => {
    const active = "Report Refresh Date,User Principal Name,Exchange Last Activity Date,Teams Last Activity Date\n2026-11-24,a@c.com,2026-11-22,\n";
    const apps = "Report Refresh Date,User Principal Name,Last Activity Date,Windows,Mac,Mobile,Web,Outlook\n2026-11-24,a@c.com,2026-11-23,Yes,No,No,Yes,Yes\n";
    const acts = "Report Refresh Date,User Principal Name,Product Type,Last Activated Date,Windows,Mac\n2026-11-24,a@c.com,Visio Client,2026-01-02,1,0\n2026-11-24,a@c.com,Project Client,,0,0\n";
    const { usage } = await collectInto(engine, [
      ["getOffice365ActiveUserDetail", active],
      ["getM365AppUserDetail", apps],
      ["getOffice365ActivationsUserDetail", acts],
    ]);
    const u = usage.get("a@c.com")!;
    expect(u.apps).toEqual({ windows: true, mac: false, mobile: false, web: true, lastActivityDate: "2026-11-23" });
    expect(u.activity).toMatchObject({ exchange: "2026-11-22", outlook: "2026-11-23" });
    expect(u.activity.teams ?? null).toBeNull();
    expect(Object.values(u.activations ?? {})).toEqual([
      { productType: "Visio Client", lastActivatedDate: "2026-01-02", windows: 1, mac: 0 },
      // A null date is absent from the stored JSON (merge patch drops nulls); the snapshot reads it as null.
      { productType: "Project Client", windows: 0, mac: 0 },
    ]);
  });

  it("keeps every product of a user whose rows straddle a flush", async () => {
    const header = "Report Refresh Date,User Principal Name,Product Type,Last Activated Date,Windows,Mac\n";
    const filler = Array.from({ length: USAGE_FLUSH_ROWS - 1 }, (_, i) => `2026-11-24,u${i}@c.com,Word,2026-01-01,1,0\n`).join("");
    const csv = `${header}2026-11-24,z@c.com,Visio Client,2026-01-02,1,0\n${filler}2026-11-24,z@c.com,Project Client,2026-01-03,1,0\n`;
    const { usage } = await collectInto(engine, [["getOffice365ActivationsUserDetail", csv]]);
    expect(Object.keys(usage.get("z@c.com")?.activations ?? {}).sort()).toEqual(["Project Client", "Visio Client"]);
    expect(usage.size).toBe(USAGE_FLUSH_ROWS);
  });

  it("reads the Copilot report per app, and keeps a licensed user without any Copilot activity", async () => {
    const header = readFileSync(join(REFERENCE, "getMicrosoft365CopilotUsageUserDetail.csv"), "utf8").split(/\r?\n/)[0];
    const csv =
      `${header}\r\n` +
      "2026-11-24,heavy@c.com,Heavy User,2026-11-20,2026-11-20,2026-11-19,2026-10-01,,,2026-11-02,,,90\r\n" +
      "2026-11-24,idle@c.com,Idle User,,,,,,,,,,90\r\n";
    const { results, usage } = await collectInto(engine, [["getMicrosoft365CopilotUsageUserDetail", csv]]);
    expect(results[0]).toEqual({ report: "getMicrosoft365CopilotUsageUserDetail", refreshDate: "2026-11-24", rows: 2, concealed: false, users: 2 });
    // Null dates may be absent from the stored JSON (merge patch drops nulls): compare the dates present.
    const dated = (c: UserUsage["copilot"]) => c && { last: c.lastActivityDate ?? null, apps: Object.fromEntries(Object.entries(c.apps).filter(([, d]) => d)) };
    expect(dated(usage.get("heavy@c.com")?.copilot)).toEqual({ last: "2026-11-20", apps: { copilotChat: "2026-11-20", teams: "2026-11-19", word: "2026-10-01", outlook: "2026-11-02" } });
    // A licensed user without any use is still in the report: a seat without activity, not a missing row.
    expect(dated(usage.get("idle@c.com")?.copilot)).toEqual({ last: null, apps: {} });
  });

  it("detects the concealed names of Microsoft's Copilot report example", async () => {
    const csv = readFileSync(join(REFERENCE, "getMicrosoft365CopilotUsageUserDetail.csv"), "utf8");
    const { results, usage } = await collectInto(engine, [["getMicrosoft365CopilotUsageUserDetail", csv]]);
    expect(results[0]).toMatchObject({ refreshDate: "2026-07-03", rows: 1, concealed: true });
    expect(usage.size).toBe(0);
  });
});
