/**
 * Simulated `GET /users/{id | userPrincipalName}/manager`, v1.0 and beta: the manager as a directory
 * object (`@odata.type: #microsoft.graph.user`, `toUserJson` with `$select`), or 404
 * `Request_ResourceNotFound` when the user has none. Identity throttling base cost 1.
 */
import { toUserJson } from "../user-json.ts";
import { graphError } from "../route.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { odataContext, readSelect, resourceNotFound } from "./reports/odata-query.ts";

function getManager(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const id = req.params["id"] ?? "";
  const tenant = ctx.tenant;
  const i = tenant.indexOf(id);
  if (i < 0) return resourceNotFound(id, req, ctx);
  const managerId = tenant.userAt(i).managerId;
  const m = managerId === null ? -1 : tenant.indexOf(managerId);
  if (m < 0) {
    return graphError(404, "Request_ResourceNotFound", "Resource 'manager' does not exist or one of its queried reference-property objects are not present.", req, ctx.now());
  }
  return {
    status: 200,
    json: {
      "@odata.context": odataContext(req, "directoryObjects/$entity"),
      "@odata.type": "#microsoft.graph.user",
      ...toUserJson(tenant.userAt(m), readSelect(req.query), { version: req.version }),
    },
  };
}

/** The manager route (endpoint `users.manager`). */
export const MANAGER_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/users/{id}/manager",
    versions: ["v1.0", "beta"],
    endpoint: "users.manager",
    throttle: { kind: "identity", cost: 1 },
    handle: getManager,
  },
];
