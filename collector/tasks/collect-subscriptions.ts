/**
 * The tenant's commercial subscriptions from `GET /directory/subscriptions` (companySubscription,
 * Organization.Read.All): per SKU, how many seats each subscription holds, its status, whether it is a
 * trial and its next lifecycle date (renewal or expiry). Evaluation dates savings from them.
 */
import type { GraphCompanySubscription } from "../../core/graph-types.ts";
import type { GraphClient } from "../../graph/graph-client.ts";

const SELECT = "id,commerceSubscriptionId,skuId,skuPartNumber,status,isTrial,createdDateTime,nextLifecycleDateTime,totalLicenses";

/** Reads every subscription (following `@odata.nextLink` should Graph page the list). */
export async function collectSubscriptions(graph: GraphClient): Promise<GraphCompanySubscription[]> {
  const out: GraphCompanySubscription[] = [];
  for await (const page of graph.pages<GraphCompanySubscription>({ path: `/directory/subscriptions?$select=${SELECT}` })) out.push(...page);
  return out;
}
