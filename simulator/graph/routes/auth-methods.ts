/**
 * Simulated `GET /reports/authenticationMethods/userRegistrationDetails` (v1.0 and beta;
 * ../shared/reference/graph-api-facts.md §2, graph-examples/userRegistrationDetails.json).
 *
 * - Entra ID P1/P2 required: otherwise 403 `Authentication_RequestFromNonPremiumTenantOrB2CTenant`.
 * - Disabled accounts are left out ("This method doesn't work for disabled users").
 * - Paging: 1,000 items per page by default and at most (`$top` up to 1000). Microsoft documents no page
 *   size for this API; 1,000 is the documented size of its sibling identity report, auditLogs/signIns.
 * - `$filter`: `eq` on isAdmin, isMfaRegistered, isMfaCapable, isSsprRegistered, isSsprEnabled,
 *   isSsprCapable, isPasswordlessCapable (true/false), userType ('member'/'guest') and
 *   userPrincipalName ('...'), and `methodsRegistered/any(m:m eq '...')`, joined with `and`. Anything
 *   else answers 400.
 * - `GET .../userRegistrationDetails/{id}` returns one user's item.
 */
import type { SimTenant, SimUser } from "../../model.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { encodeSkipToken, isProblem, nextLink, nonPremium, odataContext, problemResponse, project, readSelect, readSkipToken, readTop, resourceNotFound, splitAnd, unquote, unsupportedFilter } from "./reports/odata-query.ts";
import type { QueryProblem } from "./reports/odata-query.ts";
import { stableInt } from "./reports/report-window.ts";

/** Default and maximum page size (see the module comment). */
export const REGISTRATION_PAGE_SIZE = 1000;

const PASSWORDLESS_METHODS = ["fido2", "windowsHelloForBusiness", "microsoftAuthenticatorPasswordless", "passKeyDeviceBound", "passKeyDeviceBoundAuthenticator"];
const SECONDARY_METHODS = ["push", "oath", "voiceMobile", "voiceAlternateMobile", "voiceOffice", "sms", "none"] as const;

/** The user's preferred second factor in Graph's enum, from the model's default method or its registered methods. */
function preferredSecondary(user: SimUser): string {
  // Users without MFA registration show an empty string (doc example).
  if (!user.mfa.isMfaRegistered) return "";
  const d = user.mfa.defaultMethod;
  if ((SECONDARY_METHODS as readonly string[]).includes(d)) return d;
  const m = user.mfa.methodsRegistered;
  if (d === "microsoftAuthenticatorPush" || m.includes("microsoftAuthenticatorPush")) return "push";
  if (m.includes("softwareOneTimePasscode") || m.includes("hardwareOneTimePasscode")) return "oath";
  if (m.includes("mobilePhone")) return "sms";
  return "none";
}

/** The userRegistrationDetails item for a user, in the documented property order. */
export function toRegistrationJson(user: SimUser, tenant: SimTenant): Record<string, unknown> {
  const mfa = user.mfa;
  const methods = [...mfa.methodsRegistered];
  const preferred = preferredSecondary(user);
  const isSsprEnabled = mfa.isSsprRegistered || mfa.isAdmin;
  // When the registration data was last refreshed: within the last day, stable per user.
  const updated = new Date(tenant.now.getTime() - stableInt(86_400, user.id, "registration") * 1000);
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    isAdmin: mfa.isAdmin,
    isSsprRegistered: mfa.isSsprRegistered,
    isSsprEnabled,
    isSsprCapable: isSsprEnabled && mfa.isSsprRegistered,
    isMfaRegistered: mfa.isMfaRegistered,
    isMfaCapable: mfa.isMfaCapable,
    isPasswordlessCapable: methods.some((m) => PASSWORDLESS_METHODS.includes(m)),
    lastUpdatedDateTime: updated.toISOString().replace(/\.\d{3}Z$/, "Z"),
    methodsRegistered: methods,
    isSystemPreferredAuthenticationMethodEnabled: true,
    systemPreferredAuthenticationMethods: mfa.isMfaRegistered && preferred !== "" && preferred !== "none" ? [preferred] : [],
    userPreferredMethodForSecondaryAuthentication: preferred,
    userType: user.userType === "Guest" ? "guest" : "member",
  };
}

const BOOLEAN_FIELDS = ["isAdmin", "isMfaRegistered", "isMfaCapable", "isSsprRegistered", "isSsprEnabled", "isSsprCapable", "isPasswordlessCapable"];

type Predicate = (item: Record<string, unknown>) => boolean;

/** Compiles the supported `$filter` subset into a predicate over items. */
function compileFilter(filter: string | null): Predicate | QueryProblem {
  if (filter === null || filter.trim() === "") return () => true;
  const preds: Predicate[] = [];
  for (const clause of splitAnd(filter)) {
    const any = /^methodsRegistered\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+('(?:[^']|'')*')\s*\)$/i.exec(clause);
    if (any !== null && any[1] === any[2]) {
      const method = unquote(any[3]!)!;
      preds.push((it) => (it["methodsRegistered"] as string[]).includes(method));
      continue;
    }
    const m = /^(\w+)\s+eq\s+(.+)$/i.exec(clause);
    if (m === null) return unsupportedFilter(clause);
    const field = m[1]!;
    const raw = m[2]!.trim();
    const bool = BOOLEAN_FIELDS.find((f) => f.toLowerCase() === field.toLowerCase());
    if (bool !== undefined) {
      if (raw !== "true" && raw !== "false") return unsupportedFilter(clause);
      const want = raw === "true";
      preds.push((it) => it[bool] === want);
      continue;
    }
    const value = unquote(raw);
    if (value === undefined) return unsupportedFilter(clause);
    if (field.toLowerCase() === "usertype") preds.push((it) => String(it["userType"]).toLowerCase() === value.toLowerCase());
    else if (field.toLowerCase() === "userprincipalname") preds.push((it) => String(it["userPrincipalName"]).toLowerCase() === value.toLowerCase());
    else return unsupportedFilter(clause);
  }
  return (it) => preds.every((p) => p(it));
}

function isCursor(v: unknown): v is { u: number } {
  return typeof v === "object" && v !== null && Number.isInteger((v as { u?: unknown }).u) && (v as { u: number }).u >= 0;
}

function listRegistrations(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const tenant = ctx.tenant;
  if (!tenant.modes.premium) return nonPremium(req, ctx);
  const top = readTop(req.query, REGISTRATION_PAGE_SIZE, REGISTRATION_PAGE_SIZE, true);
  if (isProblem(top)) return problemResponse(top, req, ctx);
  const pred = compileFilter(req.query.get("$filter"));
  if (isProblem(pred)) return problemResponse(pred, req, ctx);
  const cursor = readSkipToken(req.query, isCursor);
  if (isProblem(cursor)) return problemResponse(cursor, req, ctx);
  const select = readSelect(req.query);
  const value: Record<string, unknown>[] = [];
  let next: number | null = null;
  for (let i = cursor?.u ?? 0; i < tenant.userCount; i++) {
    const user = tenant.userAt(i);
    if (!user.accountEnabled) continue;
    const item = toRegistrationJson(user, tenant);
    if (!pred(item)) continue;
    if (value.length === top) {
      next = i;
      break;
    }
    value.push(project(item, select));
  }
  const body: Record<string, unknown> = { "@odata.context": odataContext(req, "reports/authenticationMethods/userRegistrationDetails") };
  if (next !== null) body["@odata.nextLink"] = nextLink(req, encodeSkipToken({ u: next }));
  body["value"] = value;
  return { status: 200, json: body };
}

function getRegistration(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const tenant = ctx.tenant;
  if (!tenant.modes.premium) return nonPremium(req, ctx);
  const id = req.params["id"] ?? "";
  const i = tenant.indexOf(id);
  if (i < 0 || !tenant.userAt(i).accountEnabled) return resourceNotFound(id, req, ctx);
  const item = project(toRegistrationJson(tenant.userAt(i), tenant), readSelect(req.query));
  return { status: 200, json: { "@odata.context": odataContext(req, "reports/authenticationMethods/userRegistrationDetails/$entity"), ...item } };
}

/** MFA registration routes (endpoint `reports.userRegistrationDetails`, identity-reports throttling). */
export const AUTH_METHODS_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/reports/authenticationMethods/userRegistrationDetails",
    versions: ["v1.0", "beta"],
    endpoint: "reports.userRegistrationDetails",
    throttle: { kind: "identityReports" },
    handle: listRegistrations,
  },
  {
    method: "GET",
    pattern: "/reports/authenticationMethods/userRegistrationDetails/{id}",
    versions: ["v1.0", "beta"],
    endpoint: "reports.userRegistrationDetails",
    throttle: { kind: "identityReports" },
    handle: getRegistration,
  },
];
