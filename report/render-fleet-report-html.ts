/**
 * The fleet page → one static HTML file: savings and coverage per tenant, the fleet's totals, and a
 * link to each tenant's own report. No script at all: the table is rendered here, every tenant string
 * escaped. The Content-Security-Policy allows only the style sheet (by hash) and forbids every fetch.
 * Pure.
 */
import type { FleetReportModel, FleetReportTenant } from "./build-fleet-report-model.ts";
import { cspHash, escapeHtml, htmlHead } from "./html-head.ts";

export function renderFleetReportHtml(model: FleetReportModel, css: string): string {
  const csp = [`default-src 'none'`, `style-src ${cspHash(css)}`, "base-uri 'none'", "form-action 'none'"].join("; ");
  const money = (n: number) => `${n.toFixed(2)}`;
  const num = (n: number) => String(n);
  const cells = (t: Omit<FleetReportTenant, "tenantId" | "organization" | "collectedAt" | "notCollected" | "href">) =>
    [num(t.users), num(t.licensedUsers), num(t.findings), money(t.monthly), money(t.realizable.now), money(t.realizable.within90Days), money(t.realizable.atRenewal), money(t.review), money(t.idleSpend), `${t.partsCollected} / ${t.partsTotal}`]
      .map((c) => `<td class="num">${escapeHtml(c)}</td>`)
      .join("");
  const rows = model.tenants
    .map((t) => {
      const name = t.organization ? `${t.organization} (${t.tenantId})` : t.tenantId;
      const gaps = t.notCollected.length === 0 ? "everything planned" : t.notCollected.join("; ");
      return `<tr><th scope="row"><a href="${escapeHtml(encodeURI(t.href))}">${escapeHtml(name)}</a><br><span class="muted">collected ${escapeHtml(t.collectedAt)}</span></th>${cells(t)}<td>${escapeHtml(gaps)}</td></tr>`;
    })
    .join("\n");
  const c = escapeHtml(model.currency);
  return `${htmlHead(`Seatwise fleet report — ${model.tenants.length} tenants`, csp, css)}
<body>
<header class="top"><div><h1>Seatwise fleet report</h1><p>${model.tenants.length} tenants, generated ${escapeHtml(model.generatedAt)}; amounts per month in ${c}</p></div></header>
<main>
<section id="fleet" aria-labelledby="h-fleet">
  <h2 id="h-fleet">Savings and coverage per tenant</h2>
  <p class="note">Actionable: what can be acted on now (reclaim, downgrade, seat notifications); by when it arrives: at once, within 90 days, at the subscriptions' renewals. In review: what confirming the findings to review would save (not in the actionable savings). Coverage: the parts of the collection planned that were collected. Each tenant's name opens its own report.</p>
  <div class="table-wrap"><table id="fleet-table">
    <thead><tr><th scope="col">Tenant</th><th scope="col">Users</th><th scope="col">Licensed</th><th scope="col">Findings</th><th scope="col">Actionable ${c}</th><th scope="col">Arrives now</th><th scope="col">Within 90 days</th><th scope="col">At renewal</th><th scope="col">In review</th><th scope="col">Idle spend</th><th scope="col">Parts collected</th><th scope="col">Not collected</th></tr></thead>
    <tbody>
${rows}
    </tbody>
    <tfoot><tr><th scope="row">Fleet</th>${cells(model.totals)}<td></td></tr></tfoot>
  </table></div>
</section>
</main>
</body>
</html>
`;
}
