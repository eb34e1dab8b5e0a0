// The screen-pop: an agent is at their queue when the phone system reports
// a call ringing for them. From an unknown number, the strip says so and
// "Crear cliente" makes the profile; from a customer, it shows her name,
// her open case and when she was last in touch; answered, it goes. On her
// case, the call's end appears in the timeline without a reload (outcome,
// numbers, length), and "Llamar" calls her back through the voice line;
// the phone system opens her case on the agent's page through Talk's API.
// axe checks the pages with the call showing. Run by the Rust test
// `api::calls::the_screen_pop_in_the_browser`.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const adminId = Number(process.env.ADMIN_ID);
const auth = "Basic " + Buffer.from(`${process.env.ADMIN_EMAIL}/token:${process.env.ADMIN_TOKEN}`).toString("base64");
const martaCase = process.env.MARTA_CASE;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

async function report(event) {
  const r = await fetch(`${base}/api/v2/calls/events.json`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/json" },
    body: JSON.stringify({ call_event: event }),
  });
  assert.equal(r.status, 200, await r.text());
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "Europe/Madrid", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${shots}/${tag}-call-${name}.png`, fullPage: true });

  await page.goto(`${base}/agent`);
  await page.fill("#email", "admin@example.com");
  await page.fill("#password", "admin-password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/agent(\?.*)?$/);
  // The live socket is up before the phone rings.
  await page.waitForFunction(() => document.body.dataset.live === "on", null, { timeout: 10000 });

  // An unknown number rings for this agent: shown without a reload.
  await report({ event: "ringing", provider: "centralita", call_id: "UI-1", from: "+34611000777", to: "+34910000000", agent_id: adminId });
  const pop = page.getByRole("alert").filter({ hasText: "Llamada entrante" });
  await pop.getByText("Número desconocido").waitFor({ timeout: 5000 });
  await pop.getByText("+34611000777").first().waitFor();
  await accessible(page, "a call from an unknown number");
  await shot("unknown");
  await pop.getByRole("button", { name: "Crear cliente" }).click();
  await page.waitForURL(/\/agent$/);
  await page.getByRole("alert").filter({ hasText: "Sin casos abiertos" }).waitFor();
  // Answered: the card goes.
  await report({ event: "answered", provider: "centralita", call_id: "UI-1", agent_id: adminId });
  await page.getByRole("alert").filter({ hasText: "+34611000777" }).waitFor({ state: "detached", timeout: 5000 });

  // Marta calls: her name, her open case (a link to it), her last contact.
  await report({ event: "ringing", provider: "centralita", call_id: "UI-2", from: "+34600112233", to: "+34910000000", agent_id: adminId });
  const marta = page.getByRole("alert").filter({ hasText: "Marta Ruiz" });
  await marta.waitFor({ timeout: 5000 });
  await marta.getByText("Último contacto").waitFor();
  await accessible(page, "a call from a customer");
  await shot("customer");
  await marta.getByRole("link", { name: /Mi pedido no llega/ }).click();
  await page.waitForURL(new RegExp(`/agent/tickets/${martaCase}$`));
  await page.waitForFunction(() => document.body.dataset.live === "on", null, { timeout: 10000 });

  // The call is answered and ends: logged on her case, live.
  await report({ event: "answered", provider: "centralita", call_id: "UI-2", agent_id: adminId });
  await report({ event: "ended", provider: "centralita", call_id: "UI-2", agent_id: adminId, duration: 192 });
  const entry = page.locator("li.entry.call").filter({ hasText: "Llamada entrante" });
  await entry.getByText("atendida", { exact: true }).waitFor({ timeout: 5000 });
  await entry.getByText(/\+34600112233 → \+34910000000/).waitFor();
  await entry.getByText(/3 min 12 s/).waitFor();
  await accessible(page, "a case with its call");
  await shot("logged");
  // Click-to-call: the agent's phone rings first, then hers.
  await page.getByRole("button", { name: "Llamar", exact: true }).click();
  await page.getByText("Su teléfono sonará en un momento").waitFor({ timeout: 5000 });

  // The phone's admin page: today's figures and the line's settings.
  await page.goto(`${base}/agent/admin/phone`);
  await page.getByRole("heading", { level: 1, name: "Teléfono" }).waitFor();
  await page.getByRole("table", { name: "Llamadas de hoy por agente" }).waitFor();
  await accessible(page, "the phone's admin page");
  await shot("admin");

  // The phone system opens her case on the agent's page, at once.
  await page.waitForFunction(() => document.body.dataset.live === "on", null, { timeout: 10000 });
  const shown = await fetch(`${base}/api/v2/channels/voice/agents/${adminId}/tickets/${martaCase}/display.json`, {
    method: "POST", headers: { authorization: auth },
  });
  assert.equal(shown.status, 200, await shown.text());
  await page.waitForURL(new RegExp(`/agent/tickets/${martaCase}$`), { timeout: 5000 });

  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
} finally {
  await browser.close();
}
