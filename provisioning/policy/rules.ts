/**
 * Guard rails for the provisioning stack, as pure rules over one resource. The CrossGuard entry
 * (`index.ts`) wraps them in a `PolicyPack` that fails `pulumi preview --policy-pack provisioning/policy`.
 * Each rule has a stable, versioned id; change the logic → bump `vN`.
 */
import { X509Certificate } from "node:crypto";
import { GRAPH_APP_ROLE_IDS, MICROSOFT_GRAPH_APP_ID, TASK_PERMISSIONS, TASKS } from "../../core/permissions.ts";
import type { GraphPermission } from "../../core/permissions.ts";

/** What a rule sees: the resource type token and its (input) properties. */
export interface PolicyResource {
  type: string;
  props: Record<string, unknown>;
}

/** One guard rail. `check` returns a violation message, or undefined when the resource passes. */
export interface PolicyRule {
  id: string;
  /** CrossGuard policy name (kebab-case). */
  name: string;
  description: string;
  check(resource: PolicyResource): string | undefined;
}

/** Type tokens the rules look at. */
export const TYPES = {
  application: "azuread:index/application:Application",
  applicationPassword: "azuread:index/applicationPassword:ApplicationPassword",
  servicePrincipalPassword: "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  applicationCertificate: "azuread:index/applicationCertificate:ApplicationCertificate",
  selfSignedCertificate: "pulumi-nodejs:dynamic/seatwise:SelfSignedCertificate",
  postgresServer: "azure-native:dbforpostgresql:Server",
  postgresConfiguration: "azure-native:dbforpostgresql:Configuration",
  postgresFirewallRule: "azure-native:dbforpostgresql:FirewallRule",
  containerAppsJob: "azure-native:app:Job",
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_VALIDITY_DAYS = 365;
const MIN_RSA_BITS = 2048;

/** Graph app role id → permission name, for every id Seatwise knows. */
const PERMISSION_BY_ID = new Map(Object.entries(GRAPH_APP_ROLE_IDS).map(([name, id]) => [id, name as GraphPermission]));
/** Every permission some task maps to. */
const TASK_MAP_PERMISSIONS = new Set<GraphPermission>(TASKS.flatMap((t) => [...TASK_PERMISSIONS[t]]));

/** Role ids an Application requests on Microsoft Graph (unknown values during preview are skipped). */
function graphRoleIds(props: Record<string, unknown>): string[] {
  const accesses = props.requiredResourceAccesses;
  if (!Array.isArray(accesses)) return [];
  return accesses
    .filter((a): a is { resourceAppId: unknown; resourceAccesses: unknown } => typeof a === "object" && a !== null && (a as { resourceAppId?: unknown }).resourceAppId === MICROSOFT_GRAPH_APP_ID)
    .flatMap((a) => (Array.isArray(a.resourceAccesses) ? a.resourceAccesses : []))
    .filter((r: { type?: unknown; id?: unknown }) => r.type === "Role" && typeof r.id === "string")
    .map((r: { id: string }) => r.id);
}

function describeRole(id: string): string {
  const name = PERMISSION_BY_ID.get(id);
  return name ? `${name} (${id})` : id;
}

/** Parses the certificate of an ApplicationCertificate value (`pem` or `base64`/`hex` DER). */
function certificateOf(props: Record<string, unknown>): X509Certificate | undefined {
  const value = props.value;
  if (typeof value !== "string" || value === "") return undefined;
  const encoding = typeof props.encoding === "string" ? props.encoding : "pem";
  try {
    if (encoding === "pem") return new X509Certificate(value);
    return new X509Certificate(Buffer.from(value, encoding === "hex" ? "hex" : "base64"));
  } catch {
    return undefined;
  }
}

const wholeDays = (from: number, to: number) => Math.floor((to - from) / DAY_MS);

export const noPassword: PolicyRule = {
  id: "SEAT.NO-PASSWORD.1v1",
  name: "no-password-credentials",
  description: "No client secret anywhere: Seatwise identities authenticate with a certificate only.",
  check({ type, props }) {
    if (type === TYPES.applicationPassword) return "an application password (client secret) is declared; use an ApplicationCertificate";
    if (type === TYPES.servicePrincipalPassword) return "a service principal password (client secret) is declared; use an ApplicationCertificate";
    if (type === TYPES.application && Array.isArray(props.passwords) && props.passwords.length > 0) {
      return `the application declares ${props.passwords.length} inline password(s); remove \`passwords\``;
    }
    return undefined;
  },
};

export const grantsInTaskMap: PolicyRule = {
  id: "SEAT.GRAPH-ROLES.1v1",
  name: "graph-roles-in-task-map",
  description: "Only Microsoft Graph application permissions that some Seatwise task needs may be requested or granted.",
  check({ type, props }) {
    let requested: string[] = [];
    if (type === TYPES.appRoleAssignment && typeof props.appRoleId === "string") requested = [props.appRoleId];
    else if (type === TYPES.application) requested = graphRoleIds(props);
    const outside = requested.filter((id) => {
      const name = PERMISSION_BY_ID.get(id);
      return !name || !TASK_MAP_PERMISSIONS.has(name);
    });
    if (outside.length === 0) return undefined;
    return `Graph role(s) outside the task map: ${outside.map(describeRole).join(", ")}`;
  },
};

export const readerReadOnly: PolicyRule = {
  id: "SEAT.READER-READONLY.1v1",
  name: "reader-holds-no-readwrite-role",
  description: "The reader identity (application tagged seatwise:reader) holds no *.ReadWrite.* Graph role.",
  check({ type, props }) {
    if (type !== TYPES.application || !Array.isArray(props.tags) || !props.tags.includes("seatwise:reader")) return undefined;
    const writes = graphRoleIds(props).filter((id) => PERMISSION_BY_ID.get(id)?.includes(".ReadWrite."));
    return writes.length > 0 ? `the reader requests write permission(s): ${writes.map(describeRole).join(", ")}` : undefined;
  },
};

export const certificateValidity: PolicyRule = {
  id: "SEAT.CERT-VALIDITY.1v1",
  name: "certificate-validity-at-most-365-days",
  description: "Certificates and certificate credentials are valid for at most 365 days.",
  check({ type, props }) {
    if (type === TYPES.selfSignedCertificate) {
      const days = props.validityDays;
      return typeof days === "number" && days > MAX_VALIDITY_DAYS ? `certificate validity is ${days} days (max ${MAX_VALIDITY_DAYS})` : undefined;
    }
    if (type !== TYPES.applicationCertificate) return undefined;
    const start = typeof props.startDate === "string" ? Date.parse(props.startDate) : NaN;
    const end = typeof props.endDate === "string" ? Date.parse(props.endDate) : NaN;
    if (!Number.isNaN(start) && !Number.isNaN(end) && wholeDays(start, end) > MAX_VALIDITY_DAYS) {
      return `credential is valid for ${wholeDays(start, end)} days (startDate→endDate, max ${MAX_VALIDITY_DAYS})`;
    }
    const cert = certificateOf(props);
    if (cert) {
      const days = wholeDays(Date.parse(cert.validFrom), Date.parse(cert.validTo));
      if (days > MAX_VALIDITY_DAYS) return `certificate ${cert.subject} is valid for ${days} days (max ${MAX_VALIDITY_DAYS})`;
    }
    return undefined;
  },
};

export const rsaKeySize: PolicyRule = {
  id: "SEAT.RSA-2048.1v1",
  name: "rsa-key-at-least-2048-bits",
  description: "RSA keys are at least 2048 bits.",
  check({ type, props }) {
    if (type === TYPES.selfSignedCertificate) {
      const bits = props.keySize;
      return typeof bits === "number" && bits < MIN_RSA_BITS ? `RSA key size is ${bits} bits (min ${MIN_RSA_BITS})` : undefined;
    }
    if (type !== TYPES.applicationCertificate) return undefined;
    const cert = certificateOf(props);
    const details = cert?.publicKey.asymmetricKeyDetails;
    if (cert && cert.publicKey.asymmetricKeyType === "rsa" && details?.modulusLength !== undefined && details.modulusLength < MIN_RSA_BITS) {
      return `certificate ${cert.subject} has a ${details.modulusLength}-bit RSA key (min ${MIN_RSA_BITS})`;
    }
    return undefined;
  },
};

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const postgresEntraOnly: PolicyRule = {
  id: "SEAT.PG-ENTRA-ONLY.1v1",
  name: "postgres-entra-authentication-only",
  description: "A PostgreSQL flexible server accepts Microsoft Entra authentication only: password authentication disabled, no administrator login or password.",
  check({ type, props }) {
    if (type !== TYPES.postgresServer) return undefined;
    const auth = record(props.authConfig);
    // Azure enables password authentication when authConfig does not say otherwise.
    if (auth.passwordAuth !== "Disabled") return `password authentication is ${typeof auth.passwordAuth === "string" ? auth.passwordAuth : "not disabled (Azure's default is Enabled)"}; set authConfig.passwordAuth: Disabled`;
    if (auth.activeDirectoryAuth !== "Enabled") return "Microsoft Entra authentication is not enabled; set authConfig.activeDirectoryAuth: Enabled";
    if (props.administratorLogin !== undefined || props.administratorLoginPassword !== undefined) return "an administrator login or password is declared; the Entra administrator replaces it";
    return undefined;
  },
};

/** TLS versions below 1.2, as PostgreSQL's ssl_min_protocol_version spells them. */
const WEAK_TLS = new Set(["TLSv1", "TLSv1.1"]);

export const postgresTls: PolicyRule = {
  id: "SEAT.PG-TLS.1v1",
  name: "postgres-tls-required",
  description: "A PostgreSQL flexible server requires TLS (require_secure_transport on) of version 1.2 or later.",
  check({ type, props }) {
    if (type !== TYPES.postgresConfiguration || typeof props.value !== "string") return undefined;
    const name = props.configurationName;
    if (name === "require_secure_transport" && props.value.toLowerCase() !== "on") return `require_secure_transport is "${props.value}"; connections without TLS would be accepted`;
    if (name === "ssl_min_protocol_version" && WEAK_TLS.has(props.value)) return `ssl_min_protocol_version is ${props.value}; use TLSv1.2 or later`;
    return undefined;
  },
};

export const postgresFirewall: PolicyRule = {
  id: "SEAT.PG-FIREWALL.1v1",
  name: "postgres-not-open-to-internet",
  description: "No PostgreSQL firewall rule admits the whole IPv4 internet.",
  check({ type, props }) {
    if (type !== TYPES.postgresFirewallRule) return undefined;
    if (props.startIpAddress === "0.0.0.0" && props.endIpAddress === "255.255.255.255") return `firewall rule ${JSON.stringify(props.firewallRuleName ?? "(unnamed)")} admits 0.0.0.0-255.255.255.255, the whole internet`;
    return undefined;
  },
};

export const jobStore: PolicyRule = {
  id: "SEAT.JOB-STORE.1v1",
  name: "job-store-not-on-azure-files",
  description: "The collector job keeps no store on Azure Files (SQLite locking is unsafe on SMB) and carries no database password (PostgreSQL takes an Entra token).",
  check({ type, props }) {
    if (type !== TYPES.containerAppsJob) return undefined;
    const template = record(props.template);
    const azureFiles = list(template.volumes).filter((v) => record(v).storageType === "AzureFile");
    if (azureFiles.length > 0) return `volume(s) on Azure Files: ${azureFiles.map((v) => String(record(v).name)).join(", ")}; use the PostgreSQL store (seatwise:postgres)`;
    for (const container of list(template.containers)) {
      for (const variable of list(record(container).env).map(record)) {
        if (variable.name === "PGPASSWORD") return "the job sets PGPASSWORD; the PostgreSQL store authenticates with the managed identity's Entra token";
        if (variable.name === "SEATWISE_STORE" && typeof variable.value === "string" && /^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(variable.value)) {
          return "SEATWISE_STORE carries a password; the PostgreSQL store authenticates with the managed identity's Entra token";
        }
      }
    }
    return undefined;
  },
};

/** Every guard rail, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  noPassword,
  grantsInTaskMap,
  readerReadOnly,
  certificateValidity,
  rsaKeySize,
  postgresEntraOnly,
  postgresTls,
  postgresFirewall,
  jobStore,
];
