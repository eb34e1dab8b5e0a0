// A signed-in customer asks the help center's bot, on a desktop and on a
// phone-sized screen: the bot suggests an article; asked for a person, it
// hands over — the page says the question is on their request and when a
// person will answer — and the request shows the conversation. axe checks
// every page. Run by the Rust test
// `api::handover::a_customer_hands_over_in_the_browser`.
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
    const shot = (name) => page.screenshot({ path: `${shots}/${tag}-handover-${size}-${name}.png`, fullPage: true });

    await page.goto(`${base}/hc/es/signin`);
    await page.locator("#pw-email").fill("lucia@example.com");
    await page.locator("#pw").fill("clave-de-lucia-1");
    await page.locator("#pw").press("Enter");
    await page.waitForURL(/\/hc\/es\/requests$/);

    // A question in the search box: the bot suggests an article.
    await page.goto(`${base}/hc/es`);
    await page.getByLabel("Buscar en el centro de ayuda").fill("donde esta mi pedido");
    await page.keyboard.press("Enter");
    const bot = page.getByRole("region", { name: "Respuesta sugerida" });
    await bot.getByRole("link", { name: "Dónde está mi pedido" }).waitFor();
    await accessible(page, `bot answer (${size})`);
    await shot("answer");

    // Asking for a person: handed over.
    await page.getByLabel("Buscar en el centro de ayuda").fill("quiero hablar con una persona");
    await page.keyboard.press("Enter");
    await bot.getByText("Te ponemos con una persona").waitFor();
    await page.getByLabel("Cuéntanos algo más (opcional)").fill(`Mi pedido 1234 sigue sin llegar (${size})`);
    await page.getByRole("button", { name: "Hablar con una persona" }).click();
    await page.getByRole("heading", { level: 1, name: "Te atenderá una persona" }).waitFor();
    await page.getByRole("status").getByText(/solicitud/).waitFor();
    assert.ok(/(pronto|cerrados)/.test(await page.locator("main").innerText()), "says when a person will answer");
    await accessible(page, `handed over (${size})`);
    await shot("handed-over");

    // The request holds the conversation.
    await page.getByRole("link", { name: "Ver la solicitud" }).click();
    await page.getByText(`Mi pedido 1234 sigue sin llegar (${size})`).first().waitFor();
    await page.getByText("Cliente: quiero hablar con una persona").first().waitFor();
    await accessible(page, `request after the hand-over (${size})`);

    assert.deepEqual(errors, [], "no script errors");
    await ctx.close();
  }
} finally {
  await browser.close();
}
