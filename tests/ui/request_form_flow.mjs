// A visitor sends a request through the help center's form in headless
// Chromium: the bot suggests an article while they type (they open it and
// come back), a field appears only for the answer that needs it, a missing
// answer is explained, and the request is sent. axe checks every page, on
// the viewport ATIENDE_VIEWPORT. Run by the Rust test
// `api::web_forms::the_request_form_in_a_browser`, which sets up the form
// and the article and checks what was recorded.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const size = process.env.ATIENDE_VIEWPORT || "desktop";
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });
const viewport = size === "phone" ? { width: 375, height: 740 } : { width: 1280, height: 900 };

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "UTC", viewport });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${shots}/${tag}-form-${size}-${name}.png`, fullPage: true });

  await page.goto(`${base}/hc/es/requests/new`);
  await page.getByRole("heading", { level: 1, name: "Enviar una solicitud" }).waitFor();
  // The order number shows only for a request about an order.
  const order = page.getByLabel("Número de pedido");
  assert.equal(await order.isVisible(), false, "hidden until the answer needs it");
  await accessible(page, `request form (${size})`);

  // Describing the problem, the bot suggests an article; it opens, and
  // the visitor comes back to the form.
  await page.getByLabel("Tu dirección de correo").fill(`visitante-${size}@example.com`);
  await page.getByLabel("Asunto").fill("No encuentro mi pedido");
  await page.getByLabel("Descripción").fill("Quiero saber donde esta mi pedido, no se el seguimiento");
  const suggestion = page.locator("#suggestions").getByRole("link", { name: "Dónde está mi pedido" });
  await suggestion.waitFor();
  await accessible(page, `request form with suggestions (${size})`);
  await shot("suggestions");
  await suggestion.click();
  await page.getByRole("heading", { level: 1, name: "Dónde está mi pedido" }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Enviar una solicitud" }).waitFor();

  await page.getByLabel("Tipo de consulta").selectOption("pedido");
  await order.waitFor();
  // The form needs a person's pace: a moment before sending.
  await page.waitForTimeout(3200);
  if (!(await page.getByLabel("Asunto").inputValue())) {
    await page.getByLabel("Tu dirección de correo").fill(`visitante-${size}@example.com`);
    await page.getByLabel("Asunto").fill("No encuentro mi pedido");
    await page.getByLabel("Descripción").fill("Quiero saber donde esta mi pedido, no se el seguimiento");
    await page.getByLabel("Tipo de consulta").selectOption("pedido");
  }
  await page.getByRole("button", { name: "Enviar solicitud" }).click();
  await page.getByRole("alert").getByText("Rellena «Número de pedido»").waitFor();
  await accessible(page, `request form with an error (${size})`);
  await shot("error");

  await page.getByLabel("Número de pedido").fill("A-778");
  await page.waitForTimeout(3200);
  await page.getByRole("button", { name: "Enviar solicitud" }).click();
  await page.getByRole("status").getByText("Hemos recibido tu solicitud").waitFor();
  await page.getByText(`visitante-${size}@example.com`).waitFor();
  await accessible(page, `request sent (${size})`);
  await shot("sent");

  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
} finally {
  await browser.close();
}
