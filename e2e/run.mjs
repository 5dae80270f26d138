#!/usr/bin/env node
// End-to-end browser tests (issue #4): the real binary with demo data, driven in headless
// Debian Chromium (/usr/bin/chromium) by playwright-core. No browser is downloaded.
//
//   node e2e/run.mjs
//
// Journeys:
//   1. jinshui_staff: log in, filter the ledger, open a project, advance its stage with a
//      date and a note, see the new entry on the 进展时间线 tab.
//   2. jinshui_staff never sees another unit's project: ledger search, the project page (403),
//      the dashboard's totals and chart tables, compared with the API.
//   3. city_admin: every dashboard chart draws a non-empty canvas; a chart table link leads to
//      the filtered ledger.
//   4. Screenshots of each main page at 1366×768 and 390×844 into target/e2e-screenshots/.
//   5. jinshui_staff imports a ledger: errors previewed, nothing written; the fixed file confirmed.
//   6. city_admin's 审核 queue: batch accept two claims, return one with a comment (确认退回
//      required); jinshui_staff sees the comment and resubmits.
//   7. 预警督办: the supervisor turns two warnings into 督办 items; jinshui_staff answers one from
//      its 工作台's 待办; the supervisor closes it (an unanswered one cannot be closed).
//   8. ziranziyuan_staff lands on its 任务待办 inbox, answers and closes a task, reaches nothing else.
//   9. 靶向库: city_admin's city-wide view matches the API; jinshui_staff sees only its own
//      targets and converts one into exactly one project (a second conversion: 409).
//  10. 投资咨询: jinshui_staff takes one down and answers it; another unit gets 403; a late
//      demo inquiry is a warning of its own unit only.
//  11. 招商活动: jinshui_staff enters an activity through /activities/new (kind, dates, place,
//      leader, companies met); it is on the list and the calendar, the API agrees; another
//      unit gets 403.
// Journeys 6–11 run before 4, so the screenshots show what they left.
// Any browser console error or page error fails the step it happened in (CSP violations are
// console errors). The exit status is 0 only when every step passed.
//
// Environment:
//   ZHAOSHANG_E2E_BIN          the binary (default <repo>/target/debug/zhaoshang)
//   ZHAOSHANG_E2E_CHROMIUM     the browser (default /usr/bin/chromium)
//   ZHAOSHANG_E2E_SCREENSHOTS  where screenshots go (default <repo>/target/e2e-screenshots)
//   ZHAOSHANG_E2E_TIMEOUT      whole-run limit in seconds (default 150)
//   ZHAOSHANG_E2E_KEEP=1       keep the temp dir (database, server log) for a look afterwards

import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");
const BIN = process.env.ZHAOSHANG_E2E_BIN || path.join(ROOT, "target/debug/zhaoshang");
const CHROMIUM = process.env.ZHAOSHANG_E2E_CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.ZHAOSHANG_E2E_SCREENSHOTS || path.join(ROOT, "target/e2e-screenshots");
const LIMIT_S = Number(process.env.ZHAOSHANG_E2E_TIMEOUT || 240);
const PASSWORD = "E2e#Pass2026x"; // meets the password policy (length, four character classes)
const UNITS_CSV = path.join(ROOT, "crates/domain/reference/units.csv");

const DESKTOP = { name: "desktop", viewport: { width: 1366, height: 768 } };
const PHONE = { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const STAGES = ["reserve", "negotiating", "signed", "approved", "started", "producing", "at_capacity"];

const T0 = Date.now();
const secs = () => ((Date.now() - T0) / 1000).toFixed(1);
const log = (...a) => console.log(`[e2e ${secs()}s]`, ...a);

// ------------------------------------------------------------------ steps and failures

class StepError extends Error {}
const failures = [];
const warnings = [];
let passed = 0;
let currentStep = "(setup)";
/** Console errors and page errors, each with the step it happened in. */
const browserErrors = [];

function fail(msg) {
  throw new StepError(msg);
}
function check(cond, msg) {
  if (!cond) fail(msg);
}
function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    fail(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Run one step; a failure is recorded and rethrown so the journey stops there. */
async function step(name, fn) {
  currentStep = name;
  const t = Date.now();
  try {
    await fn();
    await new Promise((r) => setTimeout(r, 50)); // let late console messages arrive
    const errs = browserErrors.filter((e) => e.step === name && !e.reported);
    errs.forEach((e) => (e.reported = true));
    if (errs.length) {
      fail(`browser console/page errors:\n  ${errs.map((e) => `${e.kind}: ${e.text}${e.url ? ` (${e.url})` : ""}`).join("\n  ")}`);
    }
    passed++;
    log(`ok   ${name} (${Date.now() - t} ms)`);
  } catch (e) {
    const msg = e instanceof StepError ? e.message : e && e.stack ? e.stack : String(e);
    failures.push({ step: name, msg });
    log(`FAIL ${name}\n      ${msg.split("\n").join("\n      ")}`);
    throw new JourneyAbort(name);
  } finally {
    currentStep = "(between steps)";
  }
}
class JourneyAbort extends Error {}

async function journey(name, fn) {
  log(`--- ${name}`);
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof JourneyAbort)) {
      failures.push({ step: `${name} (outside a step)`, msg: e && e.stack ? e.stack : String(e) });
      log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
    } else {
      log(`--- ${name}: stopped after the failed step`);
    }
  }
}

async function poll(fn, what, timeout = 8000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) {
      fail(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ------------------------------------------------------------------ the server

let server = null;
let serverLog = "";
let tmp = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  check(fs.existsSync(BIN), `no binary at ${BIN} (run cargo build -p zhaoshang first)`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zhaoshang-e2e-"));
  serverLog = path.join(tmp, "server.log");
  // The app's own settings must not leak in from the caller's shell.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("ZHAOSHANG_")));
  Object.assign(env, {
    ZHAOSHANG_DEMO_PASSWORD: PASSWORD,
    ZHAOSHANG_DATABASE_URL: `sqlite://${tmp}/e2e.db`,
    ZHAOSHANG_DATA_DIR: path.join(tmp, "data"),
  });
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort();
    const out = fs.openSync(serverLog, "a");
    // cwd = the temp dir: no zhaoshang.toml of the caller's is read
    server = spawn(BIN, ["serve", "--demo", "--bind", `127.0.0.1:${port}`], {
      cwd: tmp,
      env,
      stdio: ["ignore", out, out],
    });
    fs.closeSync(out);
    let exited = null;
    server.once("exit", (code, sig) => (exited = { code, sig }));
    const base = `http://127.0.0.1:${port}`;
    const end = Date.now() + 60000;
    while (Date.now() < end && !exited) {
      try {
        const r = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
        if (r.ok) {
          log(`server up on ${base} (${JSON.stringify(await r.json())})`);
          return base;
        }
      } catch {
        /* not yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const text = fs.readFileSync(serverLog, "utf8");
    if (exited && /address already in use|AddrInUse/i.test(text) && attempt < 5) {
      log(`port ${port} was taken, trying another`);
      continue;
    }
    fail(
      `the server ${exited ? `exited (${JSON.stringify(exited)})` : "did not answer /api/v1/health within 60 s"}; its log:\n${text.split("\n").slice(-60).join("\n")}`,
    );
  }
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const gone = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  const t = setTimeout(() => server.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(t);
}

// ------------------------------------------------------------------ API helpers

let BASE = "";

async function api(method, p, token, body) {
  const r = await fetch(BASE + p, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, json, text };
}

async function apiLogin(username) {
  const r = await api("POST", "/api/v1/auth/login", null, { username, password: PASSWORD });
  check(r.status === 200 && r.json?.token, `API login as ${username}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return r.json.token;
}

async function apiGet(p, token) {
  const r = await api("GET", p, token);
  check(r.status === 200, `GET ${p}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return r.json;
}

/** Every project of a list query (the API pages at most 500 a page). */
async function apiAll(query, token) {
  const items = [];
  for (let page = 1; ; page++) {
    const d = await apiGet(`/api/v1/projects?${query}${query ? "&" : ""}per_page=500&page=${page}`, token);
    items.push(...d.items);
    if (items.length >= d.total || d.items.length === 0) return { items, total: d.total };
  }
}

/** "97000.00" → 9700000 (hundredths; exact). */
function hundredths(s) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(s).replace(/,/g, "").trim());
  if (!m) fail(`not an amount: ${JSON.stringify(s)}`);
  const v = BigInt(m[2]) * 100n + BigInt((m[3] || "0").padEnd(2, "0"));
  return m[1] ? -v : v;
}
/** The page's 亿元 figure: hundredths of 万元 → hundredths of 亿元, rounded half up. */
function yi(h) {
  const a = h < 0n ? -h : h;
  const y = (a + 5000n) / 10000n;
  return `${h < 0n ? "-" : ""}${groupDigits((y / 100n).toString())}.${(y % 100n).toString().padStart(2, "0")}`;
}
function money(h) {
  const a = h < 0n ? -h : h;
  return `${h < 0n ? "-" : ""}${groupDigits((a / 100n).toString())}.${(a % 100n).toString().padStart(2, "0")}`;
}
function groupDigits(s) {
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
const count = (s) => Number(String(s).replace(/,/g, "").trim());

/** Today in Asia/Shanghai, and a day offset from it, as YYYY-MM-DD. */
function shanghaiDate(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(d);
}

/** The names of a unit and everything under it, from the reference table. */
function unitSubtree(code) {
  const rows = fs
    .readFileSync(UNITS_CSV, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","))
    .map(([c, name, kind, parent]) => ({ code: c, name, kind, parent }));
  const names = new Set();
  const codes = new Set([code]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) {
      if (!codes.has(r.code) && codes.has(r.parent)) {
        codes.add(r.code);
        grew = true;
      }
    }
  }
  for (const r of rows) if (codes.has(r.code)) names.add(r.name);
  return { names, codes };
}

// ------------------------------------------------------------------ browser helpers

let browser = null;
/** Per page: document URLs whose non-2xx status is expected (403 page, a 404 under construction). */
const expectedStatuses = new WeakMap();
const expectedStatus = (page) => {
  if (!expectedStatuses.has(page)) expectedStatuses.set(page, new Map());
  return expectedStatuses.get(page);
};

function watch(page, label) {
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const text = msg.text();
    const url = msg.location()?.url || "";
    const m = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
    const allowed = expectedStatus(page).get(url);
    if (m && (allowed === Number(m[1]) || allowed === "any")) return; // the document's own, expected status
    browserErrors.push({ step: currentStep, kind: `console error [${label}]`, text, url });
  });
  page.on("pageerror", (err) => {
    browserErrors.push({ step: currentStep, kind: `page error [${label}]`, text: err.stack || String(err), url: page.url() });
  });
  page.setDefaultTimeout(10000);
  page.setDefaultNavigationTimeout(15000);
  page.on("crash", () => browserErrors.push({ step: currentStep, kind: `page crashed [${label}]`, text: "", url: page.url() }));
  return page;
}

async function newContext(device, storageState) {
  return browser.newContext({
    viewport: device.viewport,
    isMobile: !!device.isMobile,
    hasTouch: !!device.hasTouch,
    deviceScaleFactor: 1,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    baseURL: BASE,
    storageState,
  });
}

/** Go to a page and check its HTTP status (200 unless said otherwise; null = any). */
async function go(page, p, status = 200) {
  const url = new URL(p, BASE).href;
  if (status !== 200) expectedStatus(page).set(url, status === null ? "any" : status);
  const r = await page.goto(url, { waitUntil: "load" });
  check(r, `GET ${p}: no response`);
  if (status !== null) check(r.status() === status, `GET ${p}: HTTP ${r.status()}, expected ${status}`);
  return r;
}

/** Log in through the /login form (then on to `next`, or the dashboard). `landing`: the
 *  status expected where the login leads (null = any, reported by the caller). */
async function uiLogin(page, username, next = null, landing = 200) {
  if (landing !== 200) expectedStatus(page).set(new URL(next || "/", BASE).href, landing === null ? "any" : landing);
  await go(page, next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout: 10000 }).catch(() => {}), page.click("form.form button[type=submit]")]);
  if (new URL(page.url()).pathname.startsWith("/login")) {
    const alert = await page.locator(".alert.error").textContent().catch(() => "");
    fail(`login as ${username} stayed on /login: ${alert || "(no message)"}`);
  }
  if (landing !== 200) return;
  const who = await page.locator(".topbar .user").textContent();
  check(who && who.trim().length > 0, `after logging in as ${username} the top bar shows no user name`);
}

/** The ledger table on the page: rows with id, name, and each column by its header. */
async function ledgerRows(page) {
  return page.evaluate(() => {
    const table = document.querySelector("#ledger table.grid");
    if (!table) return null;
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    const rows = [...table.querySelectorAll("tbody tr")]
      .filter((tr) => !tr.querySelector("td.empty"))
      .map((tr) => {
        const cells = [...tr.children].map((td) => td.textContent.trim());
        const a = tr.querySelector("td.name a");
        const byHead = {};
        heads.forEach((h, i) => (byHead[h] = cells[i]));
        return { id: a ? Number(a.getAttribute("href").split("/").pop()) : null, name: a?.textContent.trim(), cols: byHead };
      });
    const summary = document.querySelector("#ledger .summary")?.textContent.replace(/\s+/g, " ").trim() || "";
    const total = /共\s*([\d,]+)\s*个项目/.exec(summary);
    return { heads, rows, summary, total: total ? Number(total[1].replace(/,/g, "")) : null };
  });
}

// ------------------------------------------------------------------ the journeys

const J = {}; // what one journey learns for the next (ids, names)

async function journeyUnitStaffLedger() {
  const jinshui = unitSubtree("jinshui");
  const token = await apiLogin("jinshui_staff");
  const ctx = await newContext(DESKTOP);
  const page = watch(await ctx.newPage(), "jinshui_staff");
  let kw, expected, project;

  await step("1.1 jinshui_staff logs in through the /login form", async () => {
    await uiLogin(page, "jinshui_staff");
    eq(new URL(page.url()).pathname, "/", "page after login");
    const unit = (await page.locator(".topbar .unit").textContent())?.trim();
    eq(unit, "金水区", "unit in the top bar");
  });

  await step("1.2 the ledger opens and shows only 金水区's projects", async () => {
    await page.click('nav.sidenav a[href="/projects"]');
    await page.waitForURL((u) => u.pathname === "/projects");
    eq((await page.locator("main h1").textContent()).trim(), "项目台账", "ledger heading");
    const t = await ledgerRows(page);
    check(t, "no ledger table (#ledger table.grid)");
    const all = await apiGet("/api/v1/projects?per_page=1", token);
    eq(t.total, all.total, "ledger total (共 N 个项目) vs the API's total for jinshui_staff");
    check(t.heads.includes("责任单位"), `ledger has no 责任单位 column (columns: ${t.heads.join(", ")})`);
    for (const r of t.rows) check(jinshui.names.has(r.cols["责任单位"]), `ledger row ${r.name} has 责任单位 ${r.cols["责任单位"]}, not 金水区`);
  });

  await step("1.3 filter by 阶段 = 在谈 (select) and a keyword (submit)", async () => {
    const neg = await apiAll("stage=negotiating", token);
    check(neg.items.length > 0, "the demo data has no 在谈 project in 金水区 to filter for");
    kw = [...neg.items[0].name].slice(0, 2).join("");
    expected = (await apiAll(`stage=negotiating&q=${encodeURIComponent(kw)}`, token)).items;
    check(expected.length > 0, `the API finds no 在谈 project matching ${kw}`);
    await page.selectOption("#f-stage", "negotiating"); // htmx: change from:select
    await page.waitForURL((u) => u.searchParams.get("stage") === "negotiating", { timeout: 8000 });
    await page.fill("#f-q", kw);
    await page.click('form.filters button[type=submit]');
    await page.waitForURL((u) => u.searchParams.get("q") === kw && u.searchParams.get("stage") === "negotiating", { timeout: 8000 });
    const want = expected.map((p) => p.id).sort((a, b) => a - b);
    const t = await poll(async () => {
      const t = await ledgerRows(page);
      const got = (t?.rows || []).map((r) => r.id).sort((a, b) => a - b);
      return JSON.stringify(got) === JSON.stringify(want) ? t : null;
    }, `the filtered ledger to show exactly projects ${JSON.stringify(want)} (as the API does for stage=negotiating&q=${kw})`);
    eq(t.total, expected.length, "filtered ledger total");
    for (const r of t.rows) {
      eq(r.cols["阶段"], "在谈", `阶段 of row ${r.name}`);
      check(jinshui.names.has(r.cols["责任单位"]), `row ${r.name} has 责任单位 ${r.cols["责任单位"]}, not 金水区`);
      const p = expected.find((x) => x.id === r.id);
      check(p.name.includes(kw) || p.code.includes(kw) || p.investors.some((i) => i.name.includes(kw)), `row ${r.name} does not match ${kw}`);
    }
    // the filter survives a reload (it is in the URL, and the form shows it)
    await page.reload({ waitUntil: "load" });
    eq(await page.inputValue("#f-stage"), "negotiating", "阶段 select after reload");
    eq(await page.inputValue("#f-q"), kw, "关键词 after reload");
    eq((await ledgerRows(page)).total, expected.length, "filtered ledger total after reload");
  });

  let nextStage, date, note, fromLabel, toLabel;
  await step("1.4 open a filtered project", async () => {
    project = expected[0];
    await Promise.all([page.waitForURL((u) => u.pathname === `/projects/${project.id}`), page.click(`#ledger td.name a[href="/projects/${project.id}"]`)]);
    eq((await page.locator("main h1").textContent()).trim(), project.name, "project page heading");
    check(await page.locator("#adv-h").isVisible(), "the project page has no 推进阶段 form for jinshui_staff");
    nextStage = STAGES[STAGES.indexOf(project.stage) + 1];
    const options = await page.$$eval("#tr-to option", (os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
    const opt = options.find((o) => o.value === nextStage);
    check(opt, `目标阶段 offers no ${nextStage} (options: ${options.map((o) => o.value).join(", ")})`);
    toLabel = opt.label;
    fromLabel = (await page.locator(".project-head .badge").first().textContent()).trim();
  });

  await step("1.5 advance the stage with a date and a note (推进阶段)", async () => {
    const tl = await apiGet(`/api/v1/projects/${project.id}/timeline`, token);
    const lastDate = tl.items.map((e) => e.date).sort().pop() || "";
    date = shanghaiDate(-1) >= lastDate ? shanghaiDate(-1) : shanghaiDate(0);
    note = `E2E 测试：签约仪式已举行 ${Date.now().toString(36)}`;
    await page.selectOption("#tr-to", nextStage);
    await page.fill("#tr-date", date);
    eq(await page.inputValue("#tr-date"), date, "日期 input value");
    await page.fill("#tr-note", note);
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/projects/${project.id}` && u.searchParams.get("tab") === "timeline", { timeout: 10000 }).catch(() => {}),
      page.click('form[aria-labelledby="adv-h"] button[type=submit]'),
    ]);
    const u = new URL(page.url());
    if (!(u.pathname === `/projects/${project.id}` && u.searchParams.get("tab") === "timeline" && u.searchParams.get("done") === "transition")) {
      const err = await page.locator(".alert.error, .err").allTextContents();
      fail(`after 确认变更 the page is ${u.pathname}${u.search}, not the timeline tab with done=transition; errors on the page: ${err.join(" | ") || "(none)"}`);
    }
  });

  await step("1.6 the 进展时间线 tab shows the new entry with its note and date", async () => {
    const notice = (await page.locator(".alert.ok").textContent())?.trim();
    eq(notice, "阶段已变更。", "notice after the transition");
    eq((await page.locator("nav.tabs a.current").textContent()).trim(), "进展时间线", "current tab");
    const entries = await page.$$eval("#tabpanel ol.timeline > li", (lis) =>
      lis.map((li) => ({
        date: li.querySelector(".tl-date")?.textContent.trim(),
        title: li.querySelector(".tl-body strong")?.textContent.trim(),
        tag: li.querySelector(".tag")?.textContent.trim(),
        text: li.textContent.replace(/\s+/g, " ").trim(),
      })),
    );
    const mine = entries.find((e) => e.text.includes(note));
    check(mine, `no timeline entry shows the note ${JSON.stringify(note)}; entries: ${JSON.stringify(entries.map((e) => e.text))}`);
    eq(mine.date, date, "the new entry's date");
    eq(mine.title, `${fromLabel} → ${toLabel}`, "the new entry's title");
    eq(entries[0].text, mine.text, "the new entry comes first (newest first)");
    // and the API agrees
    const tl = await apiGet(`/api/v1/projects/${project.id}/timeline`, token);
    check(tl.items.some((e) => e.kind === "transition" && e.to === nextStage && e.date === date && (e.note || "").includes(note)), "the API timeline has no such transition");
    J.advanced = project.id;
  });
  await ctx.close();
}

async function journeyIsolation() {
  const jinshui = unitSubtree("jinshui");
  const admin = await apiLogin("city_admin");
  const staff = await apiLogin("jinshui_staff");
  const ctx = await newContext(DESKTOP);
  const page = watch(await ctx.newPage(), "jinshui_staff");
  let other, mine;

  await step("2.1 the API: another unit's project (city_admin) and 金水区's own totals (jinshui_staff)", async () => {
    for (const unit of ["erqi", "hangkonggang", "zhongyuan"]) {
      const d = await apiGet(`/api/v1/projects?unit=${unit}&per_page=1`, admin);
      if (d.items.length) {
        other = d.items[0];
        break;
      }
    }
    check(other, "city_admin sees no project of 二七区, 航空港区 or 中原区");
    check(!jinshui.names.has(other.unit_name), `${other.name} belongs to ${other.unit_name}`);
    const r = await api("GET", `/api/v1/projects/${other.id}`, staff);
    check(r.status === 403 || r.status === 404, `the API shows ${other.unit_name}'s project ${other.id} to jinshui_staff (HTTP ${r.status})`);
    mine = await apiAll("", staff);
    const own = await apiGet("/api/v1/projects?unit=jinshui&per_page=1", staff);
    eq(mine.total, own.total, "jinshui_staff's whole scope vs unit=jinshui");
    mine.ids = new Set(mine.items.map((p) => p.id));
    mine.investment = mine.items.reduce((s, p) => s + hundredths(p.total_investment), 0n);
    // the 工作台 counts what the city accepted, and leaves terminated projects out of 在库
    mine.live = mine.items.filter((p) => p.accepted_stage !== "terminated");
    mine.liveInvestment = mine.live.reduce((s, p) => s + hundredths(p.total_investment), 0n);
    for (const p of mine.items) check(jinshui.names.has(p.unit_name), `the API lists ${p.name} of ${p.unit_name} to jinshui_staff`);
    log(`     other unit's project: #${other.id} ${other.name} (${other.unit_name}); 金水区: ${mine.total} projects, ${money(mine.investment)} 万元`);
    await uiLogin(page, "jinshui_staff");
  });

  await step("2.2 the ledger search for the other unit's project shows 0 rows", async () => {
    await go(page, `/projects?q=${encodeURIComponent(other.name)}`);
    const t = await ledgerRows(page);
    check(t, "no ledger table");
    eq(t.rows.length, 0, `rows for ${other.name}`);
    eq(t.total, 0, "共 N 个项目");
    check(!(await page.content()).includes(`/projects/${other.id}"`), `the page links to /projects/${other.id}`);
    // nor by code
    await go(page, `/projects?q=${encodeURIComponent(other.code)}`);
    eq((await ledgerRows(page)).rows.length, 0, `rows for code ${other.code}`);
  });

  await step("2.3 every 责任单位 filter choice, and unit=<other unit> typed into the URL, shows only 金水区's projects", async () => {
    await go(page, "/projects");
    const opts = await page.$$eval("#f-unit option", (os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })).filter((o) => o.value));
    const foreign = opts.filter((o) => !jinshui.names.has(o.label));
    if (foreign.length) warnings.push(`jinshui_staff's 责任单位 filter offers ${foreign.map((o) => o.label).join("、")} (it shows only 金水区's own projects)`);
    for (const unit of [...opts.map((o) => o.value), other.unit]) {
      const r = await go(page, `/projects?unit=${unit}&per_page=200`, null);
      check(!(await page.content()).includes(other.name), `the ledger filtered to unit=${unit} shows ${other.name} (HTTP ${r.status()})`);
      const t = await ledgerRows(page);
      if (!t) continue; // refused (an error page): nothing shown
      check(t.total <= mine.total, `unit=${unit}: the ledger counts ${t.total} projects, more than 金水区's ${mine.total}`);
      for (const row of t.rows) check(mine.ids.has(row.id), `unit=${unit}: the ledger shows ${row.name} of ${row.cols["责任单位"]}`);
    }
  });

  await step("2.4 the other unit's project page is 403 (无权访问), its timeline too", async () => {
    for (const p of [`/projects/${other.id}`, `/projects/${other.id}?tab=timeline`, `/projects/${other.id}/edit`]) {
      await go(page, p, 403);
      const h = (await page.locator("h1").first().textContent())?.trim();
      eq(h, "无权访问", `heading of ${p}`);
      check(!(await page.content()).includes(other.name), `${p} shows the project's name`);
    }
  });

  await step("2.5 the dashboard's totals and chart tables are 金水区's own (as the API counts them)", async () => {
    await go(page, "/");
    const d = await page.evaluate(() => {
      const card = [...document.querySelectorAll(".cards a.kpi")].find((a) => a.querySelector(".kpi-label")?.textContent.trim() === "在库项目");
      const charts = [...document.querySelectorAll("figure.chart-card")].map((f) => ({
        cls: f.className,
        title: f.querySelector("h2")?.textContent.trim(),
        data: JSON.parse(f.querySelector("[data-chart]")?.getAttribute("data-chart") || "null"),
        heads: [...f.querySelectorAll("table thead th")].map((th) => th.textContent.trim()),
        rows: [...f.querySelectorAll("table tbody tr")].map((tr) => {
          const td = [...tr.querySelectorAll("td")];
          return { label: td[0]?.textContent.trim(), href: td[0]?.querySelector("a")?.getAttribute("href"), cells: td.map((c) => c.textContent.trim()) };
        }),
      }));
      const recent = [...document.querySelectorAll(".recent-list a")].map((a) => a.getAttribute("href"));
      return {
        scope: document.querySelector(".pagehead p")?.textContent.trim(),
        card: card && { value: card.querySelector(".kpi-value")?.firstChild?.textContent.trim(), note: card.querySelector(".kpi-note")?.textContent.trim() },
        charts,
        recent,
        html: document.body.innerHTML,
      };
    });
    check(d.card, "no 在库项目 card");
    eq(count(d.card.value), mine.live.length, "在库项目 card (个, terminated left out)");
    eq(d.card.note, `总投资 ${yi(mine.liveInvestment)} 亿元，不含终止项目`, "在库项目 card's 总投资");
    check(d.html.includes("金水区"), "the dashboard does not say its scope is 金水区");
    check(!d.html.includes(other.name), `the dashboard mentions ${other.name}`);
    const byId = (id) => d.charts.find((c) => c.cls.includes(`chart-${id}`));
    // each table has its own headings: sum the column by its heading
    const sum = (c, head, parse) => {
      const i = c.heads.indexOf(head);
      check(i >= 0, `the ${c.title} table has no column ${head} (${c.heads.join(" | ")})`);
      return c.rows.reduce((s, r) => s + parse(r.cells[i] === "—" ? "0" : r.cells[i]), parse("0"));
    };
    const funnel = byId("funnel");
    check(funnel, "no funnel chart");
    eq(sum(funnel, "当前处于（个）", count), mine.total, "sum of 当前处于 in the funnel table (every stage, terminated included)");
    eq(money(sum(funnel, "当前总投资（万元）", hundredths)), money(mine.investment), "sum of 当前总投资 in the funnel table");
    for (const id of ["industries", "regions"]) {
      const c = byId(id);
      check(c, `no chart-${id} on the dashboard (charts: ${d.charts.map((c) => c.cls).join("; ")})`);
      eq(sum(c, "项目数（个）", count), mine.live.length, `sum of 项目数 in the ${c.title} table`);
      eq(money(sum(c, "总投资（万元）", hundredths)), money(mine.liveInvestment), `sum of 总投资 in the ${c.title} table`);
    }
    // 金水区 has no sub-units: its largest projects stand where a one-bar unit chart would
    const units = byId("units");
    check(units && units.title.startsWith("投资额前十的项目"), `the unit user's second chart is ${units?.title}`);
    for (const r of units.rows) check(mine.ids.has(Number(r.href.split("/").pop())), `the largest-projects table links to ${r.href}, not one of 金水区's`);
    for (const id of d.recent.map((h) => Number(h.split("/").pop().split("?")[0]))) check(mine.ids.has(id), `最新阶段变更 links to project ${id}, not one of 金水区's`);
  });

  await step("2.6 the other project's investor in 企业库: its page and 项目数 count only 金水区's projects", async () => {
    const inv = other.investors[0];
    if (!inv) return warnings.push(`${other.name} names no investor: 2.6 checked nothing`);
    const r = await go(page, `/companies/${inv.id}`, null);
    if (r.status() !== 200) return warnings.push(`/companies/${inv.id} answered HTTP ${r.status()} to jinshui_staff: 2.6 checked nothing`);
    const html = await page.content();
    check(!html.includes(other.name), `the company page of ${inv.name} shows ${other.name} (${other.unit_name})`);
    const linked = await page.$$eval('main a[href^="/projects/"]', (as) => as.map((a) => Number(a.getAttribute("href").split("/")[2].split("?")[0])));
    for (const id of linked) check(mine.ids.has(id), `the company page of ${inv.name} links to project ${id}, not one of 金水区's`);
    const own = mine.items.filter((p) => p.investors.some((i) => i.id === inv.id)).length;
    const l = await go(page, `/companies?q=${encodeURIComponent(inv.name)}`, null);
    if (l.status() !== 200) return;
    const cell = await page.evaluate((name) => {
      const table = document.querySelector("main table");
      if (!table) return null;
      const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
      const col = heads.indexOf("项目数");
      const tr = [...table.querySelectorAll("tbody tr")].find((tr) => tr.querySelector("a")?.textContent.trim() === name);
      return col < 0 || !tr ? null : tr.children[col]?.textContent.trim();
    }, inv.name);
    if (cell === null) return warnings.push(`企业库 shows no 项目数 for ${inv.name}: not compared`);
    eq(count(cell), own, `企业库's 项目数 of ${inv.name} for jinshui_staff (金水区's own projects naming it)`);
  });
  await ctx.close();
}

async function journeyCityDashboard() {
  const ctx = await newContext(DESKTOP);
  const page = watch(await ctx.newPage(), "city_admin");

  await step("3.1 city_admin logs in and every dashboard chart draws a non-empty canvas", async () => {
    await uiLogin(page, "city_admin");
    eq(new URL(page.url()).pathname, "/", "page after login");
    const n = await page.locator(".chart").count();
    check(n > 0, "the dashboard has no .chart element");
    const report = await poll(async () => {
      const r = await page.evaluate(() =>
        [...document.querySelectorAll(".chart")].map((el) => {
          const c = el.querySelector("canvas");
          if (!c) return { id: el.id, ok: false, why: "no canvas" };
          if (!(c.width > 0 && c.height > 0)) return { id: el.id, ok: false, why: `canvas ${c.width}×${c.height}` };
          const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < px.length; i += 4) if (px[i] > 0) painted++;
          const share = painted / (c.width * c.height);
          return { id: el.id, ok: painted > 200, why: `${painted} painted pixels (${(share * 100).toFixed(1)}%) on ${c.width}×${c.height}`, share };
        }),
      );
      return r.every((x) => x.ok) ? r : null;
    }, `every .chart to have a painted canvas`, 10000).catch(async (e) => {
      const r = await page.evaluate(() => [...document.querySelectorAll(".chart")].map((el) => `${el.id}: drawn=${el.getAttribute("data-drawn")} canvas=${!!el.querySelector("canvas")}`));
      fail(`${e.message}\n      ${r.join("\n      ")}`);
    });
    log(`     ${report.map((r) => `${r.id}: ${r.why}`).join("; ")}`);
  });

  await step("3.2 a chart table link leads to the filtered ledger", async () => {
    const fig = page.locator("figure.chart-funnel");
    await fig.locator("details.chart-data summary").click();
    const link = fig.locator("table tbody tr a").filter({ hasText: "已签约" }).first();
    const row = link.locator("xpath=ancestor::tr");
    // the table counts accepted stages; the ledger lists the stage as recorded, claims included
    const accepted = count(await row.locator("td").nth(2).textContent());
    const href = await link.getAttribute("href");
    await Promise.all([page.waitForURL((u) => u.pathname === "/projects"), link.click()]);
    const u = new URL(page.url());
    eq(u.pathname + u.search, href, "ledger URL after the click");
    eq(await page.inputValue("#f-stage"), "signed", "阶段 select on the ledger");
    const t = await ledgerRows(page);
    const all = await apiAll("", await apiLogin("city_admin"));
    eq(accepted, all.items.filter((p) => p.accepted_stage === "signed").length, "the funnel's 当前处于 已签约 vs the API's accepted stages");
    eq(t.total, all.items.filter((p) => p.stage === "signed").length, "ledger total for stage=signed vs the API");
    for (const r of t.rows) eq(r.cols["阶段"].replace(/\s*待审核$/, ""), "已签约", `阶段 of ${r.name}`);
  });

  await step("3.3 the ledger page, assets included, transfers under 150 KB (issue #4) and loads no chart library", async () => {
    // a fresh context: nothing cached, so every byte the page needs is counted
    const fresh = await newContext(DESKTOP, await ctx.storageState());
    const p = watch(await fresh.newPage(), "ledger weight");
    const sizes = [];
    p.on("response", async (r) => {
      try {
        sizes.push({ url: r.url(), bytes: (await r.body()).length });
      } catch (_) {
        /* redirects have no body */
      }
    });
    await go(p, "/projects");
    await p.waitForLoadState("networkidle");
    const total = sizes.reduce((a, x) => a + x.bytes, 0);
    log(`     /projects: ${sizes.length} responses, ${(total / 1024).toFixed(1)} KB (${sizes.map((x) => `${new URL(x.url).pathname} ${(x.bytes / 1024).toFixed(1)} KB`).join(", ")})`);
    check(total < 150 * 1024, `the ledger page needs ${total} bytes, over 150 KB`);
    check(!sizes.some((x) => x.url.includes("echarts")), "the ledger page loads ECharts");
    await fresh.close();
  });
  await ctx.close();
}

async function journeyImport() {
  const ctx = await newContext(DESKTOP);
  const page = watch(await ctx.newPage(), "import");
  const fixtures = path.join(ROOT, "crates/ledger/tests/fixtures");
  await step("5.1 jinshui_staff opens 台账导入 from the ledger", async () => {
    await uiLogin(page, "jinshui_staff", "/projects");
    await Promise.all([page.waitForURL((u) => u.pathname === "/projects/import"), page.click("a[href='/projects/import']")]);
  });
  await step("5.2 a file with errors: the preview lists every error and writes nothing", async () => {
    const before = await ledgerTotal(page);
    expectedStatus(page).set(new URL("/projects/import", BASE).href, 422);
    await page.setInputFiles("#im-file", path.join(fixtures, "08_errors.xlsx"));
    await Promise.all([page.waitForLoadState("load"), page.click("form[enctype] button[type=submit]")]);
    const rows = await page.locator("table.grid.errors tbody tr").count();
    eq(rows, 8, "error rows in the preview table");
    const text = await page.locator("table.grid.errors").textContent();
    check(text.includes("火星区") && text.includes("无权"), `the error table names the cells: ${text.slice(0, 200)}`);
    check(!(await page.locator("form[action='/projects/import/confirm']").count()), "no confirm button when there are errors");
    await page.screenshot({ path: path.join(SHOTS, "import-errors-desktop.png"), fullPage: true });
    eq(await ledgerTotal(page), before, "ledger total after a rejected import");
    await page.goto(new URL("/projects/import", BASE).href);
  });
  await step("5.3 the fixed file: preview without errors, then confirm writes it", async () => {
    await page.setInputFiles("#im-file", path.join(fixtures, "01_template.xlsx"));
    await Promise.all([page.waitForLoadState("load"), page.click("form[enctype] button[type=submit]")]);
    const summary = await page.locator(".summary").first().textContent();
    check(summary.includes("将新建"), `preview summary: ${summary}`);
    await page.screenshot({ path: path.join(SHOTS, "import-preview-desktop.png"), fullPage: true });
    await Promise.all([page.waitForLoadState("load"), page.click("form[action='/projects/import/confirm'] button[type=submit]")]);
    const done = await page.locator(".alert.ok").first().textContent();
    check(done.includes("导入完成"), `after confirm: ${done}`);
    await go(page, "/projects?q=" + encodeURIComponent("新能源汽车电机"));
    const t = await ledgerRows(page);
    check(t.total >= 1, "the imported project is in the ledger");
  });
  await ctx.close();
}

/** The ledger's total for the caller (the totals line of /projects). */
async function ledgerTotal(page) {
  const p = await page.context().newPage();
  await p.goto(new URL("/projects", BASE).href);
  const t = await ledgerRows(p);
  await p.close();
  return t.total;
}

async function journeyScreenshots() {
  const admin = await apiLogin("city_admin");
  const pid = J.advanced || (await apiGet("/api/v1/projects?per_page=1&sort=-updated_at", admin)).items[0].id;
  const cid = (await apiGet("/api/v1/companies?per_page=1", admin)).items?.[0]?.id || 1;
  // a 金水区 project the city accepted as producing, with its 运行监测 years (issue #11)
  const js = await apiLogin("jinshui_staff");
  let ocid = null;
  for (const p of (await apiGet("/api/v1/projects?stage=producing&per_page=50", js)).items || []) {
    const o = await apiGet(`/api/v1/projects/${p.id}/outcomes`, js);
    if (o.records_outcomes && o.years.length > 0) {
      ocid = p.id;
      break;
    }
  }
  check(ocid !== null, "the demo has a 金水区 project with 运行监测 years");
  // the activity journey 11 entered (else 金水区's latest), and an ambassador with its leads
  const actid = J.activity || (await apiGet("/api/v1/activities?per_page=1", js)).items[0].id;
  const amb = (await apiGet("/api/v1/ambassadors?per_page=50", admin)).items.find((a) => a.kind === "ambassador")?.id || 1;
  // the pages another engineer is still building: any status, any content; console errors still count
  const building = (p) => p.startsWith("/companies") || p.startsWith("/admin/");
  const plan = [
    { user: null, pages: [["login", "/login"]] },
    {
      user: "city_admin",
      pages: [
        ["dashboard-city", "/"],
        ["projects", "/projects"],
        ["project-info", `/projects/${pid}`],
        ["project-timeline", `/projects/${pid}?tab=timeline`],
        ["project-new", "/projects/new"],
        ["companies", "/companies"],
        ["company", `/companies/${cid}`],
        ["password", "/password"],
        // landing (issue #11): the 审核 queue, 协议履约, 四个一, 月报
        ["reviews", "/reviews"],
        ["agreements", "/agreements"],
        ["four-ones", "/four_ones"],
        ["monthly", "/monthly"],
        // promotion (issue #12): the 靶向库 with the city-wide view, 投资咨询, 领导名录, a ranking import
        ["targets", "/targets"],
        ["inquiries", "/inquiries"],
        ["leaders", "/leaders"],
        ["rankings-import", "/companies/rankings/import"],
        ["activities", "/activities"],
        ["activities-calendar", "/activities/calendar"],
        ["activities-stats", "/activities/stats"],
        ["ambassadors", "/ambassadors"],
        ["ambassador", `/ambassadors/${amb}`],
      ],
    },
    { user: "supervisor", pages: [["warnings", "/warnings"], ["problems", "/problems"]] },
    // the 工作台 of each kind of user (issue #10): a leader, a unit, a department
    { user: "leader", pages: [["dashboard-leader", "/"]] },
    { user: "jinshui_staff", pages: [["dashboard-unit", "/"], ["reviews-unit", "/reviews"], ["warnings-unit", "/warnings"], ["targets-unit", "/targets"], ["inquiries-unit", "/inquiries"], ["projects-unit", "/projects"], ["project-outcomes", `/projects/${ocid}?tab=outcomes`], ["activity-new", "/activities/new"], ["activity", `/activities/${actid}`]] },
    { user: "ziranziyuan_staff", pages: [["dashboard-dept", "/"], ["tasks-dept", "/tasks"]] },
    { user: "sysadmin", pages: [["admin-users", "/admin/users"]] },
    { user: "auditor", pages: [["admin-audit", "/admin/audit"]] },
  ];
  const states = {};
  for (const device of [DESKTOP, PHONE]) {
    for (const group of plan) {
      const ctx = await newContext(device, group.user ? states[group.user] : undefined);
      const page = watch(await ctx.newPage(), `${group.user || "anonymous"} ${device.name}`);
      if (group.user && !states[group.user]) {
        await step(`4.0 ${group.user} logs in for the screenshots`, async () => {
          // where a plain login leads (the dashboard; a role without it gets the 403 page)
          await uiLogin(page, group.user, null, null);
          const h1 = (await page.locator("h1").first().textContent().catch(() => ""))?.trim();
          if (/无权访问|页面不存在/.test(h1)) warnings.push(`${group.user}: a plain login lands on ${new URL(page.url()).pathname} showing 「${h1}」`);
          states[group.user] = await ctx.storageState(); // the same session for the phone pages
        });
      }
      for (const [name, p] of group.pages) {
        await step(`4 screenshot ${name}-${device.name} (${p})`, async () => {
          const r = await go(page, p, building(p) ? null : 200);
          if (!building(p)) {
            const h1 = await page.locator("h1").first().textContent().catch(() => "");
            check(!/无权访问|页面不存在|服务器内部错误/.test(h1 || ""), `${p} shows the error page: ${h1}`);
          } else if (r.status() !== 200) {
            warnings.push(`${p} answered HTTP ${r.status()} (${device.name}) — still being built`);
          }
          if (name.startsWith("dashboard")) {
            await page.waitForFunction(() => [...document.querySelectorAll(".chart")].every((el) => el.getAttribute("data-drawn") && el.querySelector("canvas")), null, { timeout: 8000 });
            await page.waitForTimeout(1000); // ECharts' entry animation (1 s)
          }
          await page.evaluate(() => document.fonts && document.fonts.ready);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 1) warnings.push(`${name} (${device.name}, ${p}): the page is ${overflow}px wider than the viewport (horizontal scrolling)`);
          const file = path.join(SHOTS, `${name}-${device.name}.png`);
          await page.screenshot({ path: file, fullPage: true });
          // a phone's first screen as the user sees it (the full page is too tall to read)
          if (device === PHONE) await page.screenshot({ path: path.join(SHOTS, `${name}-${device.name}-top.png`) });
        });
      }
      await ctx.close();
    }
  }
}

// ------------------------------------------------------------------ landing journeys (issue #11)

/** A logged-in page of `username` at desktop width (its own context). */
async function loggedIn(username, next = null) {
  const ctx = await newContext(DESKTOP);
  const page = watch(await ctx.newPage(), `${username} desktop`);
  await uiLogin(page, username, next);
  return { ctx, page };
}
/** Submit a form by clicking `button` and wait for the page it leads to. */
async function submitAndWait(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), button.click()]);
}
async function flash(page) {
  return ((await page.locator("[role=status]").first().textContent().catch(() => "")) || "").trim();
}

async function journeyReviewQueue() {
  const admin = await apiLogin("city_admin");
  let waiting = [];
  await step("6.1 the demo has 金水区 claims waiting for the city", async () => {
    const d = await apiGet("/api/v1/reviews?state=submitted&unit=jinshui&per_page=100", admin);
    waiting = d.items;
    check(waiting.length >= 3, `only ${waiting.length} 金水区 claims wait for review`);
  });
  const { ctx, page } = await loggedIn("city_admin");
  const [a, b, c] = waiting;
  await step("6.2 city_admin ticks two claims in the 审核 queue and accepts them at once (批量通过)", async () => {
    await go(page, "/reviews?state=submitted&unit=jinshui");
    for (const r of [a, b]) await page.check(`input[name=ids][value="${r.id}"]`);
    await submitAndWait(page, page.getByRole("button", { name: "批量通过" }));
    eq(await flash(page), "已审核通过。", "the notice after 批量通过");
    for (const r of [a, b]) {
      const now = (await apiGet(`/api/v1/reviews?state=accepted&unit=jinshui&per_page=500`, admin)).items.find((x) => x.id === r.id);
      check(now, `claim ${r.id} is not accepted after 批量通过`);
      check(now.reviewed_by, `claim ${r.id} has no reviewer`);
    }
    const still = (await apiGet(`/api/v1/reviews?state=submitted&unit=jinshui&per_page=500`, admin)).items.map((x) => x.id);
    check(still.includes(c.id), `the unticked claim ${c.id} was decided too`);
  });
  const comment = `佐证材料不全，请补充施工许可证扫描件（e2e ${Date.now() % 100000}）`;
  await step("6.3 without 确认退回 the browser does not send the return; with it, the claim goes back with the comment", async () => {
    await go(page, "/reviews?state=submitted&unit=jinshui");
    const row = page.locator("tr", { has: page.locator(`input[name=ids][value="${c.id}"]`) });
    await row.locator("summary", { hasText: "退回" }).click();
    await row.locator(`#c-${c.id}`).fill(comment);
    await row.getByRole("button", { name: "退回" }).click();
    // the required checkbox keeps the form from being sent
    check(new URL(page.url()).search.includes("unit=jinshui"), `the return was sent without 确认退回: ${page.url()}`);
    await row.locator("input[name=confirm]").check();
    await submitAndWait(page, row.getByRole("button", { name: "退回" }));
    eq(await flash(page), "已退回单位。", "the notice after 退回");
    const back = (await apiGet(`/api/v1/reviews?state=returned&unit=jinshui&per_page=500`, admin)).items.find((x) => x.id === c.id);
    check(back, `claim ${c.id} is not returned`);
    eq(back.comment, comment, "the returned claim's comment");
  });
  await ctx.close();
  await step("6.4 jinshui_staff sees the returned claim with the city's comment and resubmits it", async () => {
    const u = await loggedIn("jinshui_staff", "/reviews");
    const row = u.page.locator("tr", { hasText: comment });
    check((await row.count()) === 1, "the returned claim with its 审核意见 is not on 金水区's /reviews");
    await row.locator("summary", { hasText: "重新提交" }).click();
    await row.locator(`#n-${c.id}`).fill("已补充施工许可证扫描件");
    await submitAndWait(u.page, row.getByRole("button", { name: "重新提交" }));
    eq(await flash(u.page), "已重新提交，等待市级审核。", "the notice after 重新提交");
    const again = (await apiGet(`/api/v1/reviews?state=submitted&unit=jinshui&per_page=500`, admin)).items.find((x) => x.id === c.id);
    check(again, `claim ${c.id} does not wait for review again after resubmission`);
    await u.ctx.close();
  });
}

async function journeySupervision() {
  const admin = await apiLogin("city_admin");
  const instr = [`请于期限内推动项目开工并报送进展（e2e-1 ${Date.now() % 100000}）`, `请协调解决用地问题并书面答复（e2e-2 ${Date.now() % 100000}）`];
  const sup = await loggedIn("supervisor");
  const keys = [];
  await step("7.1 the supervisor opens 预警督办 for 金水区 and turns two warnings into 督办 items", async () => {
    await go(sup.page, "/warnings?unit=jinshui");
    const forms = sup.page.locator("form[action='/warnings/supervise']");
    check((await forms.count()) >= 2, "fewer than two 金水区 warnings can be supervised");
    for (let i = 0; i < 2; i++) {
      const form = sup.page.locator("form[action='/warnings/supervise']").nth(i);
      const key = await form.locator("input[name=warning_key]").getAttribute("value");
      keys.push(key);
      await sup.page.locator("details.supervise").nth(i).locator("summary").click();
      await form.locator("input[name=deadline]").fill(shanghaiDate(14));
      await form.locator("input[name=instruction]").fill(instr[i]);
      await submitAndWait(sup.page, form.getByRole("button", { name: "发起督办" }));
      eq(await flash(sup.page), "已发起督办。", "the notice after 发起督办");
      await go(sup.page, "/warnings?unit=jinshui");
    }
  });
  let items = [];
  await step("7.2 both 督办 items are open, with their deadline, on the page and in the API", async () => {
    const all = (await apiGet("/api/v1/supervisions", admin)).items || [];
    items = instr.map((t) => all.find((x) => x.instruction === t));
    for (const [i, x] of items.entries()) {
      check(x, `no 督办 item with the instruction ${instr[i]}`);
      eq(x.status, "open", `督办 ${x.id}'s status`);
      eq(x.deadline, shanghaiDate(14), `督办 ${x.id}'s deadline`);
    }
    for (const t of instr) check((await sup.page.locator("section.supervisions tr", { hasText: t }).count()) === 1, `「${t}」 is not listed under 督办事项`);
  });
  await step("7.3 jinshui_staff's 工作台 lists the 督办 to answer under 待办; the link leads to the reply form", async () => {
    const u = await loggedIn("jinshui_staff");
    const todo = u.page.locator("table", { has: u.page.locator("caption", { hasText: "待办：督办答复与月报确认" }) });
    check((await todo.count()) === 1, "the 工作台 has no 待办：督办答复与月报确认 table");
    for (const t of instr) check((await todo.locator("tr", { hasText: t }).count()) === 1, `「${t}」 is not among 金水区's 待办`);
    await Promise.all([u.page.waitForURL((x) => x.pathname === "/warnings"), todo.locator("tr", { hasText: instr[0] }).locator("a").first().click()]);
    const reply = u.page.locator(`form[action='/supervisions/${items[0].id}/reply']`);
    await reply.locator("input[name=reply]").fill("已召开专题会，施工单位已进场，预计下月开工");
    await submitAndWait(u.page, reply.getByRole("button", { name: "答复" }));
    eq(await flash(u.page), "已答复督办事项。", "the notice after 答复");
    check((await u.page.locator(`form[action='/supervisions/${items[0].id}/close']`).count()) === 0, "a unit is offered 办结");
    await u.ctx.close();
  });
  await step("7.4 the supervisor closes the answered item (办结); the unanswered one cannot be closed yet", async () => {
    await go(sup.page, "/warnings?unit=jinshui");
    check((await sup.page.locator(`form[action='/supervisions/${items[1].id}/close']`).count()) === 0, "办结 is offered before the unit replied");
    await submitAndWait(sup.page, sup.page.locator(`form[action='/supervisions/${items[0].id}/close'] button`));
    eq(await flash(sup.page), "督办事项已办结。", "the notice after 办结");
    const all = (await apiGet("/api/v1/supervisions", admin)).items || [];
    eq(all.find((x) => x.id === items[0].id)?.status, "closed", "the closed item's status");
    eq(all.find((x) => x.id === items[1].id)?.status, "open", "the other item's status");
    // closing one the unit has not answered is refused by the API too
    const r = await api("POST", `/api/v1/supervisions/${items[1].id}/close`, await apiLogin("supervisor"), {});
    check(r.status === 409 || r.status === 422, `closing an unanswered 督办: HTTP ${r.status}, expected 409/422`);
  });
  await sup.ctx.close();
}

async function journeyDepartmentInbox() {
  const dept = await apiLogin("ziranziyuan_staff");
  const reply = "用地预审意见已出具，符合国土空间规划（e2e）";
  let task = null;
  await step("8.1 ziranziyuan_staff logs in and lands on its 任务待办 inbox, with only its department's tasks", async () => {
    const u = await loggedIn("ziranziyuan_staff", null);
    const pathname = new URL(u.page.url()).pathname;
    check(pathname === "/tasks" || pathname === "/", `a department user lands on ${pathname}`);
    if (pathname !== "/tasks") await go(u.page, "/tasks");
    const tasks = (await apiGet("/api/v1/tasks?per_page=100", dept)).items;
    check(tasks.length > 0, "the department has no tasks");
    for (const t of tasks) eq(t.department, "ziranziyuan", `task ${t.id}'s department`);
    task = tasks.find((t) => t.status !== "done");
    check(task, "the department has no open task");
    check((await u.page.locator(`#task-${task.id}`).count()) === 1, `open task ${task.id} is not in the inbox`);
    await u.ctx.close();
  });
  await step("8.2 it answers the task and closes it (已办结); the task moves to the 已办结 table", async () => {
    const u = await loggedIn("ziranziyuan_staff", "/tasks");
    const card = u.page.locator(`#task-${task.id}`);
    await card.locator("summary", { hasText: "办理答复" }).click();
    await card.locator(`#reply-${task.id}`).fill(reply);
    await card.locator(`#status-${task.id}`).selectOption("done");
    await submitAndWait(u.page, card.getByRole("button", { name: "保存" }));
    eq(await flash(u.page), "已保存办理情况。", "the notice after 保存");
    check((await u.page.locator(`#task-${task.id}`).count()) === 0, "the closed task is still among the open ones");
    check((await u.page.locator("table", { hasText: "已办结" }).locator("tr", { hasText: reply }).count()) === 1, "the closed task is not in 已办结 with its reply");
    const now = (await apiGet("/api/v1/tasks?per_page=100", dept)).items.find((t) => t.id === task.id);
    eq(now?.status, "done", "the task's status");
    eq(now?.reply, reply, "the task's reply");
    await u.ctx.close();
  });
  await step("8.3 the department reaches only the projects its tasks are on: 审核, 预警 and other projects are refused", async () => {
    const u = await loggedIn("ziranziyuan_staff", "/tasks");
    for (const p of ["/warnings", "/reviews", "/targets"]) {
      const r = await go(u.page, p, null);
      check(r.status() === 403 || r.status() === 404, `${p}: HTTP ${r.status()} for a department user`);
    }
    const mine = new Set((await apiGet("/api/v1/tasks?per_page=500", dept)).items.map((t) => t.project.id));
    const listed = (await apiGet("/api/v1/projects?per_page=500", dept)).items;
    check(listed.length > 0, "the department sees none of the projects its tasks are on");
    for (const p of listed) check(mine.has(p.id), `the department sees project ${p.id} (${p.name}), which carries none of its tasks`);
    const other = (await apiGet("/api/v1/projects?per_page=500", await apiLogin("city_admin"))).items.find((p) => !mine.has(p.id));
    check(other, "every demo project carries a 自然资源 task");
    const r = await api("GET", `/api/v1/projects/${other.id}`, dept);
    check(r.status === 403 || r.status === 404, `another project through the API: HTTP ${r.status}`);
    const page = await go(u.page, `/projects/${other.id}`, null);
    check(page.status() === 403 || page.status() === 404, `another project's page: HTTP ${page.status()}`);
    await u.ctx.close();
  });
}

// ------------------------------------------------------------------ promotion journeys (issue #12)

async function journeyTargets() {
  const admin = await apiLogin("city_admin");
  const js = await apiLogin("jinshui_staff");
  await step("9.1 city_admin's 靶向库 shows the companies two or more units court, as the API's city-wide view has them", async () => {
    const shared = (await apiGet("/api/v1/targets/shared", admin)).items;
    check(shared.length > 0, "the demo has no company courted by two units");
    const u = await loggedIn("city_admin", "/targets");
    const section = u.page.locator("section", { has: u.page.locator("#shared-h") });
    for (const s of shared) {
      const rows = section.locator("tr", { has: u.page.locator(`a[href="/targets/${s.targets[0].id}"]`) });
      check((await rows.count()) === 1, `${s.company_name}'s first unit is not in 多个单位同时跟踪的企业`);
      for (const t of s.targets) check((await section.locator(`a[href="/targets/${t.id}"]`).count()) === 1, `${t.unit_name}'s target ${t.id} of ${s.company_name} is missing`);
    }
    await u.ctx.close();
  });
  await step("9.2 jinshui_staff's 靶向库 lists only 金水区's targets, without the city-wide view", async () => {
    const u = await loggedIn("jinshui_staff", "/targets");
    check((await u.page.locator("#shared-h").count()) === 0, "a unit sees the city-wide view");
    const units = await u.page.locator("table.grid:not(.compact) tbody tr td:nth-child(2)").allTextContents();
    check(units.length > 0, "金水区 has no targets");
    for (const n of units) check(n.trim() === "金水区", `a target of ${n.trim()} on 金水区's list`);
    const mine = (await apiGet("/api/v1/targets?per_page=500", js)).items;
    eq(units.length, mine.length, "targets on the page vs the API");
    await u.ctx.close();
  });
  let target = null;
  let projectId = null;
  await step("9.3 jinshui_staff converts an open target into a project from its page (转化为项目)", async () => {
    target = (await apiGet("/api/v1/targets?per_page=500", js)).items.find((t) => ["watching", "contacted", "interested"].includes(t.status));
    check(target, "金水区 has no open target");
    const u = await loggedIn("jinshui_staff", `/targets/${target.id}`);
    const form = u.page.locator(`form[action="/targets/${target.id}/convert"]`);
    // the required fields are named when missing (a 422 page, expected)
    expectedStatus(u.page).set(new URL(`/targets/${target.id}/convert`, BASE).href, 422);
    await submitAndWait(u.page, form.getByRole("button", { name: "转化为项目" }));
    check((await u.page.locator("#cv-name").locator("xpath=..").locator(".err").count()) === 1, "a missing 项目名称 is not named beside its field");
    const name = `${target.company_name.slice(0, 12)}郑州基地项目（e2e）`;
    const form2 = u.page.locator(`form[action="/targets/${target.id}/convert"]`);
    await form2.locator("#cv-name").fill(name);
    await form2.locator("#cv-region").selectOption({ index: 1 });
    await form2.locator("#cv-total").fill("86000");
    await submitAndWait(u.page, form2.getByRole("button", { name: "转化为项目" }));
    const m = /^\/projects\/(\d+)$/.exec(new URL(u.page.url()).pathname);
    check(m, `the conversion leads to ${u.page.url()}, not the new project`);
    projectId = Number(m[1]);
    eq((await u.page.locator("h1").first().textContent()).trim(), name, "the new project's name");
    const p = await apiGet(`/api/v1/projects/${projectId}`, js);
    eq(p.stage, "reserve", "the new project's stage");
    eq(p.unit, "jinshui", "the new project's unit");
    check((p.investors || []).some((c) => c.id === target.company_id), "the target's company is not the project's investor");
    const t = await apiGet(`/api/v1/targets/${target.id}`, js);
    eq(t.status, "converted", "the target's status");
    eq(t.project_id, projectId, "the target's project");
    await u.ctx.close();
  });
  await step("9.4 a converted target offers no second conversion, and the API refuses one (409)", async () => {
    const u = await loggedIn("jinshui_staff", `/targets/${target.id}`);
    check((await u.page.locator(`form[action="/targets/${target.id}/convert"]`).count()) === 0, "the convert form is still offered");
    check((await u.page.locator(`a[href="/projects/${projectId}"]`).count()) >= 1, "the target's page does not link its project");
    const t = await apiGet(`/api/v1/targets/${target.id}`, js);
    const r = await api("POST", `/api/v1/targets/${target.id}/convert`, js, { name: "再次转化", region: "yangtze", total_investment: "1", version: t.version });
    eq(r.status, 409, "converting twice");
    const again = (await apiAll("", js)).items.filter((p) => p.id === projectId);
    eq(again.length, 1, "projects made by the conversion");
    await u.ctx.close();
  });
}

async function journeyInquiry() {
  const js = await apiLogin("jinshui_staff");
  const company = `郑州e2e咨询企业${Date.now() % 100000}`;
  let id = null;
  await step("10.1 jinshui_staff takes an inquiry down; it is due in 2 working days", async () => {
    const u = await loggedIn("jinshui_staff", "/inquiries");
    await u.page.fill("#iq-company", company);
    await u.page.fill("#iq-contact", "杨经理");
    await u.page.fill("#iq-phone", "13912345678");
    await u.page.selectOption("#iq-unit-new", "jinshui");
    await u.page.fill("#iq-interest", "咨询设立研发中心的场地与人才政策");
    await submitAndWait(u.page, u.page.getByRole("button", { name: "登记" }));
    const m = /^\/inquiries\/(\d+)$/.exec(new URL(u.page.url()).pathname);
    check(m, `taking an inquiry down leads to ${u.page.url()}`);
    id = Number(m[1]);
    const i = await apiGet(`/api/v1/inquiries/${id}`, js);
    eq(i.state, "waiting", "a new inquiry's state");
    check(i.respond_by > i.received_at, `respond_by ${i.respond_by} is not after ${i.received_at}`);
    check((await u.page.locator("dd", { hasText: "13912345678" }).count()) === 1, "the unit's own staff do not see the phone");
    await u.page.fill("#iq-answer", "已电话答复，介绍研发用房和人才公寓政策");
    await submitAndWait(u.page, u.page.getByRole("button", { name: "提交答复" }));
    eq(await flash(u.page), "答复已记录。", "the notice after 提交答复");
    eq((await apiGet(`/api/v1/inquiries/${id}`, js)).state, "answered", "the answered inquiry's state");
    await u.ctx.close();
  });
  await step("10.2 another unit cannot open it (403); a past-due demo inquiry is a warning for its unit only", async () => {
    const u = await loggedIn("hangkonggang_staff", "/inquiries");
    const r = await go(u.page, `/inquiries/${id}`, 403);
    eq(r.status(), 403, "another unit's inquiry");
    await u.ctx.close();
    const warned = (await apiGet("/api/v1/warnings?kind=inquiry_unanswered", await apiLogin("city_admin"))).items;
    check(warned.length > 0, "the demo has no inquiry past its deadline");
    const hkg = (await apiGet("/api/v1/warnings?kind=inquiry_unanswered", await apiLogin("hangkonggang_staff"))).items;
    check(hkg.length > 0, "航空港区 has no late inquiry in the demo");
    for (const w of hkg) eq(w.unit, "hangkonggang", "an inquiry warning 航空港区 sees");
  });
}

async function journeyActivity() {
  const js = await apiLogin("jinshui_staff");
  const today = shanghaiDate(0);
  const month = today.slice(0, 7);
  const title = `赴深圳拜访企业总部（e2e ${Date.now() % 100000}）`;
  let id = null;
  let chosen = null;
  await step("11.1 jinshui_staff enters an activity through /activities/new: kind, dates, place, leader, companies met", async () => {
    const u = await loggedIn("jinshui_staff", "/activities/new");
    eq(await u.page.locator("#a-unit").inputValue(), "jinshui", "the form offers the unit its own unit");
    // a 金水区 leader of the register and the first two companies of the library
    chosen = await u.page.evaluate(() => {
      const leader = [...document.querySelectorAll("#a-leaders option")].find((o) => o.textContent.includes("金水区"));
      const companies = [...document.querySelectorAll("#a-companies option")].slice(0, 2);
      return { leader: leader ? leader.value : null, companies: companies.map((o) => o.value), names: companies.map((o) => o.textContent.trim()) };
    });
    check(chosen.leader, "the form offers no 金水区 leader of the register");
    check(chosen.companies.length === 2, "the form offers fewer than two companies");
    await u.page.fill("#a-title", title);
    await u.page.selectOption("#a-kind", "leader_visit");
    await u.page.fill("#a-start", today);
    await u.page.fill("#a-end", today);
    await u.page.selectOption("#a-region", "pearl");
    await u.page.fill("#a-city", "深圳");
    await u.page.selectOption("#a-leaders", [chosen.leader]);
    await u.page.selectOption("#a-companies", chosen.companies);
    await u.page.fill("#a-intentions", "1");
    await submitAndWait(u.page, u.page.getByRole("button", { name: "保存" }));
    const m = /^\/activities\/(\d+)$/.exec(new URL(u.page.url()).pathname);
    check(m, `saving the activity leads to ${u.page.url()}, not its page`);
    id = Number(m[1]);
    J.activity = id;
    eq((await u.page.locator("h1").first().textContent()).trim(), title, "the new activity's title");
    check((await flash(u.page)).length > 0, "no notice after saving");
    for (const n of chosen.names) check((await u.page.locator("td a", { hasText: n }).count()) >= 1, `the company met ${n} is not on the activity's page`);
    await u.ctx.close();
  });
  await step("11.2 it is on the list and on this month's calendar; the API (GET /api/v1/activities/{id}) agrees", async () => {
    const u = await loggedIn("jinshui_staff", "/activities");
    check((await u.page.locator(`table.grid a[href="/activities/${id}"]`).count()) === 1, "the new activity is not on /activities");
    await go(u.page, `/activities/calendar?month=${month}`);
    check((await u.page.locator(`table.calendar a[href="/activities/${id}"]`).count()) === 1, `the new activity is not on the calendar of ${month}`);
    const a = await apiGet(`/api/v1/activities/${id}`, js);
    eq([a.title, a.kind, a.start_on, a.end_on, a.city, a.region, a.unit], [title, "leader_visit", today, today, "深圳", "pearl", "jinshui"], "the API's activity");
    eq(a.leader_ids, [Number(chosen.leader)], "the API's leaders");
    eq([...a.company_ids].sort((x, y) => x - y), chosen.companies.map(Number).sort((x, y) => x - y), "the API's companies met");
    eq(a.intentions, 1, "the API's intentions");
    check(["city_leader", "unit_chief", "unit_deputy"].includes(a.leader_level), `leader_level ${a.leader_level} is not the register's`);
    await u.ctx.close();
  });
  await step("11.3 another unit gets 403 on it, in the browser and from the API, and does not list it", async () => {
    const u = await loggedIn("hangkonggang_staff", "/activities");
    check((await u.page.locator(`a[href="/activities/${id}"]`).count()) === 0, "航空港区 lists 金水区's activity");
    const r = await go(u.page, `/activities/${id}`, 403);
    eq(r.status(), 403, "another unit's activity page");
    await u.ctx.close();
    const hkg = await apiLogin("hangkonggang_staff");
    const a = await api("GET", `/api/v1/activities/${id}`, hkg);
    check([403, 404].includes(a.status), `GET /api/v1/activities/${id} as 航空港区: HTTP ${a.status}`);
  });
}

async function journeyAssessment() {
  const admin = await apiLogin("city_admin");
  let run = null;
  await step("12.1 city_admin opens 考核评价, checks the shipped annual scheme and runs it: 16 units ranked 1..16", async () => {
    const u = await loggedIn("city_admin", "/assessment");
    check((await u.page.locator("#toml").inputValue()).includes("[[indicator]]"), "the editor holds no scheme");
    await submitAndWait(u.page, u.page.getByRole("button", { name: "校验" }));
    check((await flash(u.page)).includes("校验通过"), `校验 says 「${await flash(u.page)}」`);
    check((await u.page.locator("table.grid tbody tr").count()) >= 8, "the checked scheme lists fewer than 8 indicators");
    await submitAndWait(u.page, u.page.getByRole("button", { name: "运行考核" }));
    const m = /^\/assessment\/runs\/(\d+)$/.exec(new URL(u.page.url()).pathname);
    check(m, `运行考核 leads to ${u.page.url()}, not the run`);
    run = await apiGet(`/api/v1/assessments/${m[1]}`, admin);
    J.run = run.id;
    const ranks = await u.page.locator("table.ranking tbody tr td:first-child").allTextContents();
    eq(ranks.map((r) => Number(r.trim())), [...Array(16).keys()].map((k) => k + 1), "the ranks on the page");
    eq(run.results.map((r) => r.rank), ranks.map((r) => Number(r.trim())), "the API's ranks");
    const totals = await u.page.locator("table.ranking tbody tr td:last-child").allTextContents();
    eq(totals.map((t) => t.trim()), run.results.map((r) => r.total), "the totals on the page are the API's");
    await u.page.screenshot({ path: path.join(SHOTS, "assessment-run-desktop.png"), fullPage: true });
    await u.ctx.close();
  });
  await step("12.2 a click on 金水区's 省外资金 points lists exactly the funds entries the run counted", async () => {
    const u = await loggedIn("city_admin", `/assessment/runs/${run.id}`);
    const row = u.page.locator("table.ranking tbody tr", { hasText: "金水区" });
    await submitAndWait(u.page, row.locator("td a").first());
    const api = await apiGet(`/api/v1/assessments/${run.id}/records?unit=jinshui&indicator=${run.columns[0].code}`, admin);
    const shown = await u.page.locator("#records table tbody tr").count();
    eq(shown, Math.max(api.total, 1), "the records on the page (or the one 'none' row)");
    check(/计入记录 \d+ 条/.test(await u.page.locator("#records h2").textContent()), "the drill-down has no heading with its count");
    await u.page.screenshot({ path: path.join(SHOTS, "assessment-drilldown-desktop.png"), fullPage: true });
    await u.ctx.close();
    const ctx = await newContext(PHONE);
    const page = watch(await ctx.newPage(), "city_admin phone");
    await uiLogin(page, "city_admin", `/assessment/runs/${run.id}?unit=jinshui&indicator=${run.columns[0].code}`);
    await page.screenshot({ path: path.join(SHOTS, "assessment-drilldown-phone.png"), fullPage: true });
    await ctx.close();
  });
  // the demo published this year's bulletin (its pick is frozen): the journey assesses last year
  const year = Number(shanghaiDate(0).slice(0, 4)) - 1;
  let lastYear = null;
  await step(`12.3 city_admin runs the annual scheme over ${year} from the editor, then picks ${year}'s 十大项目 with a citation each`, async () => {
    const u = await loggedIn("city_admin", "/assessment");
    const text = (await u.page.locator("#toml").inputValue()).replaceAll(String(year + 1), String(year));
    await u.page.fill("#toml", text);
    await submitAndWait(u.page, u.page.getByRole("button", { name: "运行考核" }));
    const m = /^\/assessment\/runs\/(\d+)$/.exec(new URL(u.page.url()).pathname);
    check(m, `运行考核 (${year}) leads to ${u.page.url()}`);
    lastYear = await apiGet(`/api/v1/assessments/${m[1]}`, admin);
    eq(lastYear.from, `${year}-01-01`, "the edited scheme's period");
    await go(u.page, `/assessment/top10?year=${year}`);
    const boxes = u.page.locator("#t10-form input[type=checkbox][name=pick]");
    check((await boxes.count()) >= 10, `${year} has fewer than 10 candidates`);
    // one short first: refused, nothing saved
    for (let k = 0; k < 9; k++) {
      await boxes.nth(k).check();
      const id = await boxes.nth(k).getAttribute("value");
      await u.page.fill(`#t10-cit-${id}`, `${year}年度重大项目，e2e 入选理由 ${k + 1}`);
    }
    expectedStatus(u.page).set(new URL("/assessment/top10", BASE).href, 422);
    await submitAndWait(u.page, u.page.getByRole("button", { name: "确定十大项目" }));
    check((await u.page.locator(".alert.error").count()) === 1, "a pick of nine is not refused on the page");
    const again = u.page.locator("#t10-form input[type=checkbox][name=pick]");
    await again.nth(9).check();
    const tenth = await again.nth(9).getAttribute("value");
    await u.page.fill(`#t10-cit-${tenth}`, `${year}年度重大项目，e2e 入选理由 10`);
    await submitAndWait(u.page, u.page.getByRole("button", { name: "确定十大项目" }));
    const t10 = await apiGet(`/api/v1/top10/${year}`, admin);
    eq(t10.picks.length, 10, "the API's pick");
    check(t10.picks.every((p) => p.citation.includes("e2e 入选理由")), "a pick without its citation");
    await u.page.screenshot({ path: path.join(SHOTS, "top10-desktop.png"), fullPage: true });
    await u.ctx.close();
  });
  let bulletin = null;
  const number = `郑商通〔${year}〕${90 + (Date.now() % 9)}号`;
  await step(`12.4 city_admin drafts a 通报 of the ${year} run and publishes it after the confirmation`, async () => {
    // the run made before the pick carries no bonus: run again, so the bulletin has it
    const u = await loggedIn("city_admin", "/assessment");
    const text = (await u.page.locator("#toml").inputValue()).replaceAll(String(year + 1), String(year));
    await u.page.fill("#toml", text);
    await submitAndWait(u.page, u.page.getByRole("button", { name: "运行考核" }));
    const runId = Number(/(\d+)$/.exec(new URL(u.page.url()).pathname)[1]);
    const withBonus = await apiGet(`/api/v1/assessments/${runId}`, admin);
    const bonus = withBonus.results.reduce((a, x) => a + Number(x.bonus), 0);
    check(bonus >= 20, `the ${year} run after the pick has ${bonus} bonus points, not 2 for each of the ten`);
    await go(u.page, "/bulletins");
    await u.page.selectOption("#bl-run", String(runId));
    await u.page.fill("#bl-number", number.replace("〔", "[").replace("〕", "]"));
    await u.page.fill("#bl-title", `关于${year}年度县(市、区)、开发区招商引资工作考核情况的通报（e2e）`);
    await u.page.fill("#bl-date", shanghaiDate(0));
    await submitAndWait(u.page, u.page.getByRole("button", { name: "保存草稿" }));
    const m = /^\/bulletins\/(\d+)$/.exec(new URL(u.page.url()).pathname);
    check(m, `保存草稿 leads to ${u.page.url()}`);
    bulletin = Number(m[1]);
    eq((await u.page.locator("h1").first().textContent()).trim(), number, "the draft's number, brackets normalised");
    await submitAndWait(u.page, u.page.locator("a.btn", { hasText: "发布" }).first());
    await submitAndWait(u.page, u.page.getByRole("button", { name: `确认发布 ${number}` }));
    const b = await apiGet(`/api/v1/bulletins/${bulletin}`, admin);
    eq(b.state, "published", "the bulletin's state");
    const v = await apiGet(`/api/v1/bulletins/${bulletin}/verify`, admin);
    check(v.ok === true && v.sha256 === b.sha256, `verify: ${JSON.stringify(v).slice(0, 200)}`);
    const frozen = await api("PUT", `/api/v1/top10/${year}`, admin, { picks: [] });
    eq(frozen.status, 409, `the ${year} pick after publishing`);
    await u.page.screenshot({ path: path.join(SHOTS, "bulletin-desktop.png"), fullPage: true });
    await u.ctx.close();
  });
  await step("12.5 its print view is an A4 公文: pdfinfo 595 × 842 pts, text inside the GB/T 9704 block (scripts/check-bulletin-pdf)", async () => {
    const u = await loggedIn("city_admin");
    await go(u.page, `/bulletins/${bulletin}/print`); // the standalone 公文 page: no app bar
    await u.page.screenshot({ path: path.join(SHOTS, "bulletin-print-desktop.png"), fullPage: true });
    await u.ctx.close();
    const out = execFileSync("node", [path.join(ROOT, "scripts/check-bulletin-pdf"), "--base", BASE, "--id", String(bulletin)], {
      env: { ...process.env, ZHAOSHANG_CHECK_USER: "city_admin", ZHAOSHANG_CHECK_PASSWORD: PASSWORD, ZHAOSHANG_CHECK_OUT: path.join(SHOTS, "bulletin-pdf") },
      encoding: "utf8",
    });
    check(/595(\.\d+)? x 842|594\.96 x 841\.92/.test(out), `pdfinfo did not report A4: ${out.slice(0, 300)}`);
    log(`     ${out.trim().split("\n").slice(-1)[0]}`);
  });
  await step("12.6 the 工作台 of 金水区 shows the 红黑榜 of the latest published bulletin", async () => {
    const u = await loggedIn("jinshui_staff", "/");
    const card = u.page.locator("section.red-black");
    eq(await card.count(), 1, "the 红黑榜 card");
    check((await card.locator("h2").textContent()).includes(number), `the card is not the latest bulletin ${number}`);
    eq(await card.locator("li").count(), 6, "three on the 红榜, three on the 黑榜");
    await u.page.screenshot({ path: path.join(SHOTS, "dashboard-red-black-desktop.png"), fullPage: true });
    await u.ctx.close();
    const ctx = await newContext(PHONE);
    const page = watch(await ctx.newPage(), "jinshui_staff phone");
    await uiLogin(page, "jinshui_staff", `/bulletins/${bulletin}`);
    await page.screenshot({ path: path.join(SHOTS, "bulletin-phone.png"), fullPage: true });
    await ctx.close();
  });
}

// ------------------------------------------------------------------ main

async function main() {
  const watchdog = setTimeout(async () => {
    console.error(`[e2e] FAILED: the run took longer than ${LIMIT_S} s (step: ${currentStep}); stopping`);
    await Promise.race([cleanup(), new Promise((r) => setTimeout(r, 5000))]);
    process.exit(1);
  }, LIMIT_S * 1000);
  watchdog.unref();

  try {
    // one folder of this run's screenshots: emptied once, before any journey writes to it
    fs.rmSync(SHOTS, { recursive: true, force: true });
    fs.mkdirSync(SHOTS, { recursive: true });
    await step("0 start zhaoshang serve --demo", async () => {
      BASE = await startServer();
    });
    await step("0 launch headless Chromium", async () => {
      check(fs.existsSync(CHROMIUM), `no browser at ${CHROMIUM} (apt-get install chromium)`);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--lang=zh-CN",
        ],
        // Chromium on Linux takes its UI locale (date inputs show 2026/11/27) from the
        // environment, not --lang; it needs Debian's chromium-l10n for zh-CN.
        env: { ...process.env, LANGUAGE: "zh_CN:zh" },
      });
      log(`     ${CHROMIUM} ${browser.version()}`);
    });
  } catch (e) {
    if (!(e instanceof JourneyAbort)) failures.push({ step: "setup", msg: String(e && e.stack) });
  }

  if (!failures.length) {
    await journey("journey 1: unit staff filters the ledger and advances a project", journeyUnitStaffLedger);
    await journey("journey 2: unit staff never sees another unit's project", journeyIsolation);
    await journey("journey 3: city admin's dashboard charts", journeyCityDashboard);
    await journey("journey 6: the city's 审核 queue — batch accept, return with a comment, the unit resubmits", journeyReviewQueue);
    await journey("journey 7: 预警督办 — the supervisor turns warnings into 督办, the unit answers from its 待办, the supervisor closes", journeySupervision);
    await journey("journey 8: a department's 任务待办 inbox — answer and close a task, nothing else reachable", journeyDepartmentInbox);
    await journey("journey 9: 靶向库 — the city-wide view, a unit's own targets, a target converted into one project", journeyTargets);
    await journey("journey 10: 投资咨询 — taken down, answered, scoped; a late one is its unit's warning", journeyInquiry);
    await journey("journey 11: 招商活动 — entered by a unit, on its list and calendar, as the API has it; another unit refused", journeyActivity);
    await journey("journey 12: 考核评价 and 通报 — a scheme run, a number drilled down, the 十大项目 picked, a bulletin published, printed as A4 and on 工作台", journeyAssessment);
    // after 6–11, so the pages show what those journeys left (a resubmitted claim, open and closed 督办, a closed task)
    await journey("journey 4: screenshots at 1366×768 and 390×844", journeyScreenshots);
    await journey("journey 5: ledger import — upload, preview with errors, fix, confirm", journeyImport);
  }
  const late = browserErrors.filter((e) => !e.reported);
  if (late.length) failures.push({ step: "(late browser errors)", msg: late.map((e) => `${e.step}: ${e.kind}: ${e.text}`).join("\n") });

  await cleanup();
  for (const w of warnings) console.log(`[e2e] warning: ${w}`);
  if (failures.length) {
    console.error(`\n[e2e] FAILED: ${failures.length} step(s) failed, ${passed} passed, in ${secs()} s:`);
    for (const f of failures) console.error(`  - ${f.step}\n      ${f.msg.split("\n").join("\n      ")}`);
    if (serverLog && fs.existsSync(serverLog)) {
      console.error(`\n[e2e] server log (last 40 lines):\n${fs.readFileSync(serverLog, "utf8").split("\n").slice(-40).join("\n")}`);
    }
    process.exitCode = 1;
  } else {
    console.log(`\n[e2e] all ${passed} steps passed in ${secs()} s; screenshots in ${path.relative(process.cwd(), SHOTS) || SHOTS}`);
  }
}

let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  try {
    if (browser) await browser.close();
  } catch {
    /* already gone */
  }
  await stopServer().catch(() => {});
  if (tmp && process.env.ZHAOSHANG_E2E_KEEP !== "1") fs.rmSync(tmp, { recursive: true, force: true });
  else if (tmp) log(`kept ${tmp}`);
}

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    console.error(`[e2e] ${sig}: stopping`);
    await cleanup();
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}
process.on("exit", () => {
  // last resort: never leave the server running
  if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
});

main().catch(async (e) => {
  console.error(`[e2e] FAILED: ${e && e.stack ? e.stack : e}`);
  await cleanup();
  process.exit(1);
});
