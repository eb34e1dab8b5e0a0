// A visitor reads the public help center in headless Chromium: arrives in
// their browser's language, searches, opens an article, follows the
// breadcrumbs, switches language; axe checks every page, on a desktop and
// on a phone-sized screen. Run by the Rust test
// `api::help_center_site::a_visitor_finds_an_answer_in_either_language`,
// which starts the server and writes the articles.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  for (const [size, viewport] of [["desktop", { width: 1280, height: 900 }], ["phone", { width: 375, height: 740 }]]) {
    const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "UTC", viewport });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    const shot = (name) => page.screenshot({ path: `${shots}/${tag}-hc-${size}-${name}.png`, fullPage: true });

    // A Spanish browser lands on the Spanish front page.
    await page.goto(`${base}/hc`);
    assert.match(page.url(), /\/hc\/es$/);
    await page.getByRole("heading", { level: 1, name: "Centro de ayuda" }).waitFor();
    await accessible(page, `help center home (${size})`);
    await shot("home");

    // Searching without accents finds the article, match highlighted.
    await page.getByLabel("Buscar en el centro de ayuda").fill("contrasena");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/hc\/es\/search\?query=contrasena/);
    await page.getByRole("status").getByText("artículos encontrados").waitFor();
    assert.ok((await page.locator(".hits em").count()) > 0, "matches are highlighted");
    await accessible(page, `search results (${size})`);
    await shot("search");

    // The article, its breadcrumbs, and the section it is in.
    await page.getByRole("link", { name: "Cómo cambiar la contraseña" }).click();
    await page.getByRole("heading", { level: 1, name: "Cómo cambiar la contraseña" }).waitFor();
    await accessible(page, `article (${size})`);
    await shot("article");
    // "Was this helpful?": yes, then thanked, with the count shown.
    await page.getByRole("button", { name: "Sí" }).click();
    await page.getByRole("status").getByText("Gracias por tu respuesta").waitFor();
    await page.getByText(/les ha resultado útil/).waitFor();
    await accessible(page, `article after a vote (${size})`);
    const crumbs = page.getByRole("navigation", { name: "Estás aquí" });
    await crumbs.getByRole("link", { name: "Contraseñas" }).click();
    await page.getByRole("heading", { level: 1, name: "Contraseñas" }).waitFor();
    await accessible(page, `section (${size})`);
    await page.getByRole("navigation", { name: "Estás aquí" }).getByRole("link", { name: "Cuenta" }).click();
    await page.getByRole("heading", { level: 1, name: "Cuenta" }).waitFor();
    await accessible(page, `category (${size})`);

    // Nothing found says what to do next.
    await page.goto(`${base}/hc/es/search?query=reembolsos`);
    await page.getByRole("status").getByText("Ningún artículo coincide").waitFor();
    await accessible(page, `search without results (${size})`);

    // The switcher goes to English; the page speaks English.
    await page.getByRole("navigation", { name: "Idioma" }).getByRole("link", { name: "English" }).click();
    await page.waitForURL(/\/hc\/en-us$/);
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await page.getByRole("link", { name: "Passwords" }).click();
    await page.getByRole("link", { name: "Reset your password" }).click();
    await page.getByRole("heading", { level: 1, name: "Reset your password" }).waitFor();
    await accessible(page, `English article (${size})`);

    // A page that is not there (or not public) is a page in words.
    const missing = await page.goto(`${base}/hc/en-us/articles/999999`);
    assert.equal(missing.status(), 404);
    await page.getByRole("alert").getByText("could not find that page").waitFor();
    await accessible(page, `not found (${size})`);

    assert.deepEqual(errors, [], "no script errors");
    await ctx.close();
  }
} finally {
  await browser.close();
}
