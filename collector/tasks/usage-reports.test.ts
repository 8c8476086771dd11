import { describe, expect, it } from "vitest";
import type { GraphClient } from "../graph/graph-client.ts";
import { collectUsageReport, isConcealedName, type UserUsage } from "./usage-reports.ts";

/** A Graph client whose download returns the given CSV text (the HTTP path is tested in graph-client.test.ts). */
function graphReturning(csv: string): GraphClient {
  return { download: async () => Buffer.from(csv, "utf8") } as unknown as GraphClient;
}

describe("usage report parsing", () => {
  it("reads columns by header name, tolerating BOM, CRLF, quotes, reordered and extra columns", async () => {
    const csv =
      "\ufeffUser Principal Name,Extra Column,Report Refresh Date,Storage Used (Byte),Has Archive,Item Count,Last Activity Date\r\n" +
      '"adele@contoso.com","x, with comma",2026-11-24,53687091200,True,12,2026-11-20\r\n';
    const usage = new Map<string, UserUsage>();
    const result = await collectUsageReport(graphReturning(csv), "getMailboxUsageDetail", usage);
    expect(result).toEqual({ report: "getMailboxUsageDetail", refreshDate: "2026-11-24", rows: 1, concealed: false });
    expect(usage.get("adele@contoso.com")?.mailbox).toEqual({ storageUsedBytes: 53687091200, hasArchive: true, itemCount: 12, lastActivityDate: "2026-11-20" });
  });

  it("detects concealed names and ties no row to a user", async () => {
    const csv = "Report Refresh Date,User Principal Name,Exchange Last Activity Date\n2026-11-24,FE7CC8C15246EDCCA289C9A4022762F7,2026-11-01\n";
    const usage = new Map<string, UserUsage>();
    const result = await collectUsageReport(graphReturning(csv), "getOffice365ActiveUserDetail", usage);
    expect(result.concealed).toBe(true);
    expect(usage.size).toBe(0);
    expect(isConcealedName("FE7CC8C15246EDCCA289C9A4022762F7")).toBe(true);
    expect(isConcealedName("adele@contoso.com")).toBe(false);
  });

  it("reads Yes/No app usage flags and one activation row per product", async () => {
    const apps = "Report Refresh Date,User Principal Name,Last Activity Date,Windows,Mac,Mobile,Web\n2026-11-24,a@c.com,2026-11-23,Yes,No,No,Yes\n";
    const acts = "Report Refresh Date,User Principal Name,Product Type,Last Activated Date,Windows,Mac\n2026-11-24,a@c.com,Visio Client,2026-01-02,1,0\n2026-11-24,a@c.com,Project Client,,0,0\n";
    const usage = new Map<string, UserUsage>();
    await collectUsageReport(graphReturning(apps), "getM365AppUserDetail", usage);
    await collectUsageReport(graphReturning(acts), "getOffice365ActivationsUserDetail", usage);
    expect(usage.get("a@c.com")?.apps).toEqual({ windows: true, mac: false, mobile: false, web: true, lastActivityDate: "2026-11-23" });
    expect(usage.get("a@c.com")?.activations).toEqual([
      { productType: "Visio Client", lastActivatedDate: "2026-01-02", windows: 1, mac: 0 },
      { productType: "Project Client", lastActivatedDate: null, windows: 0, mac: 0 },
    ]);
  });
});
