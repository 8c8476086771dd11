/**
 * Simulated `GET /admin/reportSettings`, v1.0 and beta (../shared/reference/graph-api-facts.md §1,
 * "Concealed names"): `{ "@odata.context", "displayConcealedNames" }` reflecting the tenant's
 * `concealedNames` mode.
 *
 * The doc example wraps the entity in `{ "value": { ... } }`; a single-entity GET in OData answers the
 * entity itself with an `$entity` context, which is what this route serves. Clients should accept both
 * (read `body.value?.displayConcealedNames ?? body.displayConcealedNames`).
 */
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { odataContext } from "./reports/odata-query.ts";

function getReportSettings(req: GraphRequest, ctx: GraphContext): GraphResponse {
  return {
    status: 200,
    json: { "@odata.context": odataContext(req, "admin/reportSettings/$entity"), displayConcealedNames: ctx.tenant.modes.concealedNames },
  };
}

/** The report settings route (endpoint `admin.reportSettings`, permission ReportSettings.Read.All). */
export const REPORT_SETTINGS_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/admin/reportSettings",
    versions: ["v1.0", "beta"],
    endpoint: "admin.reportSettings",
    throttle: { kind: "identity", cost: 1 },
    handle: getReportSettings,
  },
];
