/**
 * `GET /organization` (v1.0 and beta): the tenant's one organization object, shaped as
 * ../shared/reference/graph-examples/organization.json, with the tenant's verified domains and
 * assignedPlans/provisionedPlans derived from its SKUs' service plans. Supports `$select`.
 */
import type { SimTenant } from "../../model.ts";
import { odataContext } from "../odata/paging.ts";
import { assertQueryOptions, parseSelect } from "../odata/query-options.ts";
import type { GraphRoute } from "../route.ts";

/** organization properties in Graph's order (organization.json). */
export const ORGANIZATION_PROPERTIES = [
  "id",
  "deletedDateTime",
  "businessPhones",
  "city",
  "country",
  "countryLetterCode",
  "createdDateTime",
  "defaultUsageLocation",
  "displayName",
  "isMultipleDataLocationsForServicesEnabled",
  "marketingNotificationEmails",
  "onPremisesLastSyncDateTime",
  "onPremisesSyncEnabled",
  "partnerTenantType",
  "postalCode",
  "preferredLanguage",
  "securityComplianceNotificationMails",
  "securityComplianceNotificationPhones",
  "state",
  "street",
  "technicalNotificationMails",
  "tenantType",
  "directorySizeQuota",
  "assignedPlans",
  "privacyProfile",
  "provisionedPlans",
  "verifiedDomains",
] as const;

/** The `service` name Graph reports for a service plan, by plan-name prefix (as seen in assignedPlans). */
const SERVICE_BY_PREFIX: [string, string][] = [
  ["EXCHANGE", "exchange"],
  ["SHAREPOINT", "SharePoint"],
  ["ONEDRIVE", "SharePoint"],
  ["TEAMS", "TeamspaceAPI"],
  ["MCO", "MicrosoftCommunicationsOnline"],
  ["OFFICESUBSCRIPTION", "MicrosoftOffice"],
  ["OFFICE_BUSINESS", "MicrosoftOffice"],
  ["AAD_PREMIUM", "AADPremiumService"],
  ["MFA", "MultiFactorService"],
  ["ADALLOM", "Adallom"],
  ["INTUNE", "SCO"],
  ["YAMMER", "YammerEnterprise"],
  ["PROJECT", "ProjectWorkManagement"],
  ["BI_AZURE", "PowerBI"],
  ["POWER_BI", "PowerBI"],
  ["VISIO", "Visio"],
  ["RMS", "RMSOnline"],
];

function serviceOf(planName: string): string {
  const upper = planName.toUpperCase();
  return SERVICE_BY_PREFIX.find(([prefix]) => upper.startsWith(prefix))?.[1] ?? planName;
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The organization object for the tenant. */
export function toOrganizationJson(tenant: SimTenant): Record<string, unknown> {
  const created = isoSeconds(new Date(tenant.now.getTime() - 5 * 365 * 86_400_000));
  const assigned = isoSeconds(new Date(tenant.now.getTime() - 400 * 86_400_000));
  const country = (tenant.userCount > 0 ? tenant.userAt(0).usageLocation : null) ?? "US";
  const plans = new Map<string, { service: string; capabilityStatus: string }>();
  for (const sku of tenant.skus) {
    for (const p of sku.servicePlans) {
      if (!plans.has(p.servicePlanId)) plans.set(p.servicePlanId, { service: serviceOf(p.servicePlanName), capabilityStatus: sku.capabilityStatus });
    }
  }
  const provisioned = new Map<string, string>();
  for (const p of plans.values()) if (!provisioned.has(p.service)) provisioned.set(p.service, p.capabilityStatus);
  const initial = tenant.domains.find((d) => d.toLowerCase().endsWith(".onmicrosoft.com")) ?? tenant.domains[0];
  const used = tenant.userCount + tenant.groups.length + tenant.servicePrincipals.length;
  return {
    id: tenant.tenantId,
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: country,
    createdDateTime: created,
    defaultUsageLocation: country,
    displayName: tenant.displayName,
    isMultipleDataLocationsForServicesEnabled: null,
    marketingNotificationEmails: [],
    onPremisesLastSyncDateTime: null,
    onPremisesSyncEnabled: null,
    partnerTenantType: null,
    postalCode: null,
    preferredLanguage: "en",
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    state: null,
    street: null,
    technicalNotificationMails: initial === undefined ? [] : [`admin@${initial}`],
    tenantType: "AAD",
    directorySizeQuota: { used, total: Math.max(50_000, Math.ceil((used * 2) / 50_000) * 50_000) },
    assignedPlans: [...plans].map(([servicePlanId, p]) => ({ assignedDateTime: assigned, capabilityStatus: p.capabilityStatus, service: p.service, servicePlanId })),
    privacyProfile: { contactEmail: "", statementUrl: "" },
    provisionedPlans: [...provisioned].map(([service, capabilityStatus]) => ({ capabilityStatus, provisioningStatus: "Success", service })),
    verifiedDomains: tenant.domains.map((name, i) => ({
      capabilities: "Email, OfficeCommunicationsOnline",
      isDefault: i === 0,
      isInitial: name === initial,
      name,
      type: "Managed",
    })),
  };
}

const canonical = (name: string): string | undefined => ORGANIZATION_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());

export const ORGANIZATION_ROUTES: GraphRoute[] = [
  {
    method: "GET",
    pattern: "/organization",
    versions: ["v1.0", "beta"],
    endpoint: "organization.list",
    throttle: { kind: "identity", cost: 1 },
    handle(req, ctx) {
      assertQueryOptions(req.query, ["$select"]);
      const select = parseSelect(req.query, canonical, "microsoft.graph.organization");
      const full = toOrganizationJson(ctx.tenant);
      let org = full;
      if (select !== null) {
        // Directory objects always carry id, after the selected properties.
        org = {};
        for (const p of select) org[p] = full[p];
        if (!select.includes("id")) org.id = full.id;
      }
      return { status: 200, json: { "@odata.context": odataContext(req, "organization", select), value: [org] } };
    },
  },
];
