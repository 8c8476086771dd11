/**
 * Simulated enterprise applications: `GET /servicePrincipals` and
 * `GET /servicePrincipals/{id}/appRoleAssignedTo` (also addressed as
 * `/servicePrincipals(appId='{appId}')/appRoleAssignedTo`), v1.0 and beta
 * (../shared/reference/graph-api-facts.md §7, graph-examples/servicePrincipals.json, appRoleAssignedTo.json).
 *
 * - Paging: default 100, `$top` 1..999 (400 above, as directory objects answer), `@odata.nextLink`.
 * - `$filter` on the list: `tags/any(t:t eq '...')`, `appId eq '...'`, `displayName eq '...'`,
 *   `servicePrincipalType eq '...'`, `accountEnabled eq true|false`, joined with `and`.
 * - `$select` on both.
 * - Identity throttling: list base cost 1, appRoleAssignedTo base cost 2 (§8).
 */
import type { SimServicePrincipal } from "../../model.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { directoryPage, isProblem, project, problemResponse, resourceNotFound, splitAnd, unquote, unsupportedFilter } from "./reports/odata-query.ts";
import type { QueryProblem } from "./reports/odata-query.ts";

/** The servicePrincipal JSON: the example's properties in its order, then the documented ones the collector selects. */
export function toServicePrincipalJson(sp: SimServicePrincipal): Record<string, unknown> {
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: sp.accountEnabled,
    appDisplayName: sp.appDisplayName,
    appId: sp.appId,
    appOwnerOrganizationId: sp.appOwnerOrganizationId,
    appRoleAssignmentRequired: sp.appRoleAssignmentRequired,
    displayName: sp.displayName,
    homepage: null,
    logoutUrl: null,
    publisherName: sp.publisherName,
    replyUrls: [],
    servicePrincipalNames: [sp.appId],
    tags: [...sp.tags],
    addIns: [],
    appRoles: [],
    info: { termsOfServiceUrl: null, supportUrl: null, privacyStatementUrl: null, marketingUrl: null, logoUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    loginUrl: null,
    notes: null,
    preferredSingleSignOnMode: sp.preferredSingleSignOnMode,
    servicePrincipalType: sp.servicePrincipalType,
    signInAudience: sp.signInAudience,
    verifiedPublisher: { ...sp.verifiedPublisher },
  };
}

type Predicate = (sp: SimServicePrincipal) => boolean;

function compileFilter(filter: string | null): Predicate | QueryProblem {
  if (filter === null || filter.trim() === "") return () => true;
  const preds: Predicate[] = [];
  for (const clause of splitAnd(filter)) {
    const any = /^tags\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+('(?:[^']|'')*')\s*\)$/i.exec(clause);
    if (any !== null && any[1] === any[2]) {
      const tag = unquote(any[3]!)!;
      preds.push((sp) => sp.tags.includes(tag));
      continue;
    }
    const eq = /^(appId|displayName|servicePrincipalType|accountEnabled)\s+eq\s+(.+)$/i.exec(clause);
    if (eq !== null) {
      const field = eq[1]!.toLowerCase();
      const raw = eq[2]!.trim();
      if (field === "accountenabled") {
        if (raw !== "true" && raw !== "false") return unsupportedFilter(clause);
        preds.push((sp) => sp.accountEnabled === (raw === "true"));
        continue;
      }
      const v = unquote(raw);
      if (v === undefined) return unsupportedFilter(clause);
      if (field === "appid") preds.push((sp) => sp.appId.toLowerCase() === v.toLowerCase());
      else if (field === "displayname") preds.push((sp) => sp.displayName === v);
      else preds.push((sp) => sp.servicePrincipalType === v);
      continue;
    }
    return unsupportedFilter(clause);
  }
  return (sp) => preds.every((p) => p(sp));
}

function listServicePrincipals(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const pred = compileFilter(req.query.get("$filter"));
  if (isProblem(pred)) return problemResponse(pred, req, ctx);
  const matches = ctx.tenant.servicePrincipals.filter(pred);
  return directoryPage(req, ctx, "servicePrincipals", matches.length, (i, select) => project(toServicePrincipalJson(matches[i]!), select));
}

function listAppRoleAssignedTo(sp: SimServicePrincipal | undefined, key: string, req: GraphRequest, ctx: GraphContext): GraphResponse {
  if (sp === undefined) return resourceNotFound(key, req, ctx);
  const items = sp.assignments;
  return directoryPage(req, ctx, `servicePrincipals('${sp.id}')/appRoleAssignedTo`, items.length, (i, select) => {
    const a = items[i]!;
    return project({
      id: a.id,
      deletedDateTime: null,
      appRoleId: a.appRoleId,
      createdDateTime: a.createdDateTime,
      principalDisplayName: a.principalDisplayName,
      principalId: a.principalId,
      principalType: a.principalType,
      resourceDisplayName: sp.displayName,
      resourceId: sp.id,
    }, select);
  });
}

/** Enterprise application routes (endpoints `servicePrincipals.list`, `servicePrincipals.appRoleAssignedTo`). */
export const SERVICE_PRINCIPAL_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/servicePrincipals",
    versions: ["v1.0", "beta"],
    endpoint: "servicePrincipals.list",
    throttle: { kind: "identity", cost: 1 },
    handle: listServicePrincipals,
  },
  {
    method: "GET",
    pattern: "/servicePrincipals/{id}/appRoleAssignedTo",
    versions: ["v1.0", "beta"],
    endpoint: "servicePrincipals.appRoleAssignedTo",
    throttle: { kind: "identity", cost: 2 },
    handle: (req, ctx) => {
      const id = req.params["id"] ?? "";
      return listAppRoleAssignedTo(ctx.tenant.servicePrincipals.find((sp) => sp.id.toLowerCase() === id.toLowerCase()), id, req, ctx);
    },
  },
  {
    method: "GET",
    pattern: "/servicePrincipals(appId={appId})/appRoleAssignedTo",
    versions: ["v1.0", "beta"],
    endpoint: "servicePrincipals.appRoleAssignedTo",
    throttle: { kind: "identity", cost: 2 },
    handle: (req, ctx) => {
      const raw = req.params["appId"] ?? "";
      const appId = unquote(raw) ?? raw;
      return listAppRoleAssignedTo(ctx.tenant.servicePrincipals.find((sp) => sp.appId.toLowerCase() === appId.toLowerCase()), appId, req, ctx);
    },
  },
];
