/**
 * Simulated `GET /auditLogs/signIns` (../shared/reference/graph-api-facts.md §4,
 * graph-examples/signIns.json).
 *
 * - v1.0 lists interactive sign-ins only. beta lists interactive ones by default and the others with
 *   `$filter=signInEventTypes/any(t: t eq 'nonInteractiveUser')` (several types may be joined with `or`).
 * - Entra ID P1/P2 required (403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant` otherwise);
 *   retention 30 days (P1/P2).
 * - Newest first; default and maximum page size 1,000 (`$top` clamps); `@odata.nextLink` with `$skiptoken`.
 * - `$filter`: `createdDateTime ge|gt|le|lt <ISO datetime>` (unquoted, as documented), `appId eq '...'`,
 *   `userId eq '...'`, `userPrincipalName eq '...'`, the beta `signInEventTypes/any(...)`, joined by `and`.
 * - `$select` projects the items.
 */
import type { SimSignIn, SimTenant } from "../../model.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute, GraphVersion } from "../route.ts";
import { encodeSkipToken, isProblem, nextLink, nonPremium, odataContext, problemResponse, project, readSelect, readSkipToken, readTop, splitAnd, unquote, unsupportedFilter } from "./reports/odata-query.ts";
import type { QueryProblem } from "./reports/odata-query.ts";
import { stableInt } from "./reports/report-window.ts";
import { createHash } from "node:crypto";

/** Default and maximum page size (signin-list.md). */
export const SIGN_IN_PAGE_SIZE = 1000;
/** Days of sign-in logs kept with Entra ID P1/P2. */
export const SIGN_IN_RETENTION_DAYS = 30;

const EVENT_TYPES = ["interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"] as const;

/** A parsed query: time bounds (ms, inclusive), equality filters and event types. */
interface SignInQuery {
  sinceMs: number;
  untilMs: number;
  appId: string | null;
  userIndex: number | null;
  eventTypes: readonly string[];
}

/** Normalizes an ISO timestamp so string order is time order (fraction padded to 7 digits, Z). */
export function isoKey(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (m === null) return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}0000Z`);
  return `${m[1]}.${(m[2] ?? "").padEnd(7, "0").slice(0, 7)}Z`;
}

function readDateTime(raw: string): number | undefined {
  const s = unquote(raw) ?? raw.trim();
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(s)) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Parses `$filter` (see the module comment) into a query, or a problem. */
function parseQuery(filter: string | null, version: GraphVersion, tenant: SimTenant, nowMs: number): SignInQuery | QueryProblem {
  const q: SignInQuery = { sinceMs: nowMs - SIGN_IN_RETENTION_DAYS * 86_400_000, untilMs: nowMs, appId: null, userIndex: null, eventTypes: ["interactiveUser"] };
  if (filter === null || filter.trim() === "") return q;
  for (const clause of splitAnd(filter)) {
    let m = /^createdDateTime\s+(ge|gt|le|lt)\s+(.+)$/i.exec(clause);
    if (m !== null) {
      const ms = readDateTime(m[2]!);
      if (ms === undefined) return { status: 400, code: "BadRequest", message: `Invalid filter clause: '${m[2]}' is not a valid DateTimeOffset.` };
      const op = m[1]!.toLowerCase();
      if (op === "ge") q.sinceMs = Math.max(q.sinceMs, ms);
      else if (op === "gt") q.sinceMs = Math.max(q.sinceMs, ms + 1);
      else if (op === "le") q.untilMs = Math.min(q.untilMs, ms);
      else q.untilMs = Math.min(q.untilMs, ms - 1);
      continue;
    }
    m = /^(appId|userId|userPrincipalName)\s+eq\s+(.+)$/i.exec(clause);
    if (m !== null) {
      const value = unquote(m[2]!);
      if (value === undefined) return unsupportedFilter(clause);
      const field = m[1]!.toLowerCase();
      if (field === "appid") q.appId = value.toLowerCase();
      // An unknown user matches nothing (index -1 never occurs in the log).
      else q.userIndex = tenant.indexOf(value);
      continue;
    }
    m = /^signInEventTypes\/any\(\s*(\w+)\s*:\s*(.+)\)$/i.exec(clause);
    if (m !== null) {
      if (version === "v1.0") return { status: 400, code: "BadRequest", message: "Could not find a property named 'signInEventTypes' on type 'microsoft.graph.signIn'." };
      const v = m[1]!;
      const types: string[] = [];
      for (const part of m[2]!.split(/\s+or\s+/i)) {
        const pm = new RegExp(`^\\(?\\s*${v}\\s+eq\\s+('(?:[^']|'')*')\\s*\\)?$`).exec(part.trim());
        const t = pm === null ? undefined : unquote(pm[1]!);
        if (t === undefined || !(EVENT_TYPES as readonly string[]).includes(t)) return unsupportedFilter(clause);
        types.push(t);
      }
      q.eventTypes = types;
      continue;
    }
    return unsupportedFilter(clause);
  }
  return q;
}

/** A stable GUID-shaped value derived from the parts. */
function guidFrom(...parts: string[]): string {
  const h = createHash("sha1").update(parts.join("|")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const DEVICES = [
  { operatingSystem: "Windows 10", browser: "Edge 120.0.0" },
  { operatingSystem: "Windows 11", browser: "Chrome 121.0.0" },
  { operatingSystem: "MacOs", browser: "Safari 17.2" },
  { operatingSystem: "Ios", browser: "Mobile Safari" },
  { operatingSystem: "Android", browser: "Chrome Mobile 120.0.0" },
] as const;

/** The user fields a sign-in shows; they never change through the simulator's writes (only licenses do). */
interface SignInUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
}

/** Bounded per-tenant cache of sign-in user fields: the log repeats users across pages. */
const USER_CACHE_MAX = 100_000;
const userCaches = new WeakMap<SimTenant, Map<number, SignInUser>>();

function signInUser(tenant: SimTenant, index: number): SignInUser {
  let cache = userCaches.get(tenant);
  if (cache === undefined) {
    cache = new Map();
    userCaches.set(tenant, cache);
  }
  let u = cache.get(index);
  if (u === undefined) {
    const full = tenant.userAt(index);
    u = { id: full.id, userPrincipalName: full.userPrincipalName, displayName: full.displayName };
    // Map keeps insertion order: drop the oldest entry when full.
    if (cache.size >= USER_CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(index, u);
  }
  return u;
}

/** The signIn JSON of one log entry (v1.0 property set; beta adds signInEventTypes and authenticationRequirement). */
export function toSignInJson(s: SimSignIn, tenant: SimTenant, version: GraphVersion): Record<string, unknown> {
  const user = signInUser(tenant, s.userIndex);
  const device = DEVICES[stableInt(DEVICES.length, s.id, "device")]!;
  const out: Record<string, unknown> = {
    id: s.id,
    createdDateTime: s.createdDateTime,
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    userId: user.id,
    appId: s.appId,
    appDisplayName: s.appDisplayName,
    ipAddress: s.ipAddress,
    clientAppUsed: s.clientAppUsed,
    correlationId: guidFrom(s.id, "correlation"),
    conditionalAccessStatus: "notApplied",
    isInteractive: s.isInteractive,
    riskDetail: "none",
    riskLevelAggregated: "none",
    riskLevelDuringSignIn: "none",
    riskState: "none",
    riskEventTypes: [],
    resourceDisplayName: s.resourceDisplayName,
    resourceId: s.resourceId,
    status: { errorCode: s.status.errorCode, failureReason: s.status.failureReason, additionalDetails: null },
    deviceDetail: { deviceId: "", displayName: null, operatingSystem: device.operatingSystem, browser: device.browser, isCompliant: null, isManaged: null, trustType: null },
    location: {
      city: s.location.city,
      state: s.location.state,
      countryOrRegion: s.location.countryOrRegion,
      geoCoordinates: { altitude: null, latitude: coordinate(s.location.city, "lat", 90), longitude: coordinate(s.location.city, "lon", 180) },
    },
    appliedConditionalAccessPolicies: [],
  };
  if (version === "beta") {
    out["signInEventTypes"] = [s.signInEventType];
    out["authenticationRequirement"] = s.mfa ? "multiFactorAuthentication" : "singleFactorAuthentication";
  }
  return out;
}

/** A stable coordinate per city (the model has no geodata; clients only need the shape). */
function coordinate(city: string, axis: string, range: number): number {
  return (stableInt(2 * range * 10_000, city, axis) - range * 10_000) / 10_000;
}

/** Position after the last item served: its timestamp key and how many items with that key were served. */
interface Cursor {
  t: string;
  k: number;
}

function isCursor(v: unknown): v is Cursor {
  return typeof v === "object" && v !== null && typeof (v as Cursor).t === "string" && Number.isInteger((v as Cursor).k) && (v as Cursor).k >= 0;
}

function listSignIns(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const tenant = ctx.tenant;
  if (!tenant.modes.premium) return nonPremium(req, ctx);
  const top = readTop(req.query, SIGN_IN_PAGE_SIZE, SIGN_IN_PAGE_SIZE, true);
  if (isProblem(top)) return problemResponse(top, req, ctx);
  const q = parseQuery(req.query.get("$filter"), req.version, tenant, ctx.now().getTime());
  if (isProblem(q)) return problemResponse(q, req, ctx);
  const cursor = readSkipToken(req.query, isCursor);
  if (isProblem(cursor)) return problemResponse(cursor, req, ctx);
  const select = readSelect(req.query);

  const value: Record<string, unknown>[] = [];
  let next: Cursor | null = null;
  if (q.sinceMs <= q.untilMs) {
    // Resume just above the cursor's timestamp (+1 ms whatever the generator's bound inclusivity), then
    // skip what was already served.
    const untilMs = cursor === undefined ? q.untilMs : Math.min(q.untilMs, Date.parse(cursor.t) + 1);
    let lastKey = cursor?.t ?? "";
    let sameKey = cursor?.k ?? 0;
    let toSkip = cursor?.k ?? 0;
    const sinceKey = isoKey(new Date(q.sinceMs).toISOString());
    const untilKey = isoKey(new Date(q.untilMs).toISOString().replace(/\.(\d{3})Z$/, (_m, ms: string) => `.${ms}9999Z`));
    for (const s of tenant.signIns({ sinceIso: new Date(q.sinceMs).toISOString(), untilIso: new Date(untilMs).toISOString() })) {
      const key = isoKey(s.createdDateTime);
      if (key < sinceKey) break;
      if (key > untilKey) continue;
      if (!q.eventTypes.includes(s.signInEventType)) continue;
      if (q.appId !== null && s.appId.toLowerCase() !== q.appId) continue;
      if (q.userIndex !== null && s.userIndex !== q.userIndex) continue;
      if (cursor !== undefined) {
        if (key > cursor.t) continue;
        if (key === cursor.t && toSkip > 0) {
          toSkip--;
          continue;
        }
      }
      if (value.length === top) {
        next = { t: lastKey, k: sameKey };
        break;
      }
      value.push(project(toSignInJson(s, tenant, req.version), select));
      sameKey = key === lastKey ? sameKey + 1 : 1;
      lastKey = key;
    }
  }
  const body: Record<string, unknown> = { "@odata.context": odataContext(req, "auditLogs/signIns") };
  if (next !== null) body["@odata.nextLink"] = nextLink(req, encodeSkipToken(next));
  body["value"] = value;
  return { status: 200, json: body };
}

/** Sign-in log routes (endpoint `auditLogs.signIns`, identity-reports throttling). */
export const SIGN_IN_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/auditLogs/signIns",
    versions: ["v1.0", "beta"],
    endpoint: "auditLogs.signIns",
    throttle: { kind: "identityReports" },
    handle: listSignIns,
  },
];
