/**
 * The registry of simulated Graph routes. Order matters where patterns overlap: the first route whose
 * pattern, version and method match serves the request (`/users/$count` before `/users/{id}`).
 */
import type { GraphRoute } from "../route.ts";
import { ASSIGN_LICENSE_ROUTES } from "./assign-license.ts";
import { AUTH_METHODS_ROUTES } from "./auth-methods.ts";
import { GROUP_ROUTES } from "./groups.ts";
import { MAILBOX_SETTINGS_ROUTES } from "./mailbox-settings.ts";
import { MANAGER_ROUTES } from "./manager.ts";
import { ORGANIZATION_ROUTES } from "./organization.ts";
import { REPORT_ROUTES } from "./reports.ts";
import { REPORT_SETTINGS_ROUTES } from "./report-settings.ts";
import { SERVICE_PRINCIPAL_ROUTES } from "./service-principals.ts";
import { SIGN_IN_ROUTES } from "./sign-ins.ts";
import { SUBSCRIBED_SKU_ROUTES } from "./subscribed-skus.ts";
import { SUBSCRIPTION_ROUTES } from "./subscriptions.ts";
import { USER_ROUTES } from "./users.ts";

/** Every route the simulated Graph serves (`$batch` and `/_download/` are handled by the pipeline itself). */
export const ALL_ROUTES: readonly GraphRoute[] = [
  ...USER_ROUTES,
  ...MANAGER_ROUTES,
  ...MAILBOX_SETTINGS_ROUTES,
  ...ASSIGN_LICENSE_ROUTES,
  ...SUBSCRIBED_SKU_ROUTES,
  ...SUBSCRIPTION_ROUTES,
  ...ORGANIZATION_ROUTES,
  ...REPORT_ROUTES,
  ...REPORT_SETTINGS_ROUTES,
  ...AUTH_METHODS_ROUTES,
  ...SIGN_IN_ROUTES,
  ...SERVICE_PRINCIPAL_ROUTES,
  ...GROUP_ROUTES,
];
