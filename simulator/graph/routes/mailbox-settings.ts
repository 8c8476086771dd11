/**
 * Simulated `GET /users/{id | userPrincipalName}/mailboxSettings` (v1.0 and beta; permission
 * MailboxSettings.Read): `userPurpose` tells people (`user`) from `shared`, `room` and `equipment`
 * mailboxes. A user without an Exchange mailbox answers 404 `MailboxNotEnabledForRESTAPI`, as
 * Exchange-backed Graph resources do. Identity throttling base cost 1.
 */
import { graphError } from "../route.ts";
import type { GraphContext, GraphRequest, GraphResponse, GraphRoute } from "../route.ts";
import { odataContext, project, readSelect, resourceNotFound } from "./reports/odata-query.ts";

function getMailboxSettings(req: GraphRequest, ctx: GraphContext): GraphResponse {
  const id = req.params["id"] ?? "";
  const i = ctx.tenant.indexOf(id);
  if (i < 0) return resourceNotFound(id, req, ctx);
  const user = ctx.tenant.userAt(i);
  if (user.mailbox.kind === "none") return graphError(404, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.", req, ctx.now());
  const settings = {
    archiveFolder: null,
    timeZone: "UTC",
    delegateMeetingMessageDeliveryOptions: "sendToDelegateOnly",
    dateFormat: "yyyy-MM-dd",
    timeFormat: "HH:mm",
    userPurpose: user.mailbox.kind,
  };
  return { status: 200, json: { "@odata.context": odataContext(req, `users('${user.id}')/mailboxSettings`), ...project(settings, readSelect(req.query)) } };
}

/** The mailbox settings route (endpoint `users.mailboxSettings`). */
export const MAILBOX_SETTINGS_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/users/{id}/mailboxSettings",
    versions: ["v1.0", "beta"],
    endpoint: "users.mailboxSettings",
    throttle: { kind: "identity", cost: 1 },
    handle: getMailboxSettings,
  },
];
