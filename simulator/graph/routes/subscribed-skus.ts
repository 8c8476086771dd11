/**
 * `GET /subscribedSkus` (v1.0 and beta): the tenant's subscriptions with consumed units, shaped as
 * ../shared/reference/graph-examples/subscribedSkus.json. Supports only `$select` (MGD subscribedsku-list.md).
 */
import type { SimSku, SimTenant } from "../../model.ts";
import { odataContext } from "../odata/paging.ts";
import { assertQueryOptions, parseSelect } from "../odata/query-options.ts";
import type { GraphRoute } from "../route.ts";

/** subscribedSku properties in Graph's order. */
export const SUBSCRIBED_SKU_PROPERTIES = [
  "accountName",
  "accountId",
  "appliesTo",
  "capabilityStatus",
  "consumedUnits",
  "id",
  "prepaidUnits",
  "servicePlans",
  "skuId",
  "skuPartNumber",
  "subscriptionIds",
] as const;

/** One SKU as Graph's subscribedSku JSON. */
export function toSubscribedSkuJson(tenant: SimTenant, sku: SimSku): Record<string, unknown> {
  return {
    accountName: tenant.displayName,
    accountId: tenant.tenantId,
    appliesTo: sku.appliesTo,
    capabilityStatus: sku.capabilityStatus,
    consumedUnits: tenant.consumedUnits(sku.skuId),
    id: `${tenant.tenantId}_${sku.skuId}`,
    prepaidUnits: { enabled: sku.prepaidUnits.enabled, lockedOut: sku.prepaidUnits.lockedOut, suspended: sku.prepaidUnits.suspended, warning: sku.prepaidUnits.warning },
    servicePlans: sku.servicePlans.map((p) => ({ servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, provisioningStatus: p.provisioningStatus, appliesTo: p.appliesTo })),
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    subscriptionIds: [...sku.subscriptionIds],
  };
}

const canonical = (name: string): string | undefined => SUBSCRIBED_SKU_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());

export const SUBSCRIBED_SKU_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/subscribedSkus",
    versions: ["v1.0", "beta"],
    endpoint: "subscribedSkus.list",
    throttle: { kind: "identity", cost: 3 },
    handle(req, ctx) {
      assertQueryOptions(req.query, ["$select"]);
      const select = parseSelect(req.query, canonical, "microsoft.graph.subscribedSku");
      const value = ctx.tenant.skus.map((sku) => {
        const full = toSubscribedSkuJson(ctx.tenant, sku);
        if (select === null) return full;
        const out: Record<string, unknown> = {};
        for (const p of select) out[p] = full[p];
        return out;
      });
      return { status: 200, json: { "@odata.context": odataContext(req, "subscribedSkus", select), value } };
    },
  },
];
