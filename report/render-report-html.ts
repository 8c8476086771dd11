/**
 * The report model → one self-contained HTML file. Pure: the assets (Chart.js's UMD build, the page
 * script, the style sheet) are passed in. The data is embedded once, as JSON in a non-executed
 * script element, escaped so that no string can end the element; the page script renders every
 * tenant string with `textContent`. A Content-Security-Policy allows only the two inline scripts and
 * the style sheet, by hash, and forbids every fetch, frame, form target and base URL.
 */
import type { ReportModel } from "./build-report-model.ts";
import { cspHash, htmlHead } from "./html-head.ts";

export interface ReportAssets {
  /** Chart.js's UMD build (defines `window.Chart`). */
  chartJs: string;
  /** report/assets/report-page.js */
  pageJs: string;
  /** report/assets/report.css */
  css: string;
}

/**
 * JSON that can sit inside a `<script>` element: `<`, `>` and `&` become `\u003c`, `\u003e` and
 * `\u0026` (so neither `</script>` nor `<!--` can appear), and U+2028 / U+2029 are escaped too.
 * `JSON.parse` of the element's text gives back exactly `value`.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Keeps an inline script from ending its element early (Chart.js holds no `</script`, but make sure). */
function inlineScript(js: string): string {
  return js.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

/** The whole report as one HTML document. */
export function renderReportHtml(model: ReportModel, assets: ReportAssets): string {
  const chartJs = inlineScript(assets.chartJs);
  const pageJs = inlineScript(assets.pageJs);
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(chartJs)} ${cspHash(pageJs)}`,
    `style-src ${cspHash(assets.css)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "font-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const t = model.tenant;
  const title = `Seatwise licence report — ${t.organization ?? t.tenantId}`;
  const plan = t.plan !== null;
  return `${htmlHead(title, csp, assets.css)}
<body>
<a class="skip" href="#findings">Skip to findings</a>
<header class="top">
  <div>
    <h1>Seatwise licence report</h1>
    <p id="report-subtitle"></p>
  </div>
  <button type="button" id="theme-toggle" aria-pressed="false">Dark scheme</button>
</header>
<nav class="sections" aria-label="Sections">
  <a href="#headline">Headline</a>
  <a href="#money">Where the money goes</a>
  <a href="#who-pays">Who pays</a>
  <a href="#trend">Trend</a>
  <a href="#findings">Findings</a>
  <a href="#coverage">What Seatwise could not see</a>${plan ? '\n  <a href="#plan">Plan</a>' : ""}
</nav>
<main>
<section id="headline" aria-labelledby="h-headline">
  <h2 id="h-headline">Headline</h2>
  <div class="cards" id="headline-cards"></div>
</section>
<section id="money" aria-labelledby="h-money">
  <h2 id="h-money">Where the money goes</h2>
  <div class="charts">
    <figure><figcaption id="cap-by-rule">Savings per month by rule</figcaption><div class="chart-box"><canvas id="chart-by-rule" role="img" aria-labelledby="cap-by-rule"></canvas></div></figure>
    <figure><figcaption id="cap-by-sku">Savings per month by SKU</figcaption><div class="chart-box"><canvas id="chart-by-sku" role="img" aria-labelledby="cap-by-sku"></canvas></div></figure>
  </div>
  <figure class="spaced"><figcaption id="cap-utilisation">Seats per SKU: active, idle (proposed for reclaim), other assigned, unassigned</figcaption><div class="chart-box tall"><canvas id="chart-utilisation" role="img" aria-labelledby="cap-utilisation"></canvas></div></figure>
</section>
<section id="who-pays" aria-labelledby="h-who-pays">
  <h2 id="h-who-pays">Who pays</h2>
  <p class="note">Per month. Spend: every assigned seat's price. Idle spend: the seats the evaluation proposes to reclaim. Savings: what can be acted on now; in review: what confirming the findings to review would save (not in the savings).</p>
  <div class="controls"><label>Group by<select id="allocation-by"></select></label><button type="button" id="allocation-copy" class="no-print">Copy table</button><span id="allocation-copied" role="status" class="muted"></span></div>
  <figure><figcaption id="cap-allocation">Spend, idle spend and savings per month</figcaption><div class="chart-box tall"><canvas id="chart-allocation" role="img" aria-labelledby="cap-allocation"></canvas></div></figure>
  <div class="table-wrap"><table id="allocation-table"></table></div>
  <p class="note" id="allocation-unallocated"></p>
</section>
<section id="trend" aria-labelledby="h-trend">
  <h2 id="h-trend">Trend</h2>
  <div id="trend-body"></div>
</section>
<section id="findings" aria-labelledby="h-findings">
  <h2 id="h-findings">Findings</h2>
  <div class="controls" role="search">
    <label>Search name<input type="search" id="f-search" placeholder="name or UPN (press /)" autocomplete="off"></label>
    <label>Rule<select id="f-rule"></select></label>
    <label>Action<select id="f-action"></select></label>
    <label>Department<select id="f-department"></select></label>
    <label>Confidence<select id="f-confidence"></select></label>
    <label>Rows per page<select id="f-page-size"><option>25</option><option selected>50</option><option>100</option><option>250</option></select></label>
  </div>
  <p id="f-count" role="status" aria-live="polite"></p>
  <div class="table-wrap"><table id="findings-table"><caption class="muted">Select a person to see the evidence. Arrow keys move between rows.</caption></table></div>
  <div class="pager"><button type="button" id="f-prev">Previous page</button><span id="f-page"></span><button type="button" id="f-next">Next page</button></div>
</section>
<section id="coverage" aria-labelledby="h-coverage">
  <h2 id="h-coverage">What Seatwise could not see</h2>
  <div id="coverage-body"></div>
</section>
${plan ? '<section id="plan" aria-labelledby="h-plan">\n  <h2 id="h-plan">Reclamation plan</h2>\n  <div id="plan-body"></div>\n</section>\n' : ""}</main>
<dialog id="evidence" aria-labelledby="evidence-title">
  <header><h2 id="evidence-title"></h2><button type="button" id="evidence-close">Close</button></header>
  <div id="evidence-body"></div>
</dialog>
<script type="application/json" id="seatwise-data">${embedJson(model)}</script>
<script>${chartJs}</script>
<script>${pageJs}</script>
</body>
</html>
`;
}
