/**
 * Simulated groups: `GET /groups/{id}`, `GET /groups/{id}/members` and `/transitiveMembers`, v1.0 and
 * beta (../shared/reference/graph-api-facts.md §7, graph-examples/group-members.json).
 *
 * - Members are users (`@odata.type: #microsoft.graph.user`) projected with `toUserJson` and `$select`.
 *   The model has no nested groups, so transitive members are the direct members.
 * - Paging: default 100, `$top` 1..999, `@odata.nextLink`.
 * - Identity throttling base costs (§8): group 1, members 3, transitiveMembers 5.
 */
import type { SimGroup } from "../../model.ts";
import { toUserJson } from "../user-json.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { directoryPage, odataContext, problemResponse, project, readSelect, resourceNotFound, unsupportedFilter } from "./reports/odata-query.ts";

function findGroup(ctx: GraphContext, id: string): SimGroup | undefined {
  const key = id.toLowerCase();
  return ctx.tenant.groups.find((g) => g.id.toLowerCase() === key);
}

/** Group properties returned without `$select` (v1.0 default set, in Graph's order). */
const GROUP_DEFAULT_PROPERTIES = [
  "id", "deletedDateTime", "classification", "createdDateTime", "description", "displayName", "groupTypes",
  "mail", "mailEnabled", "mailNickname", "securityEnabled", "visibility",
] as const;

/** The group JSON; `assignedLicenses` only when selected, as Graph does. */
export function toGroupJson(g: SimGroup, select: readonly string[] | null): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: g.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: null,
    description: null,
    displayName: g.displayName,
    groupTypes: [],
    mail: null,
    mailEnabled: false,
    mailNickname: g.mailNickname,
    securityEnabled: true,
    visibility: null,
    assignedLicenses: g.assignedLicenses.map((l) => ({ disabledPlans: [...l.disabledPlans], skuId: l.skuId })),
  };
  return project(full, select ?? GROUP_DEFAULT_PROPERTIES);
}

function getGroup(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const id = req.params["id"] ?? "";
  const g = findGroup(ctx, id);
  if (g === undefined) return resourceNotFound(id, req, ctx);
  return { status: 200, json: { "@odata.context": odataContext(req, "groups/$entity"), ...toGroupJson(g, readSelect(req.query)) } };
}

function listMembers(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const id = req.params["id"] ?? "";
  const g = findGroup(ctx, id);
  if (g === undefined) return resourceNotFound(id, req, ctx);
  const members = g.memberIndexes;
  return directoryPage(req, ctx, "directoryObjects", members.length, (i, select) => ({
    "@odata.type": "#microsoft.graph.user",
    ...toUserJson(ctx.tenant.userAt(members[i]!), select, { version: req.version }),
  }));
}

/**
 * `GET /groups` with the `$filter` subset Seatwise uses: `displayName eq '...'` (quotes doubled
 * inside literals) or `id eq '...'`, optionally joined with `or`; `$select`, `$top`, paging.
 */
function listGroups(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const filter = req.query.get("$filter");
  let groups = ctx.tenant.groups;
  if (filter !== null && filter.trim() !== "") {
    const wanted: { field: "displayName" | "id"; value: string }[] = [];
    for (const clause of filter.split(/\s+or\s+/i)) {
      const m = /^\s*(displayName|id)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
      if (!m) return problemResponse(unsupportedFilter(clause), req, ctx);
      wanted.push({ field: m[1]!.toLowerCase() === "id" ? "id" : "displayName", value: m[2]!.replace(/''/g, "'") });
    }
    groups = groups.filter((g) => wanted.some((w) => (w.field === "id" ? g.id.toLowerCase() === w.value.toLowerCase() : g.displayName.toLowerCase() === w.value.toLowerCase())));
  }
  return directoryPage(req, ctx, "groups", groups.length, (i, select) => toGroupJson(groups[i]!, select));
}

/** Group routes (endpoints `groups.list`, `groups.get`, `groups.members`). */
export const GROUP_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/groups",
    versions: ["v1.0", "beta"],
    endpoint: "groups.list",
    throttle: { kind: "identity", cost: 1 },
    handle: listGroups,
  },
  {
    method: "GET",
    pattern: "/groups/{id}",
    versions: ["v1.0", "beta"],
    endpoint: "groups.get",
    throttle: { kind: "identity", cost: 1 },
    handle: getGroup,
  },
  {
    method: "GET",
    pattern: "/groups/{id}/members",
    versions: ["v1.0", "beta"],
    endpoint: "groups.members",
    throttle: { kind: "identity", cost: 3 },
    handle: listMembers,
  },
  {
    method: "GET",
    pattern: "/groups/{id}/transitiveMembers",
    versions: ["v1.0", "beta"],
    endpoint: "groups.members",
    throttle: { kind: "identity", cost: 5 },
    handle: listMembers,
  },
];
