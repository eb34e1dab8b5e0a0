// An admin connects a WhatsApp number on the messaging channels' page and
// adds a template; on the ticket of a customer whose WhatsApp window has
// closed, the reply box says so and sends the template; on another whose
// window is open, the agent's reply offers two buttons. axe checks every
// page, in Spanish. Run by the Rust test
// `api::whatsapp::whatsapp_pages_in_the_browser`.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const graph = process.env.GRAPH_URL;
const ticket = process.env.TICKET_ID;
const openTicket = process.env.OPEN_TICKET_ID;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${shots}/${tag}-channels-${name}.png`, fullPage: true });

  await page.goto(`${base}/agent/admin/channels`);
  await page.fill("#email", "admin@example.com");
  await page.fill("#password", "admin-password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/agent\/admin\/channels$/);
  await page.getByRole("heading", { level: 1, name: "Canales de mensajería" }).waitFor();
  await accessible(page, "channels (empty)");

  // Connect a number: the verify token is shown once.
  await page.getByLabel("Canal", { exact: true }).selectOption("whatsapp");
  await page.locator("#new-name").fill("Tienda WhatsApp");
  await page.locator("#new-external").fill("106540352242922");
  await page.locator("#new-access_token").fill("wa-access-token");
  await page.locator("#new-app_secret").fill("wa-app-secret");
  await page.locator("#new-api").fill(graph);
  await page.getByRole("button", { name: "Conectar" }).click();
  const made = page.getByRole("status").filter({ hasText: "no se vuelve a mostrar" });
  await made.waitFor();
  const token = (await made.locator("code").innerText()).trim();
  assert.equal(token.length, 32, "the verify token");
  await accessible(page, "channels (connected)");
  await shot("connected");
  await page.goto(`${base}/agent/admin/channels`);
  assert.ok(!(await page.content()).includes(token), "the token is not shown again");
  await page.getByText("/channels/whatsapp/").first().waitFor();

  // A template for the library.
  await page.locator("#t-name").fill("seguimiento");
  await page.locator("#t-language").fill("es");
  await page.locator("#t-body").fill("Hola {{1}}, ¿seguimos con tu consulta?");
  await page.getByRole("button", { name: "Añadir la plantilla" }).click();
  await page.getByRole("cell", { name: "seguimiento" }).waitFor();
  await accessible(page, "channels (template)");

  // The window closed: the reply box says so and offers the template.
  await page.goto(`${base}/agent/tickets/${ticket}`);
  await page.getByText("La ventana de WhatsApp del cliente está cerrada").waitFor();
  await page.getByLabel("Plantilla").selectOption("seguimiento|es");
  await page.getByLabel("Parámetros (uno por línea)").fill("Eva");
  await accessible(page, "ticket with the window closed");
  await shot("template");
  await page.locator("#reply-form button[type=submit]").click();
  await page.getByText("Hola Eva, ¿seguimos con tu consulta?").first().waitFor();

  // Buttons on a reply while the window is open.
  await page.goto(`${base}/agent/tickets/${openTicket}`);
  await page.getByText("Botones (opcional)").click();
  await page.getByLabel(/Respuestas que el cliente puede tocar/).fill("Sí, gracias\nTengo otra duda");
  await page.locator("#reply-body").fill("¿Te ha llegado el paquete?");
  await accessible(page, "reply with buttons");
  await page.locator("#reply-form button[type=submit]").click();
  await page.getByText("¿Te ha llegado el paquete?").first().waitFor();

  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
} finally {
  await browser.close();
}
