/// <reference lib="dom" />
/**
 * The HTML report in a real browser: Debian's Chromium driven by playwright-core, the file opened
 * from disk. A missing Chromium fails this suite (CI installs it); it is never skipped.
 *
 * The tenant: the demo's (simulator → collection → store → plan), then one change to the store: a user
 * whose display name and department are HTML, and an older complete run for the trend.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../cli/main.ts";
import type { Evaluation } from "../core/user-facts.ts";
import type { CostAllocation } from "../policies/allocate-costs.ts";
import type { ReclaimPlan } from "../reclaim/plan-schema.ts";
import { openSqliteDatabase } from "../store/open-sqlite-database.ts";
import { RUN_TABLES } from "../store/run-repository.ts";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const XSS_NAME = "<img src=x onerror=alert(1)>";
const XSS_DEPARTMENT = "</script><script>alert(2)</script>\u2028";
/** Screenshots for a person to look at (git-ignored). */
const SHOTS = join(import.meta.dirname, "..", ".report-screenshots");

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t), env: {} });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "seatwise-report-browser-"));
const db = join(dir, "seatwise.sqlite");
const planFile = join(dir, "plan.json");
const reportFile = join(dir, "report.html");
const singleFile = join(dir, "single.html");
const NOW = new Date().toISOString();
let evaluation: Evaluation;
let allocation: CostAllocation;
let plan: ReclaimPlan;
let browser: Browser;
let xssUpn: string;

/** Adds a complete run a week older than the latest, a copy of it with a fifth of its licenses removed. */
async function addOlderRun(): Promise<void> {
  const store = openSqliteDatabase(db);
  try {
    const [latest] = await store.all("SELECT * FROM runs WHERE status = 'complete' ORDER BY started_at DESC LIMIT 1");
    const old = "00000000-0000-4000-8000-0000000000aa";
    const at = (ms: number) => new Date(Date.parse(String(latest!.started_at)) - ms).toISOString();
    await store.run("INSERT INTO runs (run_id, tenant_id, started_at, finished_at, status, roles_json, summary_json) VALUES (?, ?, ?, ?, 'complete', '[]', '{}')", [
      old, latest!.tenant_id!, at(7 * 86_400_000), at(7 * 86_400_000 - 60_000),
    ]);
    for (const table of RUN_TABLES) {
      const columns = (await store.all(`PRAGMA table_info(${table})`)).map((c) => String(c.name)).filter((c) => c !== "run_id");
      await store.run(`INSERT INTO ${table} (run_id, ${columns.join(", ")}) SELECT ?, ${columns.join(", ")} FROM ${table} WHERE run_id = ?`, [old, latest!.run_id!]);
    }
    await store.run("DELETE FROM user_licenses WHERE run_id = ? AND rowid % 5 = 0", [old]);
    // Never evaluated: the trend shows its licensed users only.
    await store.run("DELETE FROM run_facts WHERE run_id = ? AND name = 'summary.v1'", [old]);
  } finally {
    await store.close();
  }
}

/** Gives the first user of the plan an HTML display name and department in the latest run. */
async function plantHtmlNames(userId: string): Promise<void> {
  const store = openSqliteDatabase(db);
  try {
    await store.run("UPDATE users SET json = json_set(json, '$.displayName', ?, '$.department', ?) WHERE user_id = ?", [XSS_NAME, XSS_DEPARTMENT, userId]);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const demo = await cli(["demo", "--users", "400", "--seed", "7", "--out", dir]);
  expect(demo.stderr).toBe("");
  expect(demo.stdout).toContain(`7. report: ${reportFile}`);
  expect(demo.stdout).toMatch(/who pays .*\n +DEPARTMENT +USERS/);
  plan = JSON.parse(readFileSync(planFile, "utf8")) as ReclaimPlan;
  xssUpn = plan.actions[0]!.userPrincipalName;
  await plantHtmlNames(plan.actions[0]!.userId);
  expect((await cli(["report", "--db", db, "--out", singleFile, "--now", NOW])).code).toBe(0);
  await addOlderRun();
  const report = await cli(["report", "--db", db, "--plan", planFile, "--out", reportFile, "--now", NOW]);
  expect(report).toMatchObject({ code: 0, stderr: "" });
  evaluation = JSON.parse((await cli(["evaluate", "--db", db, "--format", "json", "--now", NOW])).stdout) as Evaluation;
  allocation = JSON.parse((await cli(["evaluate", "--db", db, "--by", "department", "--format", "json", "--now", NOW])).stdout) as CostAllocation;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Opened {
  context: BrowserContext;
  page: Page;
  requests: string[];
  errors: string[];
}

/** Opens a report from disk, counting every request other than the file and every console error. */
async function open(file: string, options: { colorScheme?: "light" | "dark"; locale?: string } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? "light", locale: options.locale ?? "en-US" });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", async (route) => {
    if (route.request().url() === url) await route.continue();
    else {
      requests.push(route.request().url());
      await route.abort();
    }
  });
  page.on("request", (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("dialog", (d) => {
    errors.push(`a dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector("body[data-ready]");
  return { context, page, requests, errors };
}

describe("the HTML report in Chromium", () => {
  it("is one owner-only file the demo writes", () => {
    expect(statSync(reportFile).mode & 0o077).toBe(0);
    const html = readFileSync(reportFile, "utf8");
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
    expect(html).not.toContain(XSS_NAME);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it("shows the evaluation's totals in the headline, in the reader's locale", async () => {
    const { page, context, errors, requests } = await open(reportFile, { locale: "de-DE" });
    const value = async (id: string) => Number(await page.getAttribute(`[data-testid="${id}"] .value`, "data-value"));
    const text = async (id: string) => page.textContent(`[data-testid="${id}"] .value`);
    expect(await value("savings-monthly")).toBe(evaluation.totals.overall.monthly);
    expect(await value("savings-annual")).toBe(evaluation.totals.overall.annual);
    expect(await value("review-monthly")).toBe(evaluation.totals.byAction.review?.monthly ?? 0);
    expect(await value("realizable-now")).toBe(evaluation.totals.overall.realizable.now);
    expect(await value("spend")).toBe(allocation.total.spend);
    expect(await value("idle-spend")).toBe(allocation.total.idleSpend);
    expect(await value("licensed-users")).toBe(allocation.total.licensedUsers);
    const euro = new Intl.NumberFormat("de-DE", { style: "currency", currency: evaluation.currency });
    expect(await text("savings-monthly")).toBe(euro.format(evaluation.totals.overall.monthly));
    expect(await page.textContent("[data-testid=savings-monthly] .sub")).toContain(euro.format(evaluation.totals.byAction.reclaim?.monthly ?? 0));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await context.close();
  });

  it("draws every chart with the model's bars and points", async () => {
    const { page, context, errors } = await open(reportFile);
    const chart = (id: string) =>
      page.evaluate((canvasId) => {
        const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
        const c = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { labels: string[]; datasets: { data: (number | null)[] }[] } } } }).Chart.getChart(canvas);
        // A drawn canvas has pixels that are not transparent.
        const pixels = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return { labels: c.data.labels, data: c.data.datasets.map((d) => d.data), painted };
      }, id);
    const byRule = await chart("chart-by-rule");
    // Subscription rules restate the seats of the others: not drawn.
    const restating = new Set(evaluation.findings.filter((f) => f.target === "subscription").map((f) => f.ruleId));
    const drawn = Object.entries(evaluation.totals.byRule).filter(([id]) => !restating.has(id));
    expect(byRule.labels).toEqual(drawn.map(([id]) => id));
    expect(byRule.data[0]).toEqual(drawn.map(([, t]) => t.monthly));
    const bySku = await chart("chart-by-sku");
    expect([...bySku.labels].sort()).toEqual(Object.keys(evaluation.totals.bySku).sort());
    const utilisation = await chart("chart-utilisation");
    expect(utilisation.data).toHaveLength(4);
    expect(utilisation.labels.length).toBeGreaterThan(3);
    const who = await chart("chart-allocation");
    expect(who.labels).toEqual(allocation.rows.slice(0, 12).map((r) => r.key ?? "(not set)"));
    expect(who.data[0]).toEqual(allocation.rows.slice(0, 12).map((r) => r.spend));
    const trend = await chart("chart-trend");
    expect(trend.labels).toHaveLength(2);
    expect(trend.data[0]![1]).toBe(allocation.total.licensedUsers);
    expect(trend.data[0]![0]).toBeLessThan(allocation.total.licensedUsers);
    expect(trend.data[2]).toEqual([null, allocation.total.idleSpend]);
    expect(await page.textContent("#trend")).toContain("1 older snapshot was never evaluated");
    for (const c of [byRule, bySku, utilisation, who, trend]) expect(c.painted).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("says so instead of drawing a trend from one snapshot", async () => {
    const { page, context, errors } = await open(singleFile);
    expect(await page.textContent("#trend-single")).toContain("one snapshot");
    expect(await page.$("#chart-trend")).toBeNull();
    expect(await page.$("#plan")).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("filters the findings by rule to exactly that rule's findings, page by page", async () => {
    const { page, context, errors } = await open(reportFile);
    const counts = new Map<string, number>();
    for (const f of evaluation.findings) if (f.user) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    const rule = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
    const expected = evaluation.findings.filter((f) => f.ruleId === rule).map((f) => f.user!.userPrincipalName).sort();
    expect(expected.length).toBeGreaterThan(25);
    const option = await page.$$eval("#f-rule option", (os, id) => os.find((o) => o.textContent!.startsWith(`${id} `))!.getAttribute("value"), rule);
    await page.selectOption("#f-rule", option!);
    await page.selectOption("#f-page-size", "25");
    expect(await page.textContent("#f-count")).toBe(`${expected.length} of ${evaluation.findings.length} findings match`);
    const seen: string[] = [];
    for (;;) {
      const rows = await page.$$eval("#findings-table tbody tr", (trs) => trs.map((tr) => ({ rule: tr.children[2]!.textContent, upn: tr.querySelector(".upn")?.textContent ?? tr.querySelector("button")!.textContent })));
      expect(rows.length).toBeLessThanOrEqual(25);
      for (const r of rows) expect(r.rule).toBe(rule);
      seen.push(...rows.map((r) => r.upn!));
      if (await page.isDisabled("#f-next")) break;
      await page.click("#f-next");
    }
    expect(seen.sort()).toEqual(expected);
    expect(await page.$$eval("#findings-table tbody tr", (trs) => trs.length)).toBeLessThanOrEqual(25);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("sorts by a column, both ways", async () => {
    const { page, context } = await open(reportFile);
    const savings = () => page.$$eval("#findings-table tbody tr", (trs) => trs.map((tr) => Number(tr.getAttribute("data-finding"))));
    const monthly = (rows: number[]) => rows.map((i) => evaluation.findings[i]!.savings.monthly);
    const descending = monthly(await savings());
    expect(descending[0]).toBe(Math.max(...evaluation.findings.map((f) => f.savings.monthly)));
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await page.click("#findings-table thead button:has-text('Savings / month')");
    expect(await page.getAttribute("#findings-table thead th:nth-child(6)", "aria-sort")).toBe("ascending");
    const ascending = monthly(await savings());
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending[0]).toBe(Math.min(...evaluation.findings.map((f) => f.savings.monthly)));
    await context.close();
  });

  it("opens a row's evidence: each fact, its value, Graph source and as-of date, and the rationale", async () => {
    const { page, context, errors } = await open(reportFile);
    const finding = evaluation.findings.find((f) => f.user !== null && f.ruleId === "LIC.INACTIVE.1v1")!;
    await page.fill("#f-search", finding.user!.userPrincipalName);
    await page.click(`#findings-table tbody tr:has-text("LIC.INACTIVE.1v1") button.open`);
    expect(await page.isVisible("#evidence")).toBe(true);
    const rows = await page.$$eval("#evidence table.evidence tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    expect(rows.map((r) => [r[0], r[2], r[4]])).toEqual(finding.evidence.map((e) => [e.fact, e.source, e.status]));
    expect(rows.every((r) => r[3] !== "")).toBe(true);
    expect(await page.textContent("#evidence-body")).toContain("No sign-in of any kind");
    await page.keyboard.press("Escape");
    expect(await page.isVisible("#evidence")).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("shows a display name of HTML as those characters", async () => {
    const { page, context, errors } = await open(reportFile);
    await page.fill("#f-search", "onerror");
    const names = await page.$$eval("#findings-table tbody button.open", (bs) => bs.map((b) => b.textContent));
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names)).toEqual(new Set([XSS_NAME]));
    expect(await page.textContent(`#findings-table tbody tr:has(.upn:text-is("${xssUpn}")) td:nth-child(2)`)).toBe(XSS_DEPARTMENT);
    expect(await page.$$eval("img", (imgs) => imgs.length)).toBe(0);
    expect(await page.$$eval("script", (s) => s.length)).toBe(3);
    expect(await page.$$eval("#allocation-table tbody th", (ths, d) => ths.some((th) => th.textContent === d), XSS_DEPARTMENT)).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("works from the keyboard: arrows between rows, Enter opens the evidence, Escape returns", async () => {
    const { page, context } = await open(reportFile);
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("f-search");
    await page.focus("#findings-table tbody button.open >> nth=0");
    await page.keyboard.press("ArrowDown");
    const second = await page.$eval("#findings-table tbody button.open >> nth=1", (b) => b === document.activeElement);
    expect(second).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.isVisible("#evidence")).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("evidence-close");
    await page.keyboard.press("Escape");
    expect(await page.$eval("#findings-table tbody button.open >> nth=1", (b) => b === document.activeElement)).toBe(true);
    await context.close();
  });

  it("shows the plan an approver signs: changes per user, evidence, group licences to handle", async () => {
    const { page, context } = await open(reportFile);
    expect(await page.$$eval("#plan-actions tbody tr", (trs) => trs.length)).toBe(plan.actions.length);
    expect(Number(await page.getAttribute("[data-testid=plan-monthly] .value", "data-value"))).toBe(plan.totals.monthlySavings);
    expect(await page.$$eval("#plan-groups-table tbody tr", (trs) => trs.length)).toBe(plan.groupRemovals.length);
    expect(plan.groupRemovals.length).toBeGreaterThan(0);
    expect(await page.textContent("#plan-actions tbody tr:first-child details")).toContain(plan.actions[0]!.evidence[0]!.evidence[0]!.fact);
    expect(await page.textContent("#coverage-body")).toContain("What each collection task and part did");
    await context.close();
  });

  it("prints without navigation, filters or pager", async () => {
    const { page, context } = await open(reportFile);
    await page.emulateMedia({ media: "print" });
    for (const selector of ["nav.sections", "#findings .controls", "#findings .pager", "#theme-toggle"]) expect(await page.isHidden(selector)).toBe(true);
    expect(await page.isVisible("#allocation-table")).toBe(true);
    await context.close();
  });

  it("has no serious or critical accessibility violation (axe-core), light and dark; screenshots for review", async () => {
    mkdirSync(SHOTS, { recursive: true });
    const axe = readFileSync(join(import.meta.dirname, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
    for (const colorScheme of ["light", "dark"] as const) {
      const { page, context, errors, requests } = await open(reportFile, { colorScheme });
      await page.screenshot({ path: join(SHOTS, `report-${colorScheme}.png`), fullPage: true });
      await page.evaluate(axe);
      const scan = async () =>
        page.evaluate(async () => {
          const result = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run({ resultTypes: ["violations"] });
          return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
      expect(await scan()).toEqual([]);
      await page.click("#findings-table tbody button.open >> nth=0");
      await page.screenshot({ path: join(SHOTS, `report-evidence-${colorScheme}.png`) });
      expect(await scan()).toEqual([]);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      await context.close();
    }
  });
});
