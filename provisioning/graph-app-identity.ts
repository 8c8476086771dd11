/**
 * `GraphAppIdentity`: one single-tenant app registration that calls Microsoft Graph with application
 * permissions and a certificate, never a password. Used twice: the reader (collection) and, when
 * reclamation is enabled, the separate reclaimer.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID } from "../core/permissions.ts";
import type { GraphPermission } from "../core/permissions.ts";
import { SelfSignedCertificate } from "./certificate/self-signed-certificate.ts";
import { resolveAppRoleIds } from "./resolve-app-role-ids.ts";

/** The Microsoft Graph service principal as looked up at deploy time. */
export interface GraphServicePrincipal {
  objectId: string;
  /** App role value (permission name) → app role id. */
  appRoleIds: Record<string, string>;
}

/** The two identities Seatwise provisions; also written as application tag `seatwise:<role>`. */
export const IDENTITY_ROLES = ["reader", "reclaimer"] as const;
export type IdentityRole = (typeof IDENTITY_ROLES)[number];

export interface GraphAppIdentityArgs {
  role: IdentityRole;
  /** App registration display name, also the certificate subject CN. */
  displayName: string;
  /** Exactly the application permissions to request and grant. */
  permissions: readonly GraphPermission[];
  graph: pulumi.Input<GraphServicePrincipal>;
  /** Owner object ids of the app registration and service principal. */
  owners: readonly string[];
  certificate: { validityDays: number; rotationWindowDays: number; keySize: number };
}

export class GraphAppIdentity extends pulumi.ComponentResource {
  readonly role: IdentityRole;
  readonly permissions: readonly GraphPermission[];
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  /** One per permission: the admin consent for that application permission. */
  readonly appRoleAssignments: azuread.AppRoleAssignment[];
  readonly certificate: SelfSignedCertificate;
  readonly certificateCredential: azuread.ApplicationCertificate;
  /** Application (client) id. */
  readonly clientId: pulumi.Output<string>;

  constructor(name: string, args: GraphAppIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("seatwise:provisioning:GraphAppIdentity", name, {}, opts);
    this.role = args.role;
    this.permissions = [...args.permissions];
    const graph = pulumi.output(args.graph);
    const roles = graph.apply((g) => resolveAppRoleIds(g.appRoleIds, args.permissions));
    const owners = args.owners.length > 0 ? [...args.owners] : undefined;

    this.application = new azuread.Application(
      name,
      {
        displayName: args.displayName,
        signInAudience: "AzureADMyOrg",
        owners,
        tags: [`seatwise:${args.role}`],
        notes: `Managed by Pulumi (Seatwise ${args.role}). Certificate credential only; permissions: ${args.permissions.join(", ")}.`,
        requiredResourceAccesses: [
          {
            resourceAppId: MICROSOFT_GRAPH_APP_ID,
            resourceAccesses: roles.apply((rs) => rs.map((r) => ({ id: r.id, type: "Role" }))),
          },
        ],
      },
      { parent: this },
    );

    this.servicePrincipal = new azuread.ServicePrincipal(name, { clientId: this.application.clientId, owners }, { parent: this });

    // Resource names carry the permission, not an index, so enabling a task never re-creates grants.
    this.appRoleAssignments = args.permissions.map(
      (permission) =>
        new azuread.AppRoleAssignment(
          `${name}-${permission}`,
          {
            appRoleId: roles.apply((rs) => rs.find((r) => r.permission === permission)!.id),
            principalObjectId: this.servicePrincipal.objectId,
            resourceObjectId: graph.objectId,
          },
          { parent: this },
        ),
    );

    this.certificate = new SelfSignedCertificate(
      `${name}-certificate`,
      {
        commonName: args.displayName,
        validityDays: args.certificate.validityDays,
        rotationWindowDays: args.certificate.rotationWindowDays,
        keySize: args.certificate.keySize,
      },
      { parent: this },
    );

    // Replaced together with the certificate, create-before-delete (Pulumi's default, kept explicit):
    // the new credential is attached before the old one is removed. endDate = the certificate's
    // notAfter, since Entra refuses a credential that outlives its certificate.
    this.certificateCredential = new azuread.ApplicationCertificate(
      `${name}-certificate`,
      {
        applicationId: this.application.id,
        type: "AsymmetricX509Cert",
        encoding: "pem",
        value: this.certificate.certPem,
        startDate: this.certificate.notBefore,
        endDate: this.certificate.notAfter,
      },
      { parent: this, deleteBeforeReplace: false },
    );

    this.clientId = this.application.clientId;
    this.registerOutputs({ clientId: this.clientId });
  }
}
