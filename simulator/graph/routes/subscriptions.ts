/**
 * `GET /directory/subscriptions` (v1.0 and beta), `/directory/subscriptions/{id}` and
 * `/directory/subscriptions(commerceSubscriptionId='{id}')`: the tenant's commercial subscriptions as
 * companySubscription objects, shaped as ../shared/reference/graph-examples/companySubscriptions-list.json.
 * Supports `$select` (MGD api/directory-list-subscriptions.md). Graph sends no term field.
 */
import type { SimSubscription, SimTenant } from "../../model.ts";
import { odataContext } from "../odata/paging.ts";
import { assertQueryOptions, parseSelect } from "../odata/query-options.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { resourceNotFound } from "./reports/odata-query.ts";

/** companySubscription properties in the order of Graph's example. */
export const COMPANY_SUBSCRIPTION_PROPERTIES = [
  "createdDateTime",
  "commerceSubscriptionId",
  "id",
  "isTrial",
  "nextLifecycleDateTime",
  "serviceStatus",
  "skuId",
  "skuPartNumber",
  "status",
  "totalLicenses",
  "ownerId",
  "ownerTenantId",
  "ownerType",
] as const;

/** One subscription as Graph's companySubscription JSON (the generator's `truthTerm` is never served). */
export function toCompanySubscriptionJson(tenant: SimTenant, sub: SimSubscription): Record<string, unknown> {
  const sku = tenant.skus.find((s) => s.skuId === sub.skuId);
  return {
    createdDateTime: sub.createdDateTime,
    commerceSubscriptionId: sub.commerceSubscriptionId,
    id: sub.id,
    isTrial: sub.isTrial,
    nextLifecycleDateTime: sub.nextLifecycleDateTime,
    serviceStatus: (sku?.servicePlans ?? []).map((p) => ({
      appliesTo: p.appliesTo,
      provisioningStatus: sub.status === "Enabled" || sub.status === "Warning" ? p.provisioningStatus : "Disabled",
      servicePlanId: p.servicePlanId,
      servicePlanName: p.servicePlanName,
    })),
    skuId: sub.skuId,
    skuPartNumber: sub.skuPartNumber,
    status: sub.status,
    totalLicenses: sub.totalLicenses,
    // Bought by the tenant itself, not through a partner's or another tenant's ownership.
    ownerId: null,
    ownerTenantId: tenant.tenantId,
    ownerType: null,
  };
}

const canonical = (name: string): string | undefined => COMPANY_SUBSCRIPTION_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());

function selected(full: Record<string, unknown>, select: readonly string[] | null): Record<string, unknown> {
  if (select === null) return full;
  const out: Record<string, unknown> = {};
  for (const p of select) out[p] = full[p];
  return out;
}

function getOne(find: (s: SimSubscription) => boolean, req: GraphRequest, ctx: GraphContext, id: string): GraphResponse {
  assertQueryOptions(req.query, ["$select"]);
  const select = parseSelect(req.query, canonical, "microsoft.graph.companySubscription");
  const sub = (ctx.tenant.subscriptions ?? []).find(find);
  if (!sub) return resourceNotFound(id, req, ctx);
  return { status: 200, json: { "@odata.context": odataContext(req, "directory/subscriptions", select, true), ...selected(toCompanySubscriptionJson(ctx.tenant, sub), select) } };
}

export const SUBSCRIPTION_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/directory/subscriptions",
    versions: ["v1.0", "beta"],
    endpoint: "directory.subscriptions",
    throttle: { kind: "identity", cost: 1 },
    handle(req, ctx) {
      assertQueryOptions(req.query, ["$select"]);
      const select = parseSelect(req.query, canonical, "microsoft.graph.companySubscription");
      const value = (ctx.tenant.subscriptions ?? []).map((s) => selected(toCompanySubscriptionJson(ctx.tenant, s), select));
      return { status: 200, json: { "@odata.context": odataContext(req, "directory/subscriptions", select), value } };
    },
  },
  {
    method: "GET",
    pattern: "/directory/subscriptions(commerceSubscriptionId='{id}')",
    versions: ["v1.0", "beta"],
    endpoint: "directory.subscriptions",
    throttle: { kind: "identity", cost: 1 },
    handle: (req, ctx) => getOne((s) => s.commerceSubscriptionId.toLowerCase() === req.params.id!.toLowerCase(), req, ctx, req.params.id!),
  },
  {
    method: "GET",
    pattern: "/directory/subscriptions/{id}",
    versions: ["v1.0", "beta"],
    endpoint: "directory.subscriptions",
    throttle: { kind: "identity", cost: 1 },
    handle: (req, ctx) => getOne((s) => s.id.toLowerCase() === req.params.id!.toLowerCase(), req, ctx, req.params.id!),
  },
];
