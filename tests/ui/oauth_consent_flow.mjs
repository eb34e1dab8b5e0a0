// OAuth consent in a real browser: an application the admin registered
// sends an agent to the consent page; she signs in, reads what it asks
// (in Spanish), allows it, and Chromium follows the redirect to the
// application's registered address with a code and the state — the
// page's content policy lets the form lead there and nowhere else. The
// application trades the code for a token that reads as her. axe checks
// the consent page. Run by the Rust test
// `api::oauth::the_consent_page_in_the_browser`.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
const redirect = process.env.REDIRECT_URI;
const secret = process.env.CLIENT_SECRET;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const ctx = await browser.newContext({ locale: "es-ES", timezoneId: "Europe/Madrid", viewport: { width: 1024, height: 800 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const ask = `${base}/oauth/authorizations/new?response_type=code&client_id=panel&scope=read&state=estado-7&redirect_uri=${encodeURIComponent(redirect)}`;

  // Not signed in: the sign-in page first, then back to the question.
  await page.goto(ask);
  await page.fill("#email", "lola@oauth.test");
  await page.fill("#password", "lola-oauth-pass-1");
  await page.click("button[type=submit]");
  await page.waitForURL(/\/oauth\/authorizations\/new/);
  await page.getByRole("heading", { name: "¿Permitir el acceso?" }).waitFor();
  await page.getByText("Panel de datos pide actuar por ti, Lola").waitFor();
  await page.getByText("leer lo que tú puedes ver").waitFor();
  assert.equal(await page.getByText("cambiar lo que tú puedes cambiar").count(), 0, "read only was asked");
  await accessible(page, "OAuth consent");
  await page.screenshot({ path: `${shots}/${tag}-oauth-consent.png`, fullPage: true });

  // Allowed: the browser goes on to the application's address.
  await page.getByRole("button", { name: "Permitir" }).click();
  await page.waitForURL((u) => u.href.startsWith(redirect) && u.searchParams.has("code"), { timeout: 10000 });
  const back = new URL(page.url());
  assert.equal(back.searchParams.get("state"), "estado-7");
  const code = back.searchParams.get("code");

  // The application trades the code for her token.
  const r = await fetch(`${base}/oauth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "authorization_code", code, client_id: "panel", client_secret: secret, redirect_uri: redirect }),
  });
  const token = await r.json();
  assert.equal(r.status, 200, JSON.stringify(token));
  assert.equal(token.scope, "read");
  const me = await fetch(`${base}/api/v2/users/me.json`, { headers: { authorization: `Bearer ${token.access_token}` } });
  assert.equal((await me.json()).user.email, "lola@oauth.test");
  assert.deepEqual(errors, [], "no script errors");
} finally {
  await browser.close();
}
