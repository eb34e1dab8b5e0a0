// The chat widget embedded in a shop's page on another origin (served
// here, on its own port, with CSS that would break a widget not in a
// shadow root): a visitor fills the pre-chat form, the bot answers with an
// article, the visitor asks for a person; an agent online in a second
// browser context is offered the chat in their tabs and accepts it, the
// visitor sees who joined (name and avatar) and when their lines are read,
// each sees the other typing, the agent replies; the reply reaches the
// widget at once, the visitor's next line and a picture reach the case, and the agent
// ends the chat. A reload continues the same chat; the language switches;
// on a phone-sized screen the panel fits. The admins' invitation for the
// page shows by itself and opens the chat. Off hours with the agent
// offline, the widget says from when a person will answer and the chat
// continues by email: it asks for the address. Where WebSockets
// are blocked, the widget long-polls and still hears the agent.
// axe checks the page with the widget open. Run by the Rust test
// `api::chat::a_visitor_and_an_agent_chat_in_the_browser` (and, with the
// agent on a second PostgreSQL node, `…_across_postgresql_nodes`).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
// The agent's workspace: another node where the test runs two.
const agentBase = process.env.ATIENDE_AGENT_URL || base;
const key = process.env.CHAT_KEY;
const port = Number(process.env.PAGE_PORT);
const admin = { email: process.env.ATIENDE_EMAIL, password: process.env.ATIENDE_PASSWORD };
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });

const shop = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>Tienda de prueba</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>button { all: unset; color: red; font-size: 40px; } * { font-family: serif !important; }</style>
</head><body><main><h1>Tienda de prueba</h1><p>Zapatillas y más.</p></main>
<script type="module" src="${base}/chat/widget.js" data-key="${key}"></script>
</body></html>`;
const server = createServer((req, res) => {
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(shop);
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
const page_url = `http://127.0.0.1:${port}/tienda`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  const visitorCtx = await browser.newContext({ locale: "es-ES", viewport: { width: 1280, height: 900 } });
  const v = await visitorCtx.newPage();
  const errors = [];
  v.on("pageerror", (e) => errors.push(String(e)));
  const shot = (p, name) => p.screenshot({ path: `${shots}/${tag}-chat-${name}.png`, fullPage: true });

  // The agent signs in and goes online for chats.
  const agentCtx = await browser.newContext({ locale: "es-ES", viewport: { width: 1280, height: 900 } });
  const a = await agentCtx.newPage();
  a.on("pageerror", (e) => errors.push(`agent: ${e}`));
  await a.goto(`${agentBase}/agent?queue=unsolved`);
  await a.fill("#email", admin.email);
  await a.fill("#password", admin.password);
  await a.click("button[type=submit]");
  await a.waitForURL(/\/agent/);
  await a.goto(`${agentBase}/agent?queue=unsolved`);
  await Promise.all([a.waitForNavigation(), a.locator("#presence-pick").selectOption("online")]);
  assert.equal(await a.locator("#presence-pick").inputValue(), "online");

  await v.goto(page_url);
  const launcher = v.getByRole("button", { name: "Abrir el chat" });
  await launcher.waitFor();
  // The page's CSS did not reach the widget.
  const size = await launcher.evaluate((b) => getComputedStyle(b).fontSize);
  assert.equal(size, "16px", "the shop's styles stay out of the widget");
  // The admins' invitation for this page shows by itself, and opens the chat.
  const invite = v.getByRole("button", { name: "¿Te ayudamos a elegir?" });
  await invite.waitFor({ timeout: 10000 });
  await accessible(v, "shop page with the chat invitation");
  await invite.click();
  const panel = v.getByRole("dialog", { name: "Chat de atención al cliente" });
  await panel.waitFor();
  await panel.getByText("Estás hablando con el asistente virtual.").waitFor();
  await accessible(v, "shop page with the chat open");
  await shot(v, "open");

  // Pre-chat form and the first line: the bot answers with the article.
  await panel.getByLabel("Nombre").fill("Ana Visitante");
  await panel.getByLabel("Correo electrónico").fill("ana.visitante@example.com");
  await panel.getByLabel("Tema").selectOption("Pedidos");
  await panel.getByLabel("Escribe tu mensaje").fill("hola, ¿cómo cambio mi contraseña?");
  await panel.getByLabel("Escribe tu mensaje").press("Enter");
  const log = panel.getByRole("log");
  await log.getByText("Enviado").first().waitFor();
  await log.getByRole("link", { name: "Cómo cambiar la contraseña" }).waitFor();
  await accessible(v, "the bot's answer");
  await shot(v, "bot");

  // A person, please.
  await panel.getByRole("button", { name: "Hablar con una persona" }).click();
  await log.getByText("Te paso con una persona del equipo. Te responderá aquí en breve.").waitFor();
  await panel.getByText("Una persona del equipo te atenderá aquí.").waitFor();

  // The agent, online in another browser, is offered the chat in their
  // tabs at once (no reload) and accepts it.
  const tabs = a.getByRole("navigation", { name: "Chats" });
  await tabs.getByText("Chat ofrecido").waitFor({ timeout: 10000 });
  await tabs.getByText("Ana Visitante").waitFor();
  await accessible(a, "a chat offered to the agent");
  await shot(a, "offer");
  await tabs.getByRole("button", { name: "Aceptar" }).click();
  await a.waitForURL(/\/agent\/tickets\/\d+/);
  await a.locator(".entry.comment", { hasText: "hola, ¿cómo cambio mi contraseña?" }).first().waitFor();
  await tabs.getByRole("link", { name: /Ana Visitante/ }).waitFor();
  // The visitor sees who joined, and that their lines were read.
  await log.getByText(/se ha unido al chat/).waitFor({ timeout: 10000 });
  await panel.getByText(/^Hablas con /).waitFor();
  await log.getByText(/Leído/).first().waitFor({ timeout: 10000 });
  await shot(v, "accepted");
  // Typing shows both ways.
  await a.locator("#reply-body").pressSequentially("Hola");
  await log.page().waitForFunction(() => {
    const root = document.getElementById("atiende-chat").shadowRoot;
    return !root.querySelector(".typing").hidden;
  }, null, { timeout: 10000 });
  await panel.getByLabel("Escribe tu mensaje").pressSequentially("un");
  await a.locator("#chat-typing").waitFor({ state: "visible", timeout: 10000 });
  await panel.getByLabel("Escribe tu mensaje").fill("");
  await a.fill("#reply-body", "Hola Ana, soy del equipo. Te ayudo ahora.");
  await a.click("#reply-form button[type=submit]");
  await a.locator(".entry.comment.public", { hasText: "Te ayudo ahora" }).waitFor();

  // The visitor sees it without doing anything.
  await log.getByText("Hola Ana, soy del equipo. Te ayudo ahora.").waitFor({ timeout: 10000 });
  await shot(v, "agent-reply");

  // The visitor writes again: on the case.
  await panel.getByLabel("Escribe tu mensaje").fill("<b>gracias</b>, ya entré ");
  // An emoji from the widget's list, by keyboard.
  await panel.getByRole("button", { name: "Insertar un emoji" }).click();
  await panel.getByRole("group", { name: "Insertar un emoji" }).getByRole("button", { name: "🙏" }).press("Enter");
  assert.equal(await panel.getByLabel("Escribe tu mensaje").inputValue(), "<b>gracias</b>, ya entré 🙏");
  await panel.getByLabel("Escribe tu mensaje").press("Enter");
  await log.getByText("<b>gracias</b>, ya entré 🙏").waitFor();
  // A picture, through the widget's file button: in the chat and on the case.
  await panel.getByRole("button", { name: "Adjuntar un archivo" }).waitFor();
  const picture = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(3000, 7)]);
  await panel.locator("input[type=file]").setInputFiles({ name: "caja.png", mimeType: "image/png", buffer: picture });
  await log.getByRole("link", { name: /caja\.png/ }).waitFor({ timeout: 10000 });
  await a.reload();
  await a.locator(".entry.comment", { hasText: "gracias" }).first().waitFor({ timeout: 10000 });
  await a.getByRole("link", { name: /caja\.png/ }).first().waitFor({ timeout: 10000 });

  // The agent ends the chat from the ticket page; the visitor is told.
  await a.getByRole("button", { name: "Terminar el chat" }).click();
  await log.getByText(/El equipo ha terminado la conversación/).waitFor({ timeout: 10000 });
  assert.equal(await a.getByRole("button", { name: "Terminar el chat" }).count(), 0, "no chat left to end");

  // How it went: two buttons at the end of the chat; the click answers.
  const survey = log.getByRole("group", { name: "¿Cómo valora la atención que recibió?" });
  await survey.waitFor({ timeout: 10000 });
  await accessible(v, "the survey at the end of a chat");
  await survey.getByRole("button", { name: "👍 Buena" }).click();
  await survey.getByText("¡Gracias por su respuesta!").waitFor({ timeout: 10000 });

  // A reload continues the same chat.
  await v.reload();
  await v.getByRole("button", { name: "Abrir el chat" }).click();
  await panel.getByRole("log").getByText("Hola Ana, soy del equipo. Te ayudo ahora.").waitFor();
  assert.equal(await panel.getByRole("log").getByText("hola, ¿cómo cambio mi contraseña?").count(), 1, "each line once");

  // English, at a click.
  await panel.getByRole("button", { name: "English" }).click();
  await v.getByRole("dialog", { name: "Customer support chat" }).getByRole("button", { name: "Send" }).waitFor();
  await accessible(v, "the chat in English");

  // A phone-sized screen: the panel fits.
  await v.setViewportSize({ width: 375, height: 740 });
  const box = await v.getByRole("dialog", { name: "Customer support chat" }).boundingBox();
  assert.ok(box && box.width <= 375 && box.height <= 740, `the panel fits a phone: ${JSON.stringify(box)}`);
  await shot(v, "phone");

  // A network that blocks WebSockets: the widget falls back to long-polling
  // and the agent's reply still arrives by itself.
  const blockedCtx = await browser.newContext({ locale: "es-ES" });
  await blockedCtx.routeWebSocket(/\/chat\/v1\//, (ws) => ws.close());
  // Nobody online for chats now: the chat continues by email.
  await a.goto(`${agentBase}/agent?queue=unsolved`);
  await Promise.all([a.waitForNavigation(), a.locator("#presence-pick").selectOption("offline")]);
  const w = await blockedCtx.newPage();
  w.on("pageerror", (e) => errors.push(`blocked: ${e}`));
  await w.goto(page_url);
  await w.getByRole("button", { name: "Abrir el chat" }).click();
  const wpanel = w.getByRole("dialog", { name: "Chat de atención al cliente" });
  await wpanel.getByLabel("Escribe tu mensaje").fill("quiero hablar con una persona por favor");
  await wpanel.getByLabel("Escribe tu mensaje").press("Enter");
  // Closed, and nobody online: the widget says from when, and asks where to answer.
  await wpanel.getByRole("log").getByText(/Ahora nadie puede atenderte en directo\. Una persona te responderá a partir del .+\(Europe\/Madrid\)/).waitFor();
  await wpanel.getByText("Una persona te responderá por email.").waitFor();
  await wpanel.getByLabel("Tu email, para nuestra respuesta").fill("luis.widget@example.com");
  await wpanel.getByRole("button", { name: "Guardar" }).click();
  await wpanel.getByRole("log").getByText("Gracias. Te responderemos en luis.widget@example.com.").waitFor();
  await accessible(w, "a chat that continues by email");
  await a.goto(`${agentBase}/agent?queue=unsolved`);
  await a.getByRole("link", { name: /Chat: quiero hablar con una persona por favor/ }).first().click();
  await a.fill("#reply-body", "Te respondo aunque no haya WebSocket.");
  await a.click("#reply-form button[type=submit]");
  await wpanel.getByRole("log").getByText("Te respondo aunque no haya WebSocket.").waitFor({ timeout: 30000 });
  await blockedCtx.close();

  // The admins' page for widgets.
  await a.goto(`${agentBase}/agent/admin/chat`);
  await a.getByRole("heading", { level: 1 }).waitFor();
  await accessible(a, "chat widgets admin");

  assert.deepEqual(errors, [], "no script errors");
  await visitorCtx.close();
  await agentCtx.close();
} finally {
  await browser.close();
  server.close();
}
