/**
 * Simulated Microsoft 365 usage reports (`GET /reports/get*(...)`), v1.0 and beta
 * (../shared/reference/graph-api-facts.md §1):
 * - CSV (the default, or `$format=text/csv`): 302 Found, `Location` = a pre-authenticated download of
 *   the CSV (UTF-8 BOM, CRLF, documented header), empty text/plain body.
 * - JSON (`$format=application/json`, beta; v1.0 only for getM365AppUserDetail): 200, pages of 200
 *   items (Teams user activity 2000), `@odata.nextLink` with `$skiptoken`; `$top` shrinks the page.
 * Throttled per report and format: `{ kind: "reports", report: "<name>:csv" | "<name>:json" }`.
 *
 * Route patterns hold the whole argument list in one placeholder, e.g.
 * `/reports/getOffice365ActiveUserDetail({args})`; the matcher must treat `(`, `)` literally and the
 * placeholder as "one path segment's characters" (`[^/]+`), on the percent-decoded path.
 */
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute, GraphVersion, ThrottleClass } from "../route.ts";
import { encodeSkipToken, isProblem, nextLink, odataContext, problemResponse, readSkipToken, readTop } from "./reports/odata-query.ts";
import type { QueryProblem } from "./reports/odata-query.ts";
import { toCsv } from "./reports/report-csv.ts";
import type { CsvCell } from "./reports/report-csv.ts";
import { COPILOT_USAGE, REPORT_DEFINITIONS } from "./reports/report-definitions.ts";
import type { ReportDefinition, ReportScope } from "./reports/report-definitions.ts";
import { dateWindow, periodWindow, REPORT_PERIODS, refreshDateOf } from "./reports/report-window.ts";
import type { ReportPeriod, ReportWindow } from "./reports/report-window.ts";

const VERSIONS: readonly GraphVersion[] = ["v1.0", "beta"];

type ReportFormat = "csv" | "json";

/** The requested output format, or a problem for an unknown `$format`. */
function readFormat(query: URLSearchParams): ReportFormat | QueryProblem {
  const raw = query.get("$format") ?? query.get("format");
  if (raw === null || raw.toLowerCase() === "text/csv") return "csv";
  if (raw.toLowerCase() === "application/json") return "json";
  return { status: 400, code: "BadRequest", message: `Invalid value '${raw}' for query parameter $format. Use text/csv or application/json.` };
}

/** The throttle class of a report request: reports are limited per report API and per format. */
export function reportThrottle(name: string): (req: GraphRequest) => ThrottleClass {
  return (req) => {
    const f = readFormat(req.query);
    return { kind: "reports", report: `${name}:${f === "json" ? "json" : "csv"}` };
  };
}

/** Parses `period='D7'` / `date=2024-01-01` (quotes optional) into the report window. */
function readWindow(def: ReportDefinition, args: string, ctx: GraphContext): ReportWindow | QueryProblem {
  const now = ctx.now();
  if (def.params === "none") {
    if (args.trim() !== "") return { status: 400, code: "BadRequest", message: `${def.name} takes no parameters.` };
    return { refreshDate: refreshDateOf(ctx.tenant, now), windowStart: refreshDateOf(ctx.tenant, now), periodDays: 1 };
  }
  const m = /^\s*(period|date)\s*=\s*'?([^']*)'?\s*$/i.exec(args);
  if (m === null) {
    const want = def.params === "period" ? "period" : "period or date";
    return { status: 400, code: "BadRequest", message: `${def.name} requires the ${want} parameter, e.g. ${def.name}(period='D7').` };
  }
  const name = m[1]!.toLowerCase();
  const value = m[2]!;
  if (name === "date") {
    if (def.params !== "periodOrDate") return { status: 400, code: "BadRequest", message: `${def.name} supports the period parameter only.` };
    return dateWindow(ctx.tenant, now, value);
  }
  const period = value.toUpperCase();
  if (!(REPORT_PERIODS as readonly string[]).includes(period)) {
    return { status: 400, code: "BadRequest", message: `Invalid value '${value}' for parameter 'period'. Supported values are ${REPORT_PERIODS.join(", ")}.` };
  }
  return periodWindow(ctx.tenant, now, period as ReportPeriod);
}

function isUserCursor(v: unknown): v is { u: number } {
  return typeof v === "object" && v !== null && Number.isInteger((v as { u?: unknown }).u) && (v as { u: number }).u >= 0;
}

/** Serves one report request (CSV redirect or JSON page). */
function serveReport(def: ReportDefinition, req: GraphRequest, ctx: GraphContext): GraphResponse {
  const format = readFormat(req.query);
  if (isProblem(format)) return problemResponse(format, req, ctx);
  if (format === "json" && !def.jsonVersions.includes(req.version)) {
    return problemResponse({ status: 400, code: "BadRequest", message: `$format=application/json is not supported by ${def.name} in ${req.version}; use the beta endpoint or text/csv.` }, req, ctx);
  }
  const window = readWindow(def, req.params["args"] ?? "", ctx);
  if (isProblem(window)) return problemResponse(window, req, ctx);
  const scope: ReportScope = { tenant: ctx.tenant, window };
  const tenant = ctx.tenant;

  if (format === "csv") {
    const rows = function* (): Generator<CsvCell[]> {
      for (let i = 0; i < tenant.userCount; i++) yield* def.csvRows(tenant.userAt(i), scope);
    };
    const location = ctx.putDownload(toCsv(def.csvHeader, rows()), "application/octet-stream");
    return { status: 302, headers: { Location: location }, text: "" };
  }

  const top = readTop(req.query, def.jsonPageSize, def.jsonPageSize, true);
  if (isProblem(top)) return problemResponse(top, req, ctx);
  const cursor = readSkipToken(req.query, isUserCursor);
  if (isProblem(cursor)) return problemResponse(cursor, req, ctx);
  const value: Record<string, unknown>[] = [];
  let i = cursor?.u ?? 0;
  let next: number | null = null;
  for (; i < tenant.userCount; i++) {
    const item = def.jsonItem(tenant.userAt(i), scope);
    if (item === null) continue;
    if (value.length === top) {
      next = i;
      break;
    }
    value.push(item);
  }
  const body: Record<string, unknown> = { "@odata.context": odataContext(req, `Collection(microsoft.graph.${def.entityType})`) };
  if (next !== null) body["@odata.nextLink"] = nextLink(req, encodeSkipToken({ u: next }));
  body["value"] = value;
  return { status: 200, json: body };
}

function routesFor(def: ReportDefinition): GraphRoute[] {
  const base = {
    method: "GET" as const,
    versions: VERSIONS,
    endpoint: "reports.usage" as const,
    throttle: reportThrottle(def.name),
  };
  if (def.params === "none") {
    const handle = (req: GraphRequest, ctx: GraphContext): GraphResponse => serveReport(def, { ...req, params: { ...req.params, args: "" } }, ctx);
    return [
      { ...base, pattern: `/reports/${def.name}`, handle },
      { ...base, pattern: `/reports/${def.name}()`, handle },
    ];
  }
  return [{ ...base, pattern: `/reports/${def.name}({args})`, handle: (req, ctx) => serveReport(def, req, ctx) }];
}

/** Periods of the Microsoft 365 Copilot usage report (v1): the usual ones plus ALL. */
const COPILOT_PERIODS = [...REPORT_PERIODS, "ALL"] as const;

/**
 * `period='D90'` with an optional `version='v1'` (the default). The v2 columns are not simulated:
 * asking for them is refused rather than answered with v1 columns.
 */
function readCopilotWindow(args: string, ctx: GraphContext): ReportWindow | QueryProblem {
  const values = new Map<string, string>();
  for (const part of args.split(",")) {
    const m = /^\s*(\w+)\s*=\s*'?([^']*)'?\s*$/.exec(part);
    if (m === null) return { status: 400, code: "BadRequest", message: `${COPILOT_USAGE.name} requires the period parameter, e.g. ${COPILOT_USAGE.name}(period='D90').` };
    values.set(m[1]!.toLowerCase(), m[2]!);
  }
  const version = (values.get("version") ?? "v1").toLowerCase();
  if (version !== "v1") return { status: 400, code: "BadRequest", message: `version='${values.get("version")}' is not supported by this simulator; use version='v1'.` };
  const period = (values.get("period") ?? "").toUpperCase();
  if (!(COPILOT_PERIODS as readonly string[]).includes(period)) {
    return { status: 400, code: "BadRequest", message: `Invalid value '${values.get("period") ?? ""}' for parameter 'period'. Supported values are ${COPILOT_PERIODS.join(", ")}.` };
  }
  if (period === "ALL") {
    const refreshDate = refreshDateOf(ctx.tenant, ctx.now());
    return { refreshDate, windowStart: "0000-01-01", periodDays: 0, periodLabel: "ALL" };
  }
  return periodWindow(ctx.tenant, ctx.now(), period as ReportPeriod);
}

/** v1.0: 200 with the CSV stream itself (not a 302 download); beta: JSON pages. */
function serveCopilotReport(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const window = readCopilotWindow(req.params["args"] ?? "", ctx);
  if (isProblem(window)) return problemResponse(window, req, ctx);
  const scope: ReportScope = { tenant: ctx.tenant, window };
  const tenant = ctx.tenant;
  if (req.version === "v1.0") {
    const rows = function* (): Generator<CsvCell[]> {
      for (let i = 0; i < tenant.userCount; i++) yield* COPILOT_USAGE.csvRows(tenant.userAt(i), scope);
    };
    return { status: 200, bytes: toCsv(COPILOT_USAGE.csvHeader, rows()) };
  }
  const top = readTop(req.query, COPILOT_USAGE.jsonPageSize, COPILOT_USAGE.jsonPageSize, true);
  if (isProblem(top)) return problemResponse(top, req, ctx);
  const cursor = readSkipToken(req.query, isUserCursor);
  if (isProblem(cursor)) return problemResponse(cursor, req, ctx);
  const value: Record<string, unknown>[] = [];
  let next: number | null = null;
  for (let i = cursor?.u ?? 0; i < tenant.userCount; i++) {
    const item = COPILOT_USAGE.jsonItem(tenant.userAt(i), scope);
    if (item === null) continue;
    if (value.length === top) {
      next = i;
      break;
    }
    value.push(item);
  }
  const body: Record<string, unknown> = {};
  if (next !== null) body["@odata.nextLink"] = nextLink(req, encodeSkipToken({ u: next }));
  body["value"] = value;
  return { status: 200, json: body };
}

/** The Copilot usage report route (endpoint `reports.copilotUsage`, permission Reports.Read.All), throttled like a report. */
const COPILOT_REPORT_ROUTE: GraphRoute = {
  method: "GET",
  versions: VERSIONS,
  endpoint: "reports.copilotUsage",
  pattern: `/copilot/reports/${COPILOT_USAGE.name}({args})`,
  throttle: (req) => ({ kind: "reports", report: `${COPILOT_USAGE.name}:${req.version === "v1.0" ? "csv" : "json"}` }),
  handle: serveCopilotReport,
};

/** The usage report routes (endpoint `reports.usage`, and `reports.copilotUsage` for Copilot; permission Reports.Read.All). */
export const REPORT_ROUTES: GraphRoute[] = [...REPORT_DEFINITIONS.flatMap(routesFor), COPILOT_REPORT_ROUTE];
