// Drives the agent workspace in headless Chromium (Debian's /usr/bin/chromium)
// the way two agents would use it. Run by the Rust test `ui::browser_flow`,
// which starts the server and passes the accounts and tickets by environment.
// Screenshots of the main pages go to $ATIENDE_ARTIFACTS.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { accessible } from "./axe.mjs";

const base = process.env.ATIENDE_URL;
// Agent B may work on another node of the same cluster (PostgreSQL runs).
const baseB = process.env.ATIENDE_URL2 || base;
const admin = { email: process.env.ATIENDE_EMAIL, password: process.env.ATIENDE_PASSWORD };
const second = { email: process.env.ATIENDE_AGENT2_EMAIL, password: process.env.ATIENDE_AGENT2_PASSWORD, name: process.env.ATIENDE_AGENT2_NAME };
const ticketId = process.env.ATIENDE_TICKET;
const subject = process.env.ATIENDE_SUBJECT;
const evilId = process.env.ATIENDE_EVIL_TICKET;
const dupId = process.env.ATIENDE_DUP_TICKET;
const shots = process.env.ATIENDE_ARTIFACTS || "target/ui-artifacts";
const tag = process.env.ATIENDE_BACKEND || "test";
mkdirSync(shots, { recursive: true });
const shot = (page, name) => page.screenshot({ path: `${shots}/${tag}-${name}.png`, fullPage: true });

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
try {
  // ---- Agent A, English browser -------------------------------------------
  const ctxA = await browser.newContext({ locale: "en-US", timezoneId: "UTC" });
  const a = await ctxA.newPage();
  const errors = [];
  a.on("pageerror", (e) => errors.push(String(e)));
  a.on("dialog", (d) => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });

  // No session: sent to sign in, and back to the page asked for after.
  await a.goto(`${base}/agent?queue=unsolved`);
  assert.match(a.url(), /\/login\?next=/);
  await shot(a, "login");
  await accessible(a, "sign-in");
  await a.fill("#email", admin.email);
  await a.fill("#password", "not the password");
  await a.click("button[type=submit]");
  await a.getByRole("alert").getByText("do not match").waitFor();
  await a.fill("#password", admin.password);
  await a.click("button[type=submit]");
  await a.waitForURL(/\/agent\?queue=unsolved/);

  // Find the ticket through a view.
  await a.getByRole("link", { name: /All unsolved/ }).click();
  await a.getByRole("link", { name: subject }).waitFor();
  await shot(a, "queue");
  await accessible(a, "queue");

  // ... and through search, with the API's query syntax.
  await a.fill("#q", `status<solved "${subject.split(" ").slice(0, 2).join(" ")}"`);
  await a.press("#q", "Enter");
  await a.waitForURL(/\/agent\/search\?q=/);
  await a.getByRole("link", { name: subject }).click();
  await a.waitForURL(new RegExp(`/agent/tickets/${ticketId}$`));
  await shot(a, "ticket");
  await accessible(a, "ticket");

  // Public reply, then an internal note: both in the timeline, told apart.
  await a.check("#mode-public");
  await a.fill("#reply-body", "Hola, ya revisamos tu pedido.");
  await a.click("#reply-form button[type=submit]");
  await a.getByRole("status").getByText("Reply sent.").waitFor();
  await a.locator(".entry.comment.public", { hasText: "ya revisamos tu pedido" }).waitFor();
  await a.check("#mode-internal");
  await a.fill("#reply-body", "Nota: el cliente es VIP.");
  await a.click("#reply-form button[type=submit]");
  await a.locator(".entry.comment.internal", { hasText: "el cliente es VIP" }).waitFor();

  // Change fields in the side panel.
  await a.selectOption("#p-priority", "high");
  await a.fill("#p-tags", "vip pedido");
  await a.click("#props button[type=submit]");
  await a.getByRole("status").getByText("Saved.").waitFor();
  assert.equal(await a.inputValue("#p-priority"), "high");
  assert.equal(await a.inputValue("#p-tags"), "pedido vip");
  await a.locator(".entry.audit", { hasText: "Priority" }).first().waitFor();

  // A goodwill gesture: recorded from the side panel (the form checked by
  // axe while open), listed there, and noted in the timeline.
  await a.click(".goodwill-form summary");
  await accessible(a, "ticket-goodwill");
  await a.selectOption("#gw-kind", "refund");
  await a.fill("#gw-amount", "12,50");
  await a.fill("#gw-currency", "eur");
  await a.fill("#gw-reason", "El pedido llegó tarde");
  await a.click(".goodwill-form button[type=submit]");
  await a.getByRole("status").getByText("Goodwill gesture recorded.").waitFor();
  await a.locator(".gestures li", { hasText: "12.50 EUR" }).waitFor();
  await a.locator(".entry.comment.internal", { hasText: "Goodwill gesture: refund 12.50 EUR" }).waitFor();

  // A macro fills the reply box; sending applies its changes in one audit.
  await a.selectOption("#macro", { label: "Pedir número de pedido" });
  await a.waitForFunction(() => document.getElementById("reply-body").value.includes("número de pedido"));
  assert.equal(await a.inputValue("#submit-as"), "pending");
  await a.click("#reply-form button[type=submit]");
  await a.locator(".entry.comment.public", { hasText: "¿Nos das tu número de pedido?" }).waitFor();
  assert.equal(await a.inputValue("#p-status"), "pending");
  assert.match(await a.inputValue("#p-tags"), /esperando_cliente/);

  // ---- Agent B, Spanish browser: live reply and presence -----------------------
  const ctxB = await browser.newContext({ locale: "es-ES", timezoneId: "Europe/Madrid" });
  const b = await ctxB.newPage();
  b.on("pageerror", (e) => errors.push(`B: ${e}`));
  await b.goto(`${baseB}/login`);
  await b.getByRole("heading", { name: "Entra en atiende" }).waitFor();
  await b.fill("#email", second.email);
  await b.fill("#password", second.password);
  await b.click("button[type=submit]");
  await b.waitForURL(/\/agent/);
  await b.getByRole("heading", { name: "Colas" }).waitFor();
  await b.goto(`${baseB}/agent/tickets/${ticketId}`);
  await b.waitForFunction(() => document.body.dataset.live === "on");
  await a.waitForFunction(() => document.body.dataset.live === "on");

  // A sees B arrive, then sees B typing a reply (collision detection).
  await a.locator("#presence", { hasText: `${second.name} (viewing)` }).waitFor({ timeout: 10000 });
  await b.fill("#reply-body", "Te escribo en un momento");
  await b.type("#reply-body", ".");
  await a.locator("#presence.collision", { hasText: `${second.name} (replying)` }).waitFor({ timeout: 10000 });

  // B's reply appears on A's open page without a reload.
  await b.click("#reply-form button[type=submit]");
  await b.getByRole("status").getByText("Respuesta enviada.").waitFor();
  await a.locator(".entry.comment.public", { hasText: "Te escribo en un momento" }).waitFor({ timeout: 10000 });
  await shot(a, "ticket-live");

  // A's side panel is now stale: saving it must not overwrite B's change silently.
  await a.selectOption("#p-priority", "urgent");
  await a.click("#props button[type=submit]");
  await a.locator("#conflict").waitFor();
  assert.equal(await a.inputValue("#p-priority"), "high", "the page shows the current values again");

  // A lost connection reconnects and catches up from the event log.
  await a.goto(`${base}/agent/tickets/${ticketId}`);
  await a.waitForFunction(() => document.body.dataset.live === "on");
  await a.evaluate(() => window.atiendeLive.drop());
  await b.fill("#reply-body", "Segundo mensaje tras reconectar");
  await b.click("#reply-form button[type=submit]");
  await a.locator(".entry.comment", { hasText: "Segundo mensaje tras reconectar" }).waitFor({ timeout: 10000 });

  // Customer HTML with scripts renders harmlessly.
  await a.goto(`${base}/agent/tickets/${evilId}`);
  await a.locator(".entry.comment .body").first().waitFor();
  assert.equal(await a.evaluate(() => window.__pwned), undefined);
  assert.equal(await a.locator(".entry .body script").count(), 0);

  // Customer panel: add an identity; merge a second profile of the same
  // person with a preview first, then undo it.
  await a.goto(`${base}/agent/tickets/${ticketId}`);
  await a.selectOption("#identity-kind", "phone_number");
  await a.fill("#identity-value", "+34 600 111 222");
  await a.click(".add-identity button[type=submit]");
  // Stored in the one form every channel matches it in.
  await a.locator(".identities", { hasText: "+34600111222" }).waitFor();
  await a.goto(`${base}/agent/tickets/${dupId}`);
  await a.fill("#merge-into", "lucia@example.com");
  await a.click("form.merge button[type=submit]");
  await a.locator(".merge-moves", { hasText: "lucia.p@example.com" }).waitFor();
  await a.locator(".merge-moves", { hasText: "Otra consulta" }).waitFor();
  await shot(a, "merge-preview");
  await a.getByRole("button", { name: "Merge", exact: true }).click();
  await a.getByRole("button", { name: "Undo" }).waitFor();
  const mergeUrl = a.url();
  await a.goto(`${base}/agent/tickets/${ticketId}`);
  await a.locator(".identities", { hasText: "lucia.p@example.com" }).waitFor();
  await a.locator(".earlier", { hasText: "Otra consulta" }).waitFor();
  await a.goto(mergeUrl);
  await a.getByRole("button", { name: "Undo" }).click();
  await a.getByRole("status").getByText("undone").waitFor();
  await a.goto(`${base}/agent/tickets/${ticketId}`);
  assert.equal(await a.locator(".identities", { hasText: "lucia.p@example.com" }).count(), 0);
  assert.equal(await a.locator(".earlier", { hasText: "Otra consulta" }).count(), 0);

  // Keyboard: ? opens the shortcut list; j and k move through the last list.
  await a.keyboard.press("?");
  await a.locator("#help[open]").waitFor();
  await a.keyboard.press("Escape");
  await a.goto(`${base}/agent?queue=unsolved&sort=created_at`);
  const listed = await a.$$eval("table.tickets tbody tr", (rs) => rs.map((r) => r.dataset.ticket));
  await a.keyboard.press("j");
  await a.keyboard.press("Enter");
  await a.waitForURL(new RegExp(`/agent/tickets/${listed[0]}$`));
  await a.keyboard.press("j");
  await a.waitForURL(new RegExp(`/agent/tickets/${listed[1]}$`));
  await a.keyboard.press("r");
  assert.equal(await a.evaluate(() => document.activeElement.id), "reply-body");

  // Admin pages.
  await a.goto(`${base}/agent/admin/agents`);
  await a.getByRole("heading", { name: "Agents" }).waitFor();
  await shot(a, "admin-agents");
  await accessible(a, "admin");

  // Email admin: add a support address with an IMAP account, edit the mail texts.
  await a.goto(`${base}/agent/admin/email`);
  await a.getByRole("heading", { name: "Support addresses" }).waitFor();
  await a.locator("summary", { hasText: "Add address" }).click();
  await a.fill("#new-email", "ventas@example.com");
  await a.fill("#new-name", "Ventas");
  await a.fill("#new-host", "imap.example.com");
  await a.fill("#new-user", "ventas");
  await a.fill("#new-password", "imap-secret-1");
  await a.locator('form[action="/agent/admin/email/mailboxes"] button[type="submit"]').click();
  await a.getByRole("cell", { name: "ventas@example.com" }).waitFor();
  assert.ok(!(await a.content()).includes("imap-secret-1"), "the IMAP password is never shown");
  await a.fill("#ack-subject-es", "Recibido: {{ticket.title}} [#{{ticket.id}}]");
  await a.locator('form[action="/agent/admin/email/templates"] button[type="submit"]').click();
  await a.getByRole("status").filter({ hasText: "Saved." }).waitFor();
  assert.equal(await a.inputValue("#ack-subject-es"), "Recibido: {{ticket.title}} [#{{ticket.id}}]");
  await shot(a, "admin-email");
  await accessible(a, "admin email");

  // Business rules: a trigger in Zendesk's JSON, a Madrid schedule in
  // lines, routing switched on with skills, a webhook.
  await a.goto(`${base}/agent/admin/rules`);
  await a.getByRole("heading", { name: "Triggers", exact: true }).waitFor();
  assert.ok((await a.content()).includes("Acknowledge new emailed tickets"), "built-in triggers are listed");
  await a.locator("summary", { hasText: "Add trigger" }).click();
  await a.fill("#nt-title", "Etiquetar reembolsos");
  await a.fill("#nt-conditions", JSON.stringify({ all: [{ field: "comment_includes_word", operator: "includes", value: "reembolso" }], any: [] }));
  await a.fill("#nt-actions", JSON.stringify([{ field: "current_tags", value: "reembolso" }]));
  await a.locator('form[action="/agent/admin/rules/trigger"] button[type="submit"]').click();
  await a.getByRole("cell", { name: "Etiquetar reembolsos" }).waitFor();
  await accessible(a, "admin rules");
  await a.goto(`${base}/agent/admin/sla`);
  await a.locator("summary", { hasText: "Add schedule" }).click();
  await a.fill("#ns-name", "Oficina Madrid");
  await a.locator('form[action="/agent/admin/sla/schedules"] button[type="submit"]').click();
  await a.locator("summary", { hasText: "Oficina Madrid" }).waitFor();
  await accessible(a, "admin sla");
  await a.goto(`${base}/agent/admin/routing`);
  await a.check('input[name="enabled"]');
  await a.locator('form[action="/agent/admin/routing/settings"] button[type="submit"]').click();
  await a.fill("#ra-name", "Producto");
  await a.fill("#ra-values", "facturación, envíos");
  await a.locator('form[action="/agent/admin/routing/attributes"] button[type="submit"]').click();
  await a.getByText("envíos, facturación").waitFor();
  assert.ok(await a.isChecked('input[name="enabled"]'), "routing is on");
  await shot(a, "admin-routing");
  await accessible(a, "admin routing");
  await a.goto(`${base}/agent/admin/webhooks`);
  await a.fill("#wh-name", "CRM");
  await a.fill("#wh-endpoint", "http://127.0.0.1:9/hooks");
  await a.locator('form[action="/agent/admin/webhooks"] button[type="submit"]').click();
  await a.getByRole("heading", { name: /CRM/ }).waitFor();
  await accessible(a, "admin webhooks");
  // Bad input on an admin form: a readable error naming the field, and
  // the saved settings stay as they were.
  await a.goto(`${base}/agent/admin/routing`);
  await a.fill("#r-escalations", "ventas -> soporte");
  await a.locator('form[action="/agent/admin/routing/settings"] button[type="submit"]').click();
  const alert = a.getByRole("alert");
  await alert.waitFor();
  assert.ok((await alert.textContent()).includes("escalations"), "the error names the field");
  await a.goto(`${base}/agent/admin/routing`);
  await a.fill("#r-escalate", "-5");
  await a.locator('form[action="/agent/admin/routing/settings"] button[type="submit"]').click();
  await a.getByRole("alert").waitFor();
  assert.ok((await a.getByRole("alert").textContent()).includes("cannot be negative"), "negative minutes refused");
  await a.goto(`${base}/agent/admin/routing`);
  assert.equal(await a.inputValue("#r-escalate"), "60", "nothing was saved");
  assert.ok(await a.isChecked('input[name="enabled"]'), "routing is still on");
  // Routing off again, so the rest of the flow keeps its assignments.
  await a.uncheck('input[name="enabled"]');
  await a.locator('form[action="/agent/admin/routing/settings"] button[type="submit"]').click();

  // Switch language: the whole workspace speaks Spanish.
  await a.goto(`${base}/agent?queue=unsolved`);
  await a.selectOption("#lang-pick", "es");
  await a.getByRole("heading", { name: "Colas" }).waitFor();
  await a.getByRole("link", { name: /Todos sin resolver/ }).waitFor();
  await shot(a, "queue-es");

  // Sign out: the session no longer opens pages.
  await a.getByRole("button", { name: "Salir" }).click();
  await a.waitForURL(/\/login/);
  await a.goto(`${base}/agent`);
  assert.match(a.url(), /\/login/);

  assert.deepEqual(errors, [], "no script errors or dialogs");
  console.log("agent workspace flow passed");
} finally {
  await browser.close();
}
