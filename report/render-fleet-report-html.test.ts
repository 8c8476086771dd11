import { describe, expect, it } from "vitest";
import type { FleetReportModel } from "./build-fleet-report-model.ts";
import { renderFleetReportHtml } from "./render-fleet-report-html.ts";

const line = { users: 10, licensedUsers: 8, monthly: 36, findings: 1, realizable: { now: 36, within30Days: 36, within90Days: 36, atRenewal: 36 }, review: 0, spend: 288, idleSpend: 36, partsCollected: 9, partsTotal: 10 };

describe("renderFleetReportHtml", () => {
  it("escapes every tenant string and runs no script", () => {
    const model: FleetReportModel = {
      fleetReportVersion: 1,
      generatedAt: "2026-11-20T08:00:00.000Z",
      currency: "USD",
      tenants: [{ ...line, tenantId: "a.example", organization: '<img src=x onerror="alert(1)">', collectedAt: "2026-11-20T07:00:00Z", notCollected: ["applicationRoster: users.signInActivity (<b>no-premium</b>)"], href: 'fleet-a.example.html"><script>' }],
      totals: line,
    };
    const html = renderFleetReportHtml(model, "body{}");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; (a.example)");
    expect(html).toContain("default-src &#39;none&#39;");
  });
});
