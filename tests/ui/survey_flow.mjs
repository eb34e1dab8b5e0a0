// Surveys in the browser: the admins' page (read by axe, saved), then a
// customer's one-click link from the survey mail — the answer recorded as
// the page opens —, CES and a comment sent with the page's form, the
// thanks and the review invitation; axe reads the survey page on a
// desktop and a phone. Run by the Rust test
// `api::surveys::surveys_in_the_browser`.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const link = process.env.SURVEY_LINK;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "Europe/Madrid", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${shots}/${tag}-survey-${name}.png`, fullPage: true });

  await page.goto(`${base}/agent`);
  await page.fill("#email", "admin@example.com");
  await page.fill("#password", "admin-password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/agent(\?.*)?$/);

  // The admins' page: every field labelled; saved as it stands.
  await page.goto(`${base}/agent/admin/surveys`);
  await page.locator("h1").waitFor();
  await accessible(page, "the surveys admin page");
  await shot("admin");
  assert.ok(await page.locator("input[name=csat_enabled]").isChecked(), "CSAT is on");
  await page.fill("#thanks-es", "¡Mil gracias por contárnoslo!");
  await Promise.all([page.waitForURL(/\/agent\/admin\/surveys$/), page.click("form.admin-form button[type=submit]")]);
  assert.equal(await page.inputValue("#thanks-es"), "¡Mil gracias por contárnoslo!");
  assert.ok(await page.locator("input[name=csat_enabled]").isChecked(), "still on after saving");

  // The customer's one click: recorded as the page opens.
  const customer = await browser.newContext({ locale: "es-ES" });
  const c = await customer.newPage();
  c.on("pageerror", (e) => errors.push(`customer: ${e}`));
  await c.goto(link);
  await c.getByRole("status").getByText("¡Mil gracias por contárnoslo!").waitFor();
  assert.ok(await c.locator("input[name=csat][value=good]").isChecked(), "the click's answer is chosen");
  await c.getByRole("link", { name: "Escribir una reseña" }).waitFor();
  await accessible(c, "the survey page");
  // CES and a comment, with the page's form.
  await c.locator("input[name=ces][value='6']").check();
  await c.getByLabel("¿Quiere contarnos algo más? (opcional)").fill("Muy amables, gracias");
  await Promise.all([c.waitForLoadState("load"), c.getByRole("button", { name: "Enviar" }).click()]);
  await c.waitForFunction(() => document.querySelector("input[name=ces][value='6']")?.checked === true);
  assert.equal(await c.getByLabel("¿Quiere contarnos algo más? (opcional)").inputValue(), "Muy amables, gracias");
  await c.setViewportSize({ width: 375, height: 740 });
  await accessible(c, "the survey page on a phone");
  await c.screenshot({ path: `${shots}/${tag}-survey-page-phone.png`, fullPage: true });

  // A link someone altered: a page that says so.
  const altered = link.replace(/-([0-9a-f])([0-9a-f]*)\?/, (_, first, rest) => `-${first === "a" ? "b" : "a"}${rest}?`);
  const refused = await c.goto(altered);
  assert.equal(refused.status(), 400);
  await c.getByRole("heading", { name: "Este enlace no es válido" }).waitFor();
  await accessible(c, "a refused survey link");

  assert.deepEqual(errors, [], "no script errors");
  await customer.close();
  await ctx.close();
} finally {
  await browser.close();
}
