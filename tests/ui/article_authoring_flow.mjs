// A writer authors an article in the workspace with headless Chromium:
// creates a draft, formats the body with the toolbar (keyboard and mouse),
// previews it, publishes it, translates it beside the source text, attaches
// a file, and brings an earlier version back from the history; axe checks
// every page. Run by the Rust test
// `api::article_authoring::a_writer_authors_an_article_in_the_browser`,
// which starts the server and makes the section.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "UTC", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const shot = (name) => page.screenshot({ path: `${shots}/${tag}-articles-${name}.png`, fullPage: true });

  await page.goto(`${base}/agent/articles`);
  await page.fill("#email", "admin@example.com");
  await page.fill("#password", "admin-password-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/agent\/articles$/);
  await page.getByRole("heading", { level: 1, name: "Artículos" }).waitFor();
  await accessible(page, "article list");

  // A new draft, in Spanish, in the section.
  await page.getByLabel("Título").fill("Cómo cambiar la dirección de envío");
  await page.getByLabel("Sección").selectOption({ label: "Envíos" });
  await page.locator("#new-locale").selectOption("es");
  await page.getByRole("button", { name: "Crear borrador" }).click();
  await page.waitForURL(/\/agent\/articles\/\d+$/);
  const editor = page.url();
  await page.getByRole("heading", { level: 1, name: "Cómo cambiar la dirección de envío" }).waitFor();
  await accessible(page, "editor");

  // The body as the editor's script makes it: a page just loaded shows
  // the plain textarea until the script has put the toolbar over it.
  const body = async () => {
    await page.getByRole("toolbar", { name: "Formato" }).waitFor();
    return page.getByRole("textbox", { name: "Cuerpo" });
  };

  // The toolbar formats the text: a heading, bold words, a list.
  const box = await body();
  const bar = page.getByRole("toolbar", { name: "Formato" });
  await box.click();
  await page.keyboard.type("Antes de que salga el pedido");
  await bar.getByRole("button", { name: "Encabezado", exact: true }).click();
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await bar.getByRole("button", { name: "Negrita" }).click();
  await page.keyboard.type("Mi cuenta");
  await bar.getByRole("button", { name: "Negrita" }).click();
  await page.keyboard.type(" y luego Pedidos.");
  await page.keyboard.press("Enter");
  await bar.getByRole("button", { name: "Lista con viñetas" }).click();
  await page.keyboard.type("Elige el pedido");
  // One tab stop for the toolbar; arrows move along it.
  await bar.getByRole("button", { name: "Negrita" }).focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Cursiva");

  // Preview: shown, not saved.
  await page.getByRole("button", { name: "Vista previa" }).click();
  const preview = page.getByRole("region", { name: /Vista previa/ });
  await preview.locator("h2, h3").filter({ hasText: "Antes de que salga el pedido" }).first().waitFor();
  await preview.locator("strong", { hasText: "Mi cuenta" }).waitFor();
  await preview.locator("li", { hasText: "Elige el pedido" }).waitFor();
  await accessible(page, "preview");
  await shot("preview");

  // Published: on the help center.
  await page.getByRole("button", { name: "Publicar", exact: true }).click();
  await page.getByRole("status").getByText("Guardado").waitFor();
  await page.getByRole("link", { name: "Ver en el centro de ayuda" }).click();
  await page.getByRole("heading", { level: 1, name: "Cómo cambiar la dirección de envío" }).waitFor();
  await page.locator("strong", { hasText: "Mi cuenta" }).waitFor();
  await page.goBack();

  // The English text, written beside the Spanish one.
  await page.goto(`${editor}?locale=en-us`);
  await page.getByRole("region", { name: "Texto original" }).getByText("Mi cuenta").waitFor();
  await page.getByLabel("Título").fill("Change the delivery address");
  await (await body()).click();
  await page.keyboard.type("Before the order ships, go to My account.");
  await page.getByRole("button", { name: "Publicar", exact: true }).click();
  await page.getByRole("status").getByText("Guardado").waitFor();
  await accessible(page, "translation side by side");
  await shot("translation");

  // A document attached, listed on the article's page.
  const file = `${shots}/${tag}-guia.pdf`;
  writeFileSync(file, "%PDF-1.4\n% atiende test\n");
  await page.goto(editor);
  await page.getByLabel("Archivo", { exact: true }).setInputFiles(file);
  await page.getByRole("button", { name: "Adjuntar" }).click();
  await page.getByRole("link", { name: `${tag}-guia.pdf` }).waitFor();

  // An image attached to show in the text, inserted with its description.
  const png = `${shots}/${tag}-mapa.png`;
  writeFileSync(png, Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"));
  await page.getByLabel("Archivo", { exact: true }).setInputFiles(png);
  await page.getByLabel(/Imagen para mostrar en el cuerpo/).check();
  await page.getByRole("button", { name: "Adjuntar" }).click();
  await page.getByRole("link", { name: `${tag}-mapa.png` }).waitFor();
  await (await body()).click();
  await page.keyboard.press("Control+End");
  page.once("dialog", (d) => d.accept("Mapa de las zonas de envío"));
  await page.getByRole("button", { name: `Insertar en el texto: ${tag}-mapa.png` }).click();
  await page.getByRole("button", { name: "Publicar", exact: true }).click();
  await page.getByRole("status").getByText("Guardado").waitFor();
  await accessible(page, "editor with an image");

  // The history: the first published text comes back after a change.
  await (await body()).click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Texto equivocado");
  await page.getByRole("button", { name: "Publicar", exact: true }).click();
  await page.getByRole("status").getByText("Guardado").waitFor();
  const history = page.getByRole("region", { name: "Historial de cambios" });
  const published = history.locator("li").filter({ hasText: "es · Publicado" }).nth(1);
  await published.locator("summary").click();
  await published.getByRole("button", { name: "Restaurar esta versión" }).click();
  await page.getByRole("status").getByText("Se ha restaurado").waitFor();
  assert.ok((await page.getByRole("textbox", { name: "Cuerpo" }).innerHTML()).includes("Mi cuenta"));
  await accessible(page, "editor after restore");
  await shot("history");

  await page.goto(`${editor.replace(/\/agent\/articles\/(\d+)$/, "/hc/es/articles/$1")}`);
  await page.getByRole("link", { name: `${tag}-guia.pdf` }).waitFor();
  await page.locator("strong", { hasText: "Mi cuenta" }).waitFor();
  const shown = page.getByRole("img", { name: "Mapa de las zonas de envío" });
  await shown.waitFor();
  assert.ok(await shown.evaluate((img) => img.complete && img.naturalWidth > 0), "the image loads");
  await accessible(page, "published article with an image");

  assert.deepEqual(errors, [], "no script errors");
  await ctx.close();
} finally {
  await browser.close();
}
