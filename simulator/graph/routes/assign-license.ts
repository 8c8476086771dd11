/**
 * Simulated `POST /users/{id | userPrincipalName}/assignLicense`, v1.0 and beta
 * (../shared/reference/graph-api-facts.md §6, graph-examples/assignLicense-*.json).
 *
 * Atomic: every check passes or nothing changes. On success the new license list is applied through
 * `tenant.setLicenses` (which keeps consumedUnits current) and the updated user is returned (200).
 *
 * Errors, in the order checked (all 400 `Request_BadRequest` unless noted; the messages are Graph's as
 * quoted by public scripts, Microsoft documents none of them and the codes are unverified except the
 * usage-location one, see graph-api-facts.md "Open items"):
 * - a missing parameter: "One or more parameters of the operation 'assignLicense' are missing from the
 *   request payload. The missing parameters are: removeLicenses." (OData's wording);
 * - a skuId that is not a GUID: "Cannot convert a primitive value to the expected type 'Edm.Guid'. See the
 *   inner exception for more details" (code `BadRequest`);
 * - 404 `Request_ResourceNotFound` for an unknown user;
 * - a skuId the tenant does not own: "License {skuId} does not correspond to a valid company License.";
 * - a SKU that applies to the company: "License {skuId} cannot be assigned to a user.";
 * - removing a license the user does not hold: "User does not have a corresponding license.";
 * - removing a license the user holds only through a group: "User license is inherited from a group
 *   membership and it cannot be removed directly from the user.";
 * - adding without a usage location: "License assignment cannot be done for user with invalid usage
 *   location." (graph-examples/error-assignLicense-invalidUsageLocation.THIRDPARTY.json);
 * - adding a SKU with no free seat (prepaid enabled + warning − consumed ≤ 0): "Subscription with SKU
 *   {skuId} does not have any available licenses." (wording from third-party handlers; unverified).
 * Disabled plan ids are not validated against the SKU's plans.
 */
import type { SimLicense } from "../../model.ts";
import { graphError } from "../route.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { toUserJson, USER_DEFAULT_PROPERTIES } from "../user-json.ts";
import { odataContext, resourceNotFound } from "./reports/odata-query.ts";
import { skuById } from "./reports/report-window.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MSG_NOT_HELD = "User does not have a corresponding license.";
export const MSG_INHERITED = "User license is inherited from a group membership and it cannot be removed directly from the user.";
export const MSG_USAGE_LOCATION = "License assignment cannot be done for user with invalid usage location.";

/** A validated request body. */
interface AssignLicenseBody {
  add: { skuId: string; disabledPlans: string[] }[];
  remove: string[];
}

type BodyResult = AssignLicenseBody | { code: string; message: string };

function readBody(body: unknown): BodyResult {
  const obj = typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const missing = ["addLicenses", "removeLicenses"].filter((k) => !(k in obj) || obj[k] === null);
  if (missing.length > 0) {
    return { code: "Request_BadRequest", message: `One or more parameters of the operation 'assignLicense' are missing from the request payload. The missing parameters are: ${missing.join(", ")}.` };
  }
  const addRaw = obj["addLicenses"];
  const removeRaw = obj["removeLicenses"];
  if (!Array.isArray(addRaw) || !Array.isArray(removeRaw)) {
    return { code: "Request_BadRequest", message: "Invalid value specified for parameters 'addLicenses' and 'removeLicenses': both must be collections." };
  }
  const badGuid = { code: "BadRequest", message: "Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details" };
  const add: AssignLicenseBody["add"] = [];
  for (const a of addRaw) {
    const skuId = typeof a === "object" && a !== null ? (a as { skuId?: unknown }).skuId : undefined;
    const disabled = typeof a === "object" && a !== null ? ((a as { disabledPlans?: unknown }).disabledPlans ?? []) : [];
    if (typeof skuId !== "string" || !GUID.test(skuId)) return badGuid;
    if (!Array.isArray(disabled) || disabled.some((p) => typeof p !== "string" || !GUID.test(p))) return badGuid;
    add.push({ skuId: skuId.toLowerCase(), disabledPlans: (disabled as string[]).map((p) => p.toLowerCase()) });
  }
  const remove: string[] = [];
  for (const r of removeRaw) {
    if (typeof r !== "string" || !GUID.test(r)) return badGuid;
    remove.push(r.toLowerCase());
  }
  return { add, remove };
}

/** Computes and applies the change; returns the error response when a check fails. */
function assignLicense(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const now = ctx.now();
  const bad = (message: string): GraphResponse => graphError(400, "Request_BadRequest", message, req, now);
  const body = readBody(req.body);
  if ("code" in body) return graphError(400, body.code, body.message, req, now);

  const tenant = ctx.tenant;
  const id = req.params["id"] ?? "";
  const index = tenant.indexOf(id);
  if (index < 0) return resourceNotFound(id, req, ctx);
  const user = tenant.userAt(index);

  for (const skuId of [...body.remove, ...body.add.map((a) => a.skuId)]) {
    if (skuById(tenant, skuId) === undefined) return bad(`License ${skuId} does not correspond to a valid company License.`);
  }
  for (const a of body.add) {
    if (skuById(tenant, a.skuId)!.appliesTo !== "User") return bad(`License ${a.skuId} cannot be assigned to a user.`);
  }

  const same = (l: SimLicense, skuId: string): boolean => l.skuId.toLowerCase() === skuId;
  for (const skuId of body.remove) {
    if (user.licenses.some((l) => same(l, skuId) && l.assignedByGroup === null)) continue;
    return bad(user.licenses.some((l) => same(l, skuId)) ? MSG_INHERITED : MSG_NOT_HELD);
  }

  if (body.add.length > 0 && (user.usageLocation === null || user.usageLocation.trim() === "")) return bad(MSG_USAGE_LOCATION);

  for (const a of body.add) {
    // A user already consuming a unit of the SKU (directly or through a group) takes no new seat.
    if (user.licenses.some((l) => same(l, a.skuId) && l.state !== "Error")) continue;
    const sku = skuById(tenant, a.skuId)!;
    const free = sku.prepaidUnits.enabled + sku.prepaidUnits.warning - tenant.consumedUnits(sku.skuId);
    if (free <= 0) return bad(`Subscription with SKU ${sku.skuId} does not have any available licenses.`);
  }

  const stamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  let next: SimLicense[] = user.licenses.filter((l) => !(l.assignedByGroup === null && body.remove.some((r) => same(l, r))));
  for (const a of body.add) {
    const sku = skuById(tenant, a.skuId)!;
    const direct = next.find((l) => same(l, a.skuId) && l.assignedByGroup === null);
    const entry: SimLicense = { skuId: sku.skuId, disabledPlans: [...a.disabledPlans], assignedByGroup: null, state: "Active", error: "None", lastUpdatedDateTime: stamp };
    next = direct === undefined ? [...next, entry] : next.map((l) => (l === direct ? entry : l));
  }
  tenant.setLicenses(index, next);

  const updated = tenant.userAt(index);
  // Graph answers with the user object; the doc examples show accountEnabled, assignedLicenses, city, companyName.
  const select = ["accountEnabled", "assignedLicenses", "city", "companyName", ...USER_DEFAULT_PROPERTIES];
  return { status: 200, json: { "@odata.context": odataContext(req, "users/$entity"), ...toUserJson(updated, select, { version: req.version }) } };
}

/** The assignLicense route (endpoint `users.assignLicense`, identity write cost 1). */
export const ASSIGN_LICENSE_ROUTES: GraphRoute[] = [
  {
    method: "POST",
    pattern: "/users/{id}/assignLicense",
    versions: ["v1.0", "beta"],
    endpoint: "users.assignLicense",
    throttle: { kind: "identity", cost: 1, write: true },
    handle: assignLicense,
  },
];
