// The reports page in the browser: the filters, every chart with its
// table, read by axe; a click on a bar opens the tickets behind it (axe
// again); a filter narrows the figures; the frequent problems page and
// the tickets behind a topic. Run by the Rust test
// `api::reports::the_reports_page_drills_down_and_downloads`.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const query = process.env.REPORT_QUERY;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "Europe/Madrid", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${base}/agent`);
  await page.fill("#email", "admin@example.com");
  await page.fill("#password", "admin-password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/agent(\?.*)?$/);

  await page.goto(`${base}/agent/reports?${query}`);
  await page.locator("h1").waitFor();
  assert.ok(await page.locator("svg.chart").count() >= 3, "charts");
  const created = Number(await page.locator("#h-summary ~ .table-box tbody tr").first().locator("td").first().innerText());
  assert.ok(created > 0, "tickets were created in the period");
  await accessible(page, "the reports page");
  await page.screenshot({ path: `${shots}/${tag}-reports.png`, fullPage: true });

  // A click on a day's bar: the tickets behind it.
  const links = page.locator("svg.chart a");
  const idx = await links.evaluateAll((as) => as.findIndex((a) => {
    const r = a.querySelector("rect.created");
    return r && Number(r.getAttribute("height")) > 2;
  }));
  assert.ok(idx >= 0, "a day with tickets");
  const barLink = links.nth(idx);
  const href = await barLink.getAttribute("href");
  assert.ok(href && href.includes("slice=created_day"), href);
  await Promise.all([page.waitForURL(/\/agent\/reports\/tickets/), barLink.locator("rect").click({ force: true })]);
  await page.locator("h1").waitFor();
  await accessible(page, "the tickets behind a figure");
  await page.getByRole("link", { name: /Volver al informe|Back to the report/ }).click();
  await page.waitForURL(/\/agent\/reports\?/);

  // A filter narrows the figures: one channel never counts more.
  await page.selectOption("#r-channel", "email");
  await Promise.all([page.waitForURL(/channel=email/), page.click("form.report-filters button[type=submit]")]);
  const emailOnly = Number(await page.locator("#h-summary ~ .table-box tbody tr").first().locator("td").first().innerText());
  assert.ok(emailOnly <= created, `${emailOnly} <= ${created}`);

  // Frequent problems: the topics of this week's tickets with their
  // table; a count opens its tickets.
  await Promise.all([page.waitForURL(/\/agent\/reports\/problems/), page.getByRole("link", { name: "Problemas frecuentes" }).click()]);
  await page.locator("#h-top").waitFor();
  const counts = page.locator("table.problems tbody tr td:nth-child(2) a");
  assert.ok(await counts.count() > 0, "topics this week");
  const first = Number(await counts.first().innerText());
  await accessible(page, "the frequent problems page");
  await page.screenshot({ path: `${shots}/${tag}-problems.png`, fullPage: true });
  await Promise.all([page.waitForURL(/slice=created/), counts.first().click()]);
  await page.locator("h1").waitFor();
  assert.equal(await page.locator("a.ticket-link").count(), first, "as many tickets as the count");

  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
} finally {
  await browser.close();
}
