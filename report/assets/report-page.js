// The Seatwise report's page script: displays the model embedded in #seatwise-data. It computes no
// rule, saving or total: every number comes from the model (report/build-report-model.ts). Every
// string from the tenant is set as text (textContent / text nodes), never parsed as HTML.
"use strict";
(function () {
  const model = JSON.parse(document.getElementById("seatwise-data").textContent);
  const t = model.tenant;
  const S = t.strings;
  const str = (i) => (i < 0 ? null : S[i]);
  const money = new Intl.NumberFormat(undefined, { style: "currency", currency: model.currency });
  const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
  const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
  const timeFmt = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
  const compactMoney = new Intl.NumberFormat(undefined, { style: "currency", currency: model.currency, notation: "compact", maximumFractionDigits: 1 });
  const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  const asDate = (iso) => (iso ? (iso.length <= 10 ? dateFmt.format(new Date(`${iso}T00:00:00Z`)) : dateTimeFmt.format(new Date(iso))) : "—");
  const asMoney = (n) => money.format(n);
  const asInt = (n) => integer.format(n);

  /** Creates an element; `props` are DOM properties or attributes, children are nodes or text. */
  function h(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return e;
  }
  const byId = (id) => document.getElementById(id);
  /** Appends the children that are not null (Node.append would show null as the text "null"). */
  const add = (parent, ...children) => parent.append(...children.filter((c) => c !== null && c !== undefined && c !== false));

  // ---- theme -------------------------------------------------------------------------------------
  const root = document.documentElement;
  const toggle = byId("theme-toggle");
  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches);
  const syncToggle = () => {
    toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.textContent = isDark() ? "Light scheme" : "Dark scheme";
  };
  toggle.addEventListener("click", () => {
    root.dataset.theme = isDark() ? "light" : "dark";
    syncToggle();
    drawCharts();
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    syncToggle();
    drawCharts();
  });
  syncToggle();

  // ---- header and headline ------------------------------------------------------------------------
  byId("report-subtitle").textContent =
    `${t.organization ? `${t.organization} · ` : ""}tenant ${t.tenantId} · snapshot of ${asDate(t.snapshot.collectedAt)} · generated ${asDate(model.generatedAt)}`;

  function card(id, label, value, display, sub) {
    return h("div", { class: "card", "data-testid": id },
      h("p", { class: "label", text: label }),
      h("p", { class: "value", "data-value": value, text: display }),
      sub ? h("p", { class: "sub", text: sub }) : null);
  }
  const hl = t.headline;
  const snapshotNote = t.snapshot.partsTotal === 0
    ? "no coverage records"
    : `${asInt(t.snapshot.partsCollected)} of ${asInt(t.snapshot.partsTotal)} collection parts collected`;
  add(byId("headline-cards"),
    card("savings-monthly", "Savings to act on, per month", hl.now.monthly, asMoney(hl.now.monthly),
      `reclaim ${asMoney(hl.reclaim.monthly)} · downgrade ${asMoney(hl.downgrade.monthly)}${hl.notify.findings ? ` · unassigned seats ${asMoney(hl.notify.monthly)}` : ""}`),
    card("savings-annual", "Savings to act on, per year", hl.now.annual, asMoney(hl.now.annual), `${asInt(hl.now.findings)} findings to act on`),
    card("realizable-now", "Of which saved from today, per month", hl.realizable.now, asMoney(hl.realizable.now),
      hl.renewalDates.known
        ? `within 30 days ${asMoney(hl.realizable.within30Days)} · 90 days ${asMoney(hl.realizable.within90Days)} · at renewal ${asMoney(hl.realizable.atRenewal)}`
        : `renewal dates unknown: every saving counted from today${hl.renewalDates.detail ? ` (${hl.renewalDates.detail})` : ""}`),
    card("review-monthly", "In review, per month", hl.review.monthly, asMoney(hl.review.monthly), `what confirming ${asInt(hl.review.findings)} findings would save`),
    card("licensed-users", "Licensed users", hl.licensedUsers, asInt(hl.licensedUsers), `of ${asInt(t.snapshot.users)} users`),
    card("active-users", `Active users (last ${hl.inactivityDays} days)`, hl.activeUsers, asInt(hl.activeUsers),
      hl.unknownActivity ? `${asInt(hl.unknownActivity)} with no activity data` : "sign-ins and usage reports"),
    card("spend", "Licence spend, per month", hl.spend, asMoney(hl.spend), "every assigned seat"),
    card("idle-spend", "Idle spend, per month", hl.idleSpend, asMoney(hl.idleSpend), "seats proposed for reclaim"),
    card("snapshot", "Snapshot collected", t.snapshot.collectedAt, dateFmt.format(new Date(t.snapshot.collectedAt)), `${timeFmt.format(new Date(t.snapshot.collectedAt))} · ${snapshotNote}`),
  );

  // ---- charts -------------------------------------------------------------------------------------
  const css = (name) => getComputedStyle(root).getPropertyValue(name).trim();
  function chart(canvasId, config) {
    const canvas = byId(canvasId);
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    const fg = css("--fg");
    const grid = css("--line");
    Chart.defaults.color = fg;
    Chart.defaults.borderColor = grid;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false, locale: navigator.language }, config.options || {});
    return new Chart(canvas, config);
  }
  const moneyTick = { callback: (v) => compactMoney.format(v) };
  const moneyTooltip = { callbacks: { label: (ctx) => `${ctx.dataset.label ? `${ctx.dataset.label}: ` : ""}${asMoney(ctx.parsed.x ?? ctx.parsed.y)}` } };

  /** `color` is one colour, or one per bar. */
  function barChart(id, labels, values, color, label) {
    chart(id, {
      type: "bar",
      data: { labels, datasets: [{ label, data: values, backgroundColor: color }] },
      options: { indexAxis: "y", plugins: { legend: { display: false }, tooltip: moneyTooltip }, scales: { x: { ticks: moneyTick, beginAtZero: true } } },
    });
  }

  let allocationBy = null;
  function drawCharts() {
    const byRule = t.money.byRule.filter((r) => !r.restates);
    barChart("chart-by-rule", byRule.map((r) => r.ruleId), byRule.map((r) => r.monthly), byRule.map((r) => css(r.review ? "--c5" : "--c1")), "Savings per month");
    barChart("chart-by-sku", t.money.bySku.map((r) => r.sku), t.money.bySku.map((r) => r.monthly), css("--c3"), "Savings per month");
    const u = t.money.utilisation;
    chart("chart-utilisation", {
      type: "bar",
      data: {
        labels: u.map((r) => r.sku),
        datasets: [
          { label: "Active", data: u.map((r) => r.active), backgroundColor: css("--c3") },
          { label: "Idle (proposed for reclaim)", data: u.map((r) => r.idle), backgroundColor: css("--c2") },
          { label: "Other assigned", data: u.map((r) => r.other), backgroundColor: css("--c5") },
          { label: "Unassigned", data: u.map((r) => r.unassigned), backgroundColor: css("--c4") },
        ],
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } } },
    });
    drawAllocationChart();
    drawTrendChart();
  }

  const reviewRules = t.money.byRule.filter((r) => r.review && r.monthly > 0);
  if (reviewRules.length) {
    byId("cap-by-rule").parentElement.append(h("p", { class: "note", text: `In another colour, review rules (${reviewRules.map((r) => r.ruleId).join(", ")}): what confirming their findings would save, not savings to act on.` }));
  }
  const restated = t.money.byRule.filter((r) => r.restates && r.findings > 0);
  if (restated.length) {
    byId("cap-by-rule").parentElement.append(h("p", { class: "note", text: `Not drawn: the subscription rules (${restated.map((r) => r.ruleId).join(", ")}); their amounts restate seats the rules above already count.` }));
  }

  // ---- who pays -----------------------------------------------------------------------------------
  const dimensions = Object.keys(t.allocation);
  const dimensionLabel = (d) => (d === "attribute" ? t.allocation.attribute.attribute : d[0].toUpperCase() + d.slice(1));
  const bySelect = byId("allocation-by");
  for (const d of dimensions) bySelect.append(h("option", { value: d, text: dimensionLabel(d) }));
  allocationBy = dimensions[0];
  bySelect.addEventListener("change", () => {
    allocationBy = bySelect.value;
    renderAllocationTable();
    drawAllocationChart();
  });
  const keyLabel = (k) => (k === null ? "(not set)" : k);
  const ALLOCATION_COLUMNS = [
    ["users", "Users", asInt], ["licensedUsers", "Licensed", asInt], ["seats", "Seats", asInt], ["spend", "Spend", asMoney],
    ["idleSeats", "Idle seats", asInt], ["idleSpend", "Idle spend", asMoney], ["findings", "Findings", asInt], ["savings", "Savings", asMoney], ["reviewSavings", "In review", asMoney],
  ];
  function renderAllocationTable() {
    const a = t.allocation[allocationBy];
    const table = byId("allocation-table");
    table.replaceChildren(
      h("caption", { text: `Per month, by ${dimensionLabel(allocationBy).toLowerCase()} (${model.currency})` }),
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: dimensionLabel(allocationBy) }), ALLOCATION_COLUMNS.map(([, label]) => h("th", { scope: "col", class: "num", text: label })))),
      h("tbody", {}, a.rows.map((r) => h("tr", {}, h("th", { scope: "row", text: keyLabel(r.key) }), ALLOCATION_COLUMNS.map(([k, , f]) => h("td", { class: "num", text: f(r[k]) }))))),
      h("tfoot", {}, h("tr", {}, h("th", { scope: "row", text: "Total" }), ALLOCATION_COLUMNS.map(([k, , f]) => h("td", { class: "num", text: f(a.total[k]) })))),
    );
    byId("allocation-unallocated").textContent = a.unallocated.findings > 0
      ? `Not in the table: unassigned seats, charged to no one — ${asInt(a.unallocated.findings)} findings, ${asMoney(a.unallocated.savings)} per month.`
      : "";
  }
  const ALLOCATION_CHART_ROWS = 12;
  function drawAllocationChart() {
    const rows = t.allocation[allocationBy].rows.slice(0, ALLOCATION_CHART_ROWS);
    byId("cap-allocation").textContent = `Spend, idle spend and savings per month by ${dimensionLabel(allocationBy).toLowerCase()}${t.allocation[allocationBy].rows.length > ALLOCATION_CHART_ROWS ? ` (the ${ALLOCATION_CHART_ROWS} largest; all in the table)` : ""}`;
    chart("chart-allocation", {
      type: "bar",
      data: {
        labels: rows.map((r) => keyLabel(r.key)),
        datasets: [
          { label: "Spend", data: rows.map((r) => r.spend), backgroundColor: css("--c1") },
          { label: "Idle spend", data: rows.map((r) => r.idleSpend), backgroundColor: css("--c2") },
          { label: "Savings now", data: rows.map((r) => r.savings), backgroundColor: css("--c3") },
        ],
      },
      options: { plugins: { tooltip: moneyTooltip }, scales: { y: { ticks: moneyTick, beginAtZero: true } } },
    });
  }
  byId("allocation-copy").addEventListener("click", async () => {
    const rows = [...byId("allocation-table").querySelectorAll("thead tr, tbody tr, tfoot tr")].map((tr) => [...tr.children].map((c) => c.textContent).join("\t"));
    const status = byId("allocation-copied");
    try {
      await navigator.clipboard.writeText(rows.join("\n"));
      status.textContent = "Copied: paste into a spreadsheet.";
    } catch {
      status.textContent = "The browser refused the clipboard: select the table and copy it instead.";
    }
  });
  renderAllocationTable();

  // ---- trend --------------------------------------------------------------------------------------
  const trendBody = byId("trend-body");
  function drawTrendChart() {
    if (t.trend.length < 2) return;
    chart("chart-trend", {
      type: "line",
      data: {
        labels: t.trend.map((p) => asDate(p.collectedAt)),
        datasets: [
          { label: "Licensed users", data: t.trend.map((p) => p.licensedUsers), borderColor: css("--c1"), backgroundColor: css("--c1"), yAxisID: "users" },
          { label: "Active users", data: t.trend.map((p) => p.activeUsers), borderColor: css("--c3"), backgroundColor: css("--c3"), yAxisID: "users", spanGaps: true },
          { label: "Idle spend per month", data: t.trend.map((p) => p.idleSpend), borderColor: css("--c2"), backgroundColor: css("--c2"), yAxisID: "money", spanGaps: true, borderDash: [6, 4] },
        ],
      },
      options: {
        scales: { users: { position: "left", beginAtZero: true, title: { display: true, text: "users" } }, money: { position: "right", beginAtZero: true, ticks: moneyTick, grid: { drawOnChartArea: false } } },
      },
    });
  }
  if (t.trend.length < 2) {
    trendBody.append(h("p", { class: "message", id: "trend-single", text: `The store holds one snapshot (${asDate(t.snapshot.collectedAt)}): the trend of licensed and active users and idle spend appears once the next collection has run.` }));
  } else {
    const missing = t.trend.filter((p) => p.idleSpend === null).length;
    add(trendBody,
      h("figure", {}, h("figcaption", { id: "cap-trend", text: `Licensed and active users, idle spend per month, over ${asInt(t.trend.length)} snapshots` }),
        h("div", { class: "chart-box tall" }, h("canvas", { id: "chart-trend", role: "img", "aria-labelledby": "cap-trend" }))),
      missing ? h("p", { class: "note", text: missing === 1 ? "1 older snapshot was never evaluated: it shows licensed users only." : `${asInt(missing)} older snapshots were never evaluated: they show licensed users only.` }) : null,
    );
  }

  // ---- findings -----------------------------------------------------------------------------------
  const F = t.findings;
  const rules = t.rules;
  const COL = { subject: 0, name: 1, dept: 2, rule: 3, action: 4, severity: 5, monthly: 6, confidence: 7, licenses: 8, evidence: 9, reasons: 10, from: 11, basis: 12 };
  const BASES = { renewal: "at the subscription's renewal", monthlyTerm: "monthly term, renews within the month", unknownTerm: "term unknown, counted from today", noSubscriptions: "renewal dates not collected, counted from today" };
  const haystack = F.map((f) => `${str(f[COL.name]) ?? ""}\u0000${str(f[COL.subject])}`.toLowerCase());
  const ruleOf = (f) => rules[f[COL.rule]];
  const licenseText = (f) => f[COL.licenses].map((l) => S[l[0]]).join(", ");
  const state = { query: "", rule: "", action: "", dept: "", confidence: "", sort: "monthly", dir: -1, page: 0, size: 50 };
  let view = [];

  function options(select, label, values) {
    select.append(h("option", { value: "", text: `All ${label}` }));
    for (const [value, text] of values) select.append(h("option", { value, text }));
  }
  const present = (col) => [...new Set(F.map((f) => f[col]))];
  options(byId("f-rule"), "rules", present(COL.rule).sort((a, b) => a - b).map((i) => [String(i), `${rules[i].id} — ${rules[i].name}`]));
  options(byId("f-action"), "actions", present(COL.action).sort().map((i) => [String(i), model.actions[i]]));
  options(byId("f-department"), "departments", present(COL.dept).map((i) => [String(i), i < 0 ? "(none)" : S[i]]).sort((a, b) => a[1].localeCompare(b[1])));
  options(byId("f-confidence"), "levels", present(COL.confidence).sort().map((i) => [String(i), model.confidenceLevels[i]]));

  const SORTS = {
    name: (f) => (str(f[COL.name]) ?? str(f[COL.subject])).toLowerCase(),
    dept: (f) => (str(f[COL.dept]) ?? "").toLowerCase(),
    rule: (f) => ruleOf(f).id,
    action: (f) => model.actions[f[COL.action]],
    licenses: licenseText,
    monthly: (f) => f[COL.monthly],
    confidence: (f) => f[COL.confidence],
  };
  const HEADERS = [["name", "Person"], ["dept", "Department"], ["rule", "Rule"], ["action", "Action"], ["licenses", "Licences"], ["monthly", "Savings / month"], ["confidence", "Confidence"]];

  function applyFilters() {
    const q = state.query.toLowerCase();
    const num = (v) => (v === "" ? null : Number(v));
    const [rule, action, dept, conf] = [num(state.rule), num(state.action), num(state.dept), num(state.confidence)];
    view = [];
    for (let i = 0; i < F.length; i++) {
      const f = F[i];
      if (rule !== null && f[COL.rule] !== rule) continue;
      if (action !== null && f[COL.action] !== action) continue;
      if (dept !== null && f[COL.dept] !== dept) continue;
      if (conf !== null && f[COL.confidence] !== conf) continue;
      if (q && !haystack[i].includes(q)) continue;
      view.push(i);
    }
    const key = SORTS[state.sort];
    const keys = new Map(view.map((i) => [i, key(F[i])]));
    view.sort((a, b) => {
      const x = keys.get(a), y = keys.get(b);
      return (typeof x === "number" ? x - y : String(x).localeCompare(String(y))) * state.dir || a - b;
    });
    state.page = Math.min(state.page, Math.max(0, Math.ceil(view.length / state.size) - 1));
    renderFindings();
  }

  const table = byId("findings-table");
  const thead = h("thead");
  const tbody = h("tbody");
  table.append(thead, tbody);
  function renderHead() {
    thead.replaceChildren(h("tr", {}, HEADERS.map(([key, label]) =>
      h("th", { scope: "col", class: key === "monthly" ? "num" : null, "aria-sort": state.sort === key ? (state.dir > 0 ? "ascending" : "descending") : "none" },
        h("button", { type: "button", class: "sort", onclick: () => {
          state.dir = state.sort === key ? -state.dir : key === "monthly" ? -1 : 1;
          state.sort = key;
          renderHead();
          applyFilters();
        } }, label)))));
  }
  function renderFindings() {
    const pages = Math.max(1, Math.ceil(view.length / state.size));
    const start = state.page * state.size;
    const rows = view.slice(start, start + state.size).map((i) => {
      const f = F[i];
      const name = str(f[COL.name]);
      const subject = str(f[COL.subject]);
      const rule = ruleOf(f);
      return h("tr", { "data-finding": i },
        h("td", {}, h("button", { type: "button", class: "link open", "data-index": i, onclick: () => openEvidence(i) }, name ?? subject), name ? h("span", { class: "upn", text: subject }) : null),
        h("td", { text: str(f[COL.dept]) ?? "—" }),
        h("td", { title: rule.name }, rule.id),
        h("td", { text: model.actions[f[COL.action]] }),
        h("td", { text: licenseText(f) }),
        h("td", { class: "num", text: asMoney(f[COL.monthly]) }),
        h("td", { class: `c-${model.confidenceLevels[f[COL.confidence]]}`, text: model.confidenceLevels[f[COL.confidence]] }));
    });
    tbody.replaceChildren(...rows);
    byId("f-count").textContent = view.length === F.length ? `${asInt(F.length)} findings` : `${asInt(view.length)} of ${asInt(F.length)} findings match`;
    byId("f-page").textContent = `Page ${asInt(state.page + 1)} of ${asInt(pages)}`;
    byId("f-prev").disabled = state.page === 0;
    byId("f-next").disabled = state.page >= pages - 1;
  }
  const bind = (id, key, event) => byId(id).addEventListener(event, (e) => {
    state[key] = key === "size" ? Number(e.target.value) : e.target.value;
    state.page = 0;
    applyFilters();
  });
  bind("f-search", "query", "input");
  bind("f-rule", "rule", "change");
  bind("f-action", "action", "change");
  bind("f-department", "dept", "change");
  bind("f-confidence", "confidence", "change");
  bind("f-page-size", "size", "change");
  byId("f-prev").addEventListener("click", () => { state.page -= 1; renderFindings(); });
  byId("f-next").addEventListener("click", () => { state.page += 1; renderFindings(); });
  // Arrow keys move between the rows' buttons; "/" jumps to the search box.
  tbody.addEventListener("keydown", (e) => {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const buttons = [...tbody.querySelectorAll("button.open")];
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const next = buttons[at + (e.key === "ArrowDown" ? 1 : -1)];
    if (next) { next.focus(); e.preventDefault(); }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || byId("evidence").open) return;
    e.preventDefault();
    byId("f-search").focus();
  });

  function factValue(v) {
    if (v === null) return "none";
    if (Array.isArray(v)) return v.length ? v.join(", ") : "(empty)";
    if (typeof v === "boolean") return v ? "yes" : "no";
    if (typeof v === "number") return decimal.format(v);
    if (/^\d{4}-\d{2}-\d{2}(T|$)/.test(v)) return asDate(v);
    return String(v);
  }
  const dialog = byId("evidence");
  let opener = null;
  function openEvidence(i) {
    const f = F[i];
    const rule = ruleOf(f);
    opener = document.activeElement;
    byId("evidence-title").textContent = str(f[COL.name]) ?? str(f[COL.subject]);
    const body = byId("evidence-body");
    body.replaceChildren();
    add(body,
      str(f[COL.name]) ? h("p", { class: "upn", text: `${str(f[COL.subject])}${str(f[COL.dept]) ? ` · ${str(f[COL.dept])}` : ""}` }) : null,
      h("h3", { text: `${rule.id} — ${rule.name}` }),
      h("p", { text: rule.rationale }),
      h("p", {}, `Action: ${model.actions[f[COL.action]]}${model.actions[f[COL.action]] !== rule.action ? ` (the rule asks for ${rule.action}; lowered by the evidence's confidence)` : ""} · severity ${model.severities[f[COL.severity]]} · savings ${asMoney(f[COL.monthly])} per month · confidence `,
        h("span", { class: `c-${model.confidenceLevels[f[COL.confidence]]}`, text: model.confidenceLevels[f[COL.confidence]] })),
      f[COL.from] >= 0 ? h("p", { class: "note", text: `Saved from ${asDate(S[f[COL.from]])} (${BASES[S[f[COL.basis]]] || S[f[COL.basis]]}).` }) : null,
      f[COL.reasons].length ? h("ul", {}, f[COL.reasons].map((r) => h("li", { text: S[r] }))) : null,
      f[COL.licenses].length ? h("table", { class: "licenses" },
        h("caption", { text: "Licences and what to do" }),
        h("thead", {}, h("tr", {}, ["SKU", "Assigned", "What to do", "Savings / month"].map((c, k) => h("th", { scope: "col", class: k === 3 ? "num" : null, text: c })))),
        h("tbody", {}, f[COL.licenses].map((l) => h("tr", {}, h("td", { text: S[l[0]] }), h("td", { text: l[3] < 0 ? "directly" : `by group ${S[l[3]]}` }), h("td", { text: S[l[1]] }), h("td", { class: "num", text: asMoney(l[2]) }))))) : null,
      h("table", { class: "evidence" },
        h("caption", { text: "Evidence: each fact, its value and where it comes from" }),
        h("thead", {}, h("tr", {}, ["Fact", "Value", "Graph source", "As of", "Status"].map((c) => h("th", { scope: "col", text: c })))),
        h("tbody", {}, f[COL.evidence].map((e) => {
          const st = t.evidenceStates[e[2]];
          return h("tr", { "data-fact": S[e[0]] }, h("td", { text: S[e[0]] }), h("td", { text: factValue(e[1]) }), h("td", { text: st.source }), h("td", { text: asDate(st.asOf) }), h("td", { text: st.status }));
        }))),
    );
    dialog.showModal();
    byId("evidence-close").focus();
  }
  byId("evidence-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => { if (opener && opener.isConnected) opener.focus(); });

  renderHead();
  applyFilters();

  // ---- coverage -----------------------------------------------------------------------------------
  const cov = t.coverage;
  const coverageBody = byId("coverage-body");
  const REASONS = {
    "missing-permission": "a permission is missing", missingPermission: "a permission is missing",
    "no-premium-license": "no Entra ID P1 licence", noPremium: "no Entra ID P1 licence",
    "concealed-names": "report names are concealed", concealedNames: "report names are concealed",
    failed: "the requests failed", notRun: "not run",
  };
  const reason = (r) => (r ? REASONS[r] || r : "");
  const gapsNote = cov.gaps.length === 0
    ? h("p", { class: "message", text: "Every source was collected: no rule was weakened by missing data." })
    : h("div", { class: "table-wrap" }, h("table", { id: "gaps-table" },
      h("caption", { text: "Sources not fully collected, and the rules they weaken (findings from them are lowered to review)" }),
      h("thead", {}, h("tr", {}, ["Source", "Status", "Why", "Rules weakened"].map((c) => h("th", { scope: "col", text: c })))),
      h("tbody", {}, cov.gaps.map((g) => h("tr", {}, h("td", { text: g.source }), h("td", { text: g.status }), h("td", { text: [reason(g.reason), g.detail].filter(Boolean).join(": ") }), h("td", { text: g.rules.join(", ") || "none" }))))));
  add(coverageBody,
    gapsNote,
    cov.lowered.length ? h("p", { class: "note", text: `Findings with lowered confidence: ${cov.lowered.map((l) => `${l.ruleId} ${asInt(l.findings)}`).join(", ")}.` }) : null,
    cov.suppressedByProtection.length ? h("p", { class: "note", text: `Not reported because the users are protected by the policy: ${cov.suppressedByProtection.map((l) => `${l.ruleId} ${asInt(l.findings)}`).join(", ")}.` }) : null,
    cov.parts.length === 0 ? h("p", { class: "note", text: "This snapshot carries no per-task coverage records." }) : h("div", { class: "table-wrap" }, h("table", { id: "coverage-table" },
      h("caption", { text: "What each collection task and part did" }),
      h("thead", {}, h("tr", {}, ["Task", "Part", "Status", "Why", "Items"].map((c, k) => h("th", { scope: "col", class: k === 4 ? "num" : null, text: c })))),
      h("tbody", {}, cov.parts.map((p) => h("tr", {}, h("td", { text: p.task }), h("td", { text: p.part }), h("td", { class: `s-${p.status}`, text: p.status }), h("td", { text: [reason(p.reason), p.detail].filter(Boolean).join(": ") }), h("td", { class: "num", text: asInt(p.items) })))))),
  );

  // ---- plan ---------------------------------------------------------------------------------------
  if (t.plan) {
    const p = t.plan;
    const NOT_PLANNED_SHOWN = 500;
    const evidenceList = (groups) => h("details", {}, h("summary", { text: "Evidence" }),
      groups.map((g) => h("div", {}, h("strong", { text: g.ruleId }), h("ul", {}, g.evidence.map((e) => h("li", { text: `${e.fact} = ${factValue(e.value)} (${e.source}, ${asDate(e.asOf)}, ${e.status})` }))))));
    add(byId("plan-body"),
      h("p", { class: "note", text: `Plan ${p.planId}, built ${asDate(p.createdAt)} from the snapshot of ${asDate(p.snapshotCollectedAt)}; at most ${asInt(p.maxUsers)} users per apply. Nothing changes until it is applied.` }),
      h("div", { class: "cards" },
        card("plan-users", "Users changed", p.totals.users, asInt(p.totals.users), `${asInt(p.totals.removals)} removals, ${asInt(p.totals.downgrades)} downgrades`),
        card("plan-monthly", "Plan savings, per month", p.totals.monthlySavings, asMoney(p.totals.monthlySavings), `${asMoney(p.totals.annualSavings)} per year`),
        card("plan-groups", "Group licences to handle by hand", p.totals.groupRemovals, asInt(p.totals.groupRemovals), "remove the person from the group")),
      h("div", { class: "table-wrap" }, h("table", { id: "plan-actions" },
        h("caption", { text: "What would change, per user" }),
        h("thead", {}, h("tr", {}, ["Person", "Change", "Rules", "Savings / month", "Evidence"].map((c, k) => h("th", { scope: "col", class: k === 3 ? "num" : null, text: c })))),
        h("tbody", {}, p.actions.map((a) => h("tr", {},
          h("td", {}, a.displayName ?? a.userPrincipalName, a.displayName ? h("span", { class: "upn", text: a.userPrincipalName }) : null),
          h("td", { text: [a.remove.length ? `remove ${a.remove.join(", ")}` : "", a.add.length ? `add ${a.add.join(", ")}` : ""].filter(Boolean).join("; ") }),
          h("td", { text: a.ruleIds.join(", ") }),
          h("td", { class: "num", text: asMoney(a.monthlySavings) }),
          h("td", {}, evidenceList(a.evidence))))))),
      h("h3", { text: "Group-assigned licences a person must handle" }),
      p.groupRemovals.length === 0 ? h("p", { class: "note", text: "None." }) : h("div", { class: "table-wrap" }, h("table", { id: "plan-groups-table" },
        h("thead", {}, h("tr", {}, ["User", "SKU", "Group", "What to do", "Rules", "Savings / month"].map((c, k) => h("th", { scope: "col", class: k === 5 ? "num" : null, text: c })))),
        h("tbody", {}, p.groupRemovals.map((g) => h("tr", {}, h("td", { text: g.userPrincipalName }), h("td", { text: g.sku }), h("td", { text: g.groupName }), h("td", { text: g.remedy }), h("td", { text: g.ruleIds.join(", ") }), h("td", { class: "num", text: asMoney(g.monthlySavings) })))))),
      h("h3", { text: "Downgrades Graph would refuse" }),
      p.cannotSucceed.length === 0 ? h("p", { class: "note", text: "None." }) : h("div", { class: "table-wrap" }, h("table", { id: "plan-cannot-succeed" },
        h("thead", {}, h("tr", {}, ["User", "Rule", "Target SKU", "What to fix first"].map((c) => h("th", { scope: "col", text: c })))),
        h("tbody", {}, p.cannotSucceed.map((c) => h("tr", {}, h("td", { text: c.userPrincipalName }), h("td", { text: c.ruleId }), h("td", { text: c.sku }), h("td", { text: c.fix })))))),
      h("h3", { text: "Findings the plan does not act on" }),
      p.notPlanned.length === 0 ? h("p", { class: "note", text: "None." }) : h("div", { class: "table-wrap" }, h("table", { id: "plan-not-planned" },
        h("caption", { class: "muted", text: p.notPlanned.length > NOT_PLANNED_SHOWN ? `The first ${asInt(NOT_PLANNED_SHOWN)} of ${asInt(p.notPlanned.length)}; the plan file lists all.` : `${asInt(p.notPlanned.length)} findings` }),
        h("thead", {}, h("tr", {}, ["User", "Rule", "Why not"].map((c) => h("th", { scope: "col", text: c })))),
        h("tbody", {}, p.notPlanned.slice(0, NOT_PLANNED_SHOWN).map((n) => h("tr", {}, h("td", { text: n.userPrincipalName }), h("td", { text: n.ruleId }), h("td", { text: n.reason })))))),
    );
  }

  drawCharts();
  // Charts are redrawn at print size by Chart.js; the dark scheme never prints.
  window.addEventListener("beforeprint", () => { for (const c of Object.values(Chart.instances)) c.resize(); });
  document.body.dataset.ready = "true";
})();
