/**
 * Sign-in logs, incrementally: `GET /auditLogs/signIns` from the last watermark (or the retention
 * window on the first run), newest first, 1,000 per page. Kept in the store across runs, so the
 * evidence outlives Graph's 7/30-day retention. Power BI, Project, Visio and Dynamics show their
 * use only here; the last used application per user comes from here too.
 */
import type { GraphClient } from "../../graph/graph-client.ts";
import type { SignInRecord } from "../../core/collected-records.ts";

interface GraphSignIn {
  id: string;
  createdDateTime: string;
  userId: string;
  userPrincipalName: string;
  appId: string;
  appDisplayName: string;
  resourceDisplayName?: string | null;
  isInteractive?: boolean;
  status?: { errorCode?: number };
  location?: { city?: string | null; countryOrRegion?: string | null };
}

/** Collects sign-ins created at or after `sinceIso`; returns how many and the newest timestamp seen. */
export async function collectSignIns(graph: GraphClient, sinceIso: string, save: (page: SignInRecord[]) => Promise<void>): Promise<{ count: number; newest: string | null }> {
  let count = 0;
  let newest: string | null = null;
  const filter = encodeURIComponent(`createdDateTime ge ${sinceIso}`);
  for await (const page of graph.pages<GraphSignIn>({ path: `/auditLogs/signIns?$filter=${filter}&$top=1000`, scope: "identityReports" })) {
    const records = page.map(
      (s): SignInRecord => ({
        id: s.id,
        createdDateTime: s.createdDateTime,
        userId: s.userId,
        userPrincipalName: s.userPrincipalName,
        appId: s.appId,
        appDisplayName: s.appDisplayName,
        resourceDisplayName: s.resourceDisplayName ?? null,
        isInteractive: s.isInteractive ?? true,
        errorCode: s.status?.errorCode ?? 0,
        city: s.location?.city ?? null,
        countryOrRegion: s.location?.countryOrRegion ?? null,
      }),
    );
    for (const r of records) if (newest === null || r.createdDateTime > newest) newest = r.createdDateTime;
    count += records.length;
    await save(records);
  }
  return { count, newest };
}
