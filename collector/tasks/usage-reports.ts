/**
 * Microsoft 365 usage reports as CSV through the 302 pre-authenticated download: one request plus
 * one download per report (far cheaper than 200-row JSON pages), each paced by its own documented
 * limit (14 per 10 minutes per report). The Microsoft 365 Copilot usage report (v1.0) answers 200
 * with the CSV itself instead of a 302; both are read the same way. Rows are read by header name, so column order, extra
 * columns, a BOM, CRLF and quoted fields do not matter. Concealed user names (32-character hex
 * instead of a UPN) are detected from the data: their rows are kept out of per-user evidence.
 */
import { createCsvRecordParser } from "../../core/csv.ts";
import type { GraphClient } from "../../graph/graph-client.ts";
import { COPILOT_APPS, type CopilotApp } from "../../core/user-facts.ts";
import type { CollectedReport, ReportResult, UserUsage } from "../../core/collected-records.ts";

/** Rows merged in memory before they are handed to `flush` (bounds memory on large tenants). */
export const USAGE_FLUSH_ROWS = 5000;

/** The path of each report: the longest window for activity, 7 days for sizes. */
const REPORT_PATH: Record<CollectedReport, string> = {
  getOffice365ActiveUserDetail: "/reports/getOffice365ActiveUserDetail(period='D180')",
  getM365AppUserDetail: "/reports/getM365AppUserDetail(period='D180')",
  getMailboxUsageDetail: "/reports/getMailboxUsageDetail(period='D7')",
  getOneDriveUsageAccountDetail: "/reports/getOneDriveUsageAccountDetail(period='D7')",
  getOffice365ActivationsUserDetail: "/reports/getOffice365ActivationsUserDetail",
  // D180 like the other activity reports, so a `copilotUnusedDays` up to 180 still sees the last use.
  getMicrosoft365CopilotUsageUserDetail: "/copilot/reports/getMicrosoft365CopilotUsageUserDetail(period='D180')",
};

/** The report's column of each app's last Copilot activity (v1 columns, graph-api-facts.md §12). */
const COPILOT_COLUMN: Readonly<Record<CopilotApp, string>> = {
  copilotChat: "Copilot Chat Last Activity Date",
  teams: "Microsoft Teams Copilot Last Activity Date",
  word: "Word Copilot Last Activity Date",
  excel: "Excel Copilot Last Activity Date",
  powerPoint: "PowerPoint Copilot Last Activity Date",
  outlook: "Outlook Copilot Last Activity Date",
  oneNote: "OneNote Copilot Last Activity Date",
  loop: "Loop Copilot Last Activity Date",
};

/**
 * Downloads one report and hands its rows, merged per user, to `flush` every `USAGE_FLUSH_ROWS`
 * rows and at the end (a user's rows may span flushes: the store merges them). The CSV arrives in
 * synchronous chunks, so flushes are chained in order and awaited before the function returns.
 */
export async function collectUsageReport(graph: GraphClient, report: CollectedReport, flush: (usage: Map<string, UserUsage>) => Promise<void>): Promise<ReportResult & { users: number }> {
  let refreshDate: string | null = null;
  let concealed = 0;
  let rows = 0;
  let usage = new Map<string, UserUsage>();
  const users = new Set<string>();
  let writes: Promise<void> = Promise.resolve();
  const enqueue = (batch: Map<string, UserUsage>) => {
    writes = writes.then(() => flush(batch));
    // Observed here so a failed write is not an unhandled rejection before it is awaited below.
    writes.catch(() => undefined);
  };
  const onRecord = (r: Record<string, string>) => {
    rows++;
    if (usage.size >= USAGE_FLUSH_ROWS) {
      enqueue(usage);
      usage = new Map();
    }
    refreshDate ??= date(r["Report Refresh Date"]);
    const upn = (report === "getOneDriveUsageAccountDetail" ? r["Owner Principal Name"] : r["User Principal Name"]) ?? "";
    if (isConcealedName(upn)) {
      concealed++;
      return;
    }
    if (!upn.includes("@")) return;
    users.add(upn.toLowerCase());
    mergeRow(report, r, entry(usage, upn));
  };
  // The CSV is parsed as it downloads; a download that breaks off starts over (merging is idempotent).
  let decoder = new TextDecoder("utf-8");
  let parser = createCsvRecordParser(onRecord);
  await graph.downloadStream(
    { path: REPORT_PATH[report], scope: `reportCsv:${report}` },
    (chunk) => parser.push(decoder.decode(chunk, { stream: true })),
    () => {
      decoder = new TextDecoder("utf-8");
      parser = createCsvRecordParser(onRecord);
      refreshDate = null;
      concealed = 0;
      rows = 0;
      users.clear();
    },
  );
  parser.push(decoder.decode());
  parser.end();
  if (usage.size > 0) enqueue(usage);
  await writes;
  return { report, refreshDate, rows, concealed: rows > 0 && concealed === rows, users: users.size };
}

/** A concealed report name: a 32-character hex string (MD5-style) instead of a UPN. */
export function isConcealedName(name: string): boolean {
  return /^[0-9a-f]{32}$/i.test(name.trim());
}

function entry(usage: Map<string, UserUsage>, upn: string): UserUsage {
  const key = upn.toLowerCase();
  let u = usage.get(key);
  if (!u) {
    u = { activity: {} };
    usage.set(key, u);
  }
  return u;
}

function mergeRow(report: CollectedReport, r: Record<string, string>, u: UserUsage): void {
  switch (report) {
    case "getOffice365ActiveUserDetail":
      u.activity.exchange = date(r["Exchange Last Activity Date"]);
      u.activity.oneDrive = date(r["OneDrive Last Activity Date"]);
      u.activity.sharePoint = date(r["SharePoint Last Activity Date"]);
      u.activity.skypeForBusiness = date(r["Skype For Business Last Activity Date"]);
      u.activity.yammer = date(r["Yammer Last Activity Date"]);
      u.activity.teams = date(r["Teams Last Activity Date"]);
      return;
    case "getM365AppUserDetail":
      u.apps = { windows: yes(r.Windows), mac: yes(r.Mac), mobile: yes(r.Mobile), web: yes(r.Web), lastActivityDate: date(r["Last Activity Date"]) };
      // The report marks Outlook use in the period without its own date: the app activity date stands for it.
      if (yes(r.Outlook)) u.activity.outlook = date(r["Last Activity Date"]);
      return;
    case "getMailboxUsageDetail":
      u.mailbox = { storageUsedBytes: int(r["Storage Used (Byte)"]), hasArchive: yes(r["Has Archive"]), itemCount: int(r["Item Count"]), lastActivityDate: date(r["Last Activity Date"]) };
      return;
    case "getOneDriveUsageAccountDetail":
      u.oneDrive = { storageUsedBytes: int(r["Storage Used (Byte)"]), lastActivityDate: date(r["Last Activity Date"]) };
      return;
    case "getOffice365ActivationsUserDetail":
      (u.activations ??= {})[r["Product Type"] ?? ""] = { productType: r["Product Type"] ?? "", lastActivatedDate: date(r["Last Activated Date"]), windows: int(r.Windows), mac: int(r.Mac) };
      return;
    case "getMicrosoft365CopilotUsageUserDetail": {
      const apps: Partial<Record<CopilotApp, string | null>> = {};
      let last = date(r["Last Activity Date"]);
      for (const app of COPILOT_APPS) {
        const d = date(r[COPILOT_COLUMN[app]]);
        apps[app] = d;
        // The overall date is the latest of the apps' dates; never older than any of them.
        if (d !== null && (last === null || d > last)) last = d;
      }
      u.copilot = { lastActivityDate: last, apps };
      return;
    }
  }
}

function date(v: string | undefined): string | null {
  const t = (v ?? "").trim();
  return /^\d{4}-\d{2}-\d{2}/.test(t) ? t.slice(0, 10) : null;
}

function yes(v: string | undefined): boolean {
  return /^(yes|true|1)$/i.test((v ?? "").trim());
}

function int(v: string | undefined): number {
  const n = Number((v ?? "").trim());
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
