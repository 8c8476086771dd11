/// <reference lib="dom" />
// Benchmark (printed, not asserted): the HTML report for simulated tenants of 10,000 and 100,000 users.
//   node bench/report.ts [users ...]
// Generation = evaluate + report model + HTML (the store read is not included: the snapshot comes
// from the simulator directly). First render = Chromium's time from navigation start until the page
// script has drawn everything (headline, charts, first page of findings) and a frame followed.
// Targets (issue 10): generation ≤ 5 s and first render ≤ 2 s at 100,000 users. Wall times grow on a
// busy machine; the generation's CPU time (this process, garbage collection included) is printed too.
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { evaluate } from "../policies/evaluate.ts";
import { readPolicy } from "../policies/read-policy.ts";
import { snapshotFromSimTenant } from "../policies/testing/facts-from-sim-user.ts";
import { buildReportModel } from "../report/build-report-model.ts";
import { renderReportHtml } from "../report/render-report-html.ts";
import { readReportAssets } from "../report/write-report.ts";
import { generateTenant } from "../simulator/tenant/generate-tenant.ts";

const sizes = process.argv.length > 2 ? process.argv.slice(2).map(Number) : [10_000, 100_000];
const now = new Date("2026-11-26T12:00:00Z");
const policy = readPolicy([]);
const assets = await readReportAssets();
const dir = mkdtempSync(join(tmpdir(), "seatwise-bench-report-"));
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const ms = (t0: number) => Math.round(performance.now() - t0);

try {
  for (const users of sizes) {
    const tenant = generateTenant({ users, seed: 1, now, modes: { premium: true, concealedNames: false, reportLagDays: 2 }, apps: [] });
    const snapshot = snapshotFromSimTenant(tenant);
    const cpu0 = process.cpuUsage();
    let t0 = performance.now();
    const evaluation = await evaluate(snapshot, policy, { now });
    const tEvaluate = ms(t0);
    t0 = performance.now();
    const model = buildReportModel({ snapshot, evaluation, policy, coverage: [], trend: [], runId: null, generatedAt: now });
    const tModel = ms(t0);
    t0 = performance.now();
    const html = renderReportHtml(model, assets);
    const tRender = ms(t0);
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const file = join(dir, `report-${users}.html`);
    writeFileSync(file, html);
    const size = statSync(file).size;

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-ready]", { timeout: 60_000 });
    const firstRender = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))));
    const filter = await page.evaluate(() => {
      const select = document.getElementById("f-rule") as HTMLSelectElement;
      const t = performance.now();
      select.value = select.options[1]!.value;
      select.dispatchEvent(new Event("change"));
      return performance.now() - t;
    });
    const rows = await page.$$eval("#findings-table tbody tr", (trs) => trs.length);
    const search = await page.evaluate(() => {
      const input = document.getElementById("f-search") as HTMLInputElement;
      const t = performance.now();
      input.value = "smith";
      input.dispatchEvent(new Event("input"));
      return performance.now() - t;
    });
    await context.close();
    console.log(
      `${users.toLocaleString("en")} users, ${evaluation.findings.length.toLocaleString("en")} findings: generation ${tEvaluate + tModel + tRender} ms ` +
        `(evaluate ${tEvaluate}, model ${tModel}, HTML ${tRender}; CPU ${cpuMs} ms, which a busy machine inflates less than wall time); file ${(size / 1024 / 1024).toFixed(2)} MB; ` +
        `first render in Chromium ${Math.round(firstRender)} ms; filter by rule ${Math.round(filter)} ms, search ${Math.round(search)} ms; ${rows} rows in the DOM`,
    );
  }
} finally {
  await browser.close();
}
