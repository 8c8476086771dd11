/**
 * MFA registration per user from `GET /reports/authenticationMethods/userRegistrationDetails`
 * (AuditLog.Read.All, Entra ID P1/P2; an identity-and-access report: 5 requests per 10 s).
 * One paged pass for the whole tenant instead of one request per user.
 */
import type { GraphClient } from "../../graph/graph-client.ts";
import type { MfaRegistration } from "../../core/collected-records.ts";

const SELECT = "id,userPrincipalName,isAdmin,isMfaRegistered,isMfaCapable,methodsRegistered";

export async function collectMfa(graph: GraphClient, save: (page: MfaRegistration[]) => Promise<void>): Promise<number> {
  let n = 0;
  for await (const page of graph.pages<MfaRegistration>({ path: `/reports/authenticationMethods/userRegistrationDetails?$select=${SELECT}`, scope: "identityReports" })) {
    n += page.length;
    await save(page);
  }
  return n;
}
