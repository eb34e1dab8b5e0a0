// A customer uses the portal in headless Chromium, in two phases the Rust
// test `api::portal::the_portal_in_a_browser` runs around the mail relay:
// PHASE=ask — the sign-in page, asking for a link by email;
// PHASE=answer — the link from that mail (ATIENDE_LINK): confirm, "my
// requests", the request, a reply, sign out. axe checks every page, on the
// viewport ATIENDE_VIEWPORT (desktop or phone).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const phase = process.env.PHASE;
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
  const shot = (name) => page.screenshot({ path: `${shots}/${tag}-portal-${size}-${name}.png`, fullPage: true });

  if (phase === "ask") {
    // From the help center's header to the sign-in page.
    await page.goto(`${base}/hc/es`);
    await page.getByRole("navigation", { name: "Tu cuenta" }).getByRole("link", { name: "Iniciar sesión" }).click();
    await page.getByRole("heading", { level: 1, name: "Iniciar sesión" }).waitFor();
    await accessible(page, `sign-in page (${size})`);
    await shot("signin");
    // A wrong address first: the page says what is wrong, keeps the form.
    await page.locator("#link-email").fill("lucia@example");
    await page.getByRole("button", { name: "Envíame un enlace para entrar" }).click();
    await page.getByRole("alert").getByText("Escribe una dirección de correo completa").waitFor();
    await accessible(page, `sign-in page with an error (${size})`);
    await page.locator("#link-email").fill("lucia@example.com");
    await page.getByRole("button", { name: "Envíame un enlace para entrar" }).click();
    await page.getByRole("status").getByText("le hemos enviado un enlace para entrar").waitFor();
    await accessible(page, `link sent (${size})`);
  } else {
    const link = process.env.ATIENDE_LINK;
    await page.goto(`${base}${link}`);
    await page.getByRole("heading", { level: 1, name: "Entrar como lucia@example.com" }).waitFor();
    await accessible(page, `sign-in link (${size})`);
    await page.getByRole("button", { name: "Continuar" }).click();
    await page.waitForURL(/\/hc\/es\/requests$/);
    await page.getByRole("heading", { level: 1, name: "Mis solicitudes" }).waitFor();
    await accessible(page, `my requests (${size})`);
    await shot("requests");

    await page.getByRole("link", { name: "Mi pedido no llegó" }).click();
    await page.getByRole("heading", { level: 1, name: "Mi pedido no llegó" }).waitFor();
    await page.getByText("Lo enviamos mañana").waitFor();
    assert.equal(await page.getByText("Nota interna").count(), 0, "no internal note");
    await accessible(page, `request (${size})`);
    await shot("request");

    const reply = `Gracias, lo espero (${size})`;
    await page.getByLabel("Tu respuesta").fill(reply);
    await page.getByRole("button", { name: "Enviar" }).click();
    await page.getByRole("status").getByText("Tu respuesta se ha añadido").waitFor();
    await page.getByText(reply).waitFor();
    await accessible(page, `request after a reply (${size})`);

    await page.getByRole("navigation", { name: "Tu cuenta" }).getByRole("button", { name: "Cerrar sesión" }).click();
    await page.waitForURL(/\/hc\/es$/);
    await page.getByRole("navigation", { name: "Tu cuenta" }).getByRole("link", { name: "Iniciar sesión" }).waitFor();
  }
  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
} finally {
  await browser.close();
}
