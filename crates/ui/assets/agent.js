// atiende agent workspace: partial updates and live events over one
// WebSocket, keyboard shortcuts, and small conveniences. Hand-written, no
// dependencies; every page works without it.

const body = document.body;
const me = Number(body.dataset.me || 0);
const page = body.dataset.page || "";
const ticketId = Number(body.dataset.ticket || 0);
let cursor = Number(body.dataset.cursor || 0);

// Selects marked data-autosubmit submit their form on change.
for (const el of document.querySelectorAll("[data-autosubmit]")) {
  el.addEventListener("change", () => el.form.submit());
}

// ---- Partial updates -------------------------------------------------

/** Replaces an element's content with its fragment URL's HTML. */
async function refresh(el) {
  const url = el && el.dataset.fragment;
  if (!url) return;
  const r = await fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } });
  if (r.ok) el.innerHTML = await r.text();
}

let refreshTimer = null;
/** Coalesces bursts of events into one refresh. */
function refreshSoon(fn) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(fn, 150);
}

let noticeTimer = null;
/** A short-lived message in the corner (announced to screen readers). */
function notice(text) {
  const n = document.getElementById("live-notice");
  if (!n) return;
  n.textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { n.textContent = ""; }, 5000);
}

// ---- Live events -----------------------------------------------------

let socket = null;
let backoff = 500;
let replying = false;

function send(msg) {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

function announce() {
  send({ watch: page === "ticket" ? ticketId : null, replying });
}

function showPresence(people) {
  const el = document.getElementById("presence");
  if (!el) return;
  const others = people.filter((p) => p.id !== me);
  const words = el.dataset;
  el.textContent = others.length
    ? `${words.also || ""} ${others.map((p) => `${p.name} (${p.replying ? words.replying : words.viewing})`).join(", ")}`
    : "";
  el.classList.toggle("collision", others.some((p) => p.replying));
}

// ---- Chat tabs: offers to accept or decline, and the agent's chats ----

const chatTabs = document.getElementById("chat-tabs");

/** Goes where a phone system asked to take this agent (a case, a
 * customer's cases), once. */
function followDisplay() {
  const open = chatTabs?.querySelector("[data-open]");
  if (open) location.assign(open.dataset.open);
}
followDisplay();

/** Redraws the chat tabs (an offer came or went, a chat moved). */
async function refreshChatTabs() {
  if (!chatTabs) return;
  await refresh(chatTabs);
  followDisplay();
  chatTabs.hidden = chatTabs.querySelector(".chat-tab, .call-pop") === null;
  markCurrentTab();
  const offer = chatTabs.querySelector(".call-pop, .chat-tab.offer");
  if (offer) notice(offer.textContent.trim().split("\n")[0]);
}

function markCurrentTab() {
  for (const tab of chatTabs?.querySelectorAll(".chat-tab a") || []) {
    if (Number(tab.parentElement.dataset.ticket) === ticketId) tab.setAttribute("aria-current", "page");
  }
}
markCurrentTab();

/** Offers count down (the server passes one that runs out to someone
 * else, and the tabs hear of it). */
setInterval(() => {
  for (const c of chatTabs?.querySelectorAll(".countdown") || []) {
    const left = Math.max(0, Number(c.dataset.seconds) - 1);
    c.dataset.seconds = left;
    c.textContent = left;
  }
}, 1000);

function onEvent(e) {
  cursor = Math.max(cursor, e.id);
  if (chatTabs?.querySelector(`.chat-tab[data-ticket="${e.ticket}"]`)) refreshChatTabs();
  if (page === "ticket" && e.ticket === ticketId) {
    refreshSoon(() => refresh(document.getElementById("timeline")));
    if (e.actor !== me) notice(document.getElementById("presence")?.dataset.updated || "");
  } else if (page === "queue") {
    refreshSoon(async () => {
      await refresh(document.getElementById("ticket-list"));
      rememberList();
      refreshCounts();
    });
  }
}

async function refreshCounts() {
  const r = await fetch(location.href, { credentials: "same-origin" });
  if (!r.ok) return;
  const doc = new DOMParser().parseFromString(await r.text(), "text/html");
  for (const c of doc.querySelectorAll("[data-queue-count]")) {
    const here = document.querySelector(`[data-queue-count="${c.dataset.queueCount}"]`);
    if (here) here.textContent = c.textContent;
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/agent/live?after=${cursor}`);
  socket.addEventListener("open", () => {
    backoff = 500;
    body.dataset.live = "on";
    announce();
  });
  socket.addEventListener("message", (m) => {
    const msg = JSON.parse(m.data);
    if (msg.type === "event") onEvent(msg);
    else if (msg.type === "chats") refreshChatTabs();
    else if (msg.type === "presence" && msg.ticket === ticketId) showPresence(msg.people);
    else if (msg.type === "chat-typing" && msg.ticket === ticketId) {
      const typing = document.getElementById("chat-typing");
      if (typing) typing.hidden = !msg.on;
    }
  });
  socket.addEventListener("close", () => {
    body.dataset.live = "off";
    // Reconnect from the last event seen: the server replays what we missed.
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, 15000);
  });
}

if (me) connect();

// Lets a test (or a curious agent in the console) drop the connection and
// watch the page catch up.
window.atiendeLive = { drop: () => socket && socket.close() };

// ---- The reply box -----------------------------------------------------

const replyBody = document.getElementById("reply-body");
if (replyBody) {
  let idle = null;
  replyBody.addEventListener("input", () => {
    if (!replying) {
      replying = true;
      announce();
    }
    clearTimeout(idle);
    idle = setTimeout(() => {
      replying = false;
      announce();
    }, 20000);
  });
  replyBody.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      replyBody.form.requestSubmit();
    }
  });
}

// ---- Macros: show what a macro writes before sending ---------------------

const macroPick = document.getElementById("macro");
if (macroPick && replyBody) {
  macroPick.addEventListener("change", async () => {
    if (!macroPick.value) return;
    const r = await fetch(`/agent/tickets/${macroPick.dataset.ticket}/macros/${macroPick.value}`, { credentials: "same-origin" });
    if (!r.ok) return;
    const m = await r.json();
    if (m.body) replyBody.value = replyBody.value ? `${replyBody.value}\n\n${m.body}` : m.body;
    document.getElementById(m.public ? "mode-public" : "mode-internal").checked = true;
    if (m.status) document.getElementById("submit-as").value = m.status;
    replyBody.focus();
  });
}

// ---- Keyboard shortcuts ------------------------------------------------

function typing(e) {
  const t = e.target;
  return t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

let selected = -1;
function rows() {
  return [...document.querySelectorAll("table.tickets tbody tr")];
}
function select(i) {
  const all = rows();
  if (!all.length) return;
  selected = Math.max(0, Math.min(all.length - 1, i));
  all.forEach((r, j) => r.classList.toggle("selected", j === selected));
  all[selected].querySelector("a.ticket-link")?.focus();
}

// The last list seen, so j / k on a ticket page move through it.
function rememberList() {
  const ids = rows().map((r) => Number(r.dataset.ticket));
  if (ids.length) sessionStorage.setItem("atiende.list", JSON.stringify(ids));
}
if (page === "queue" || page === "search") rememberList();

function step(delta) {
  if (page !== "ticket") return select(selected + delta);
  let ids = [];
  try { ids = JSON.parse(sessionStorage.getItem("atiende.list") || "[]"); } catch { ids = []; }
  const next = ids[ids.indexOf(ticketId) + delta];
  if (ids.includes(ticketId) && next) location.assign(`/agent/tickets/${next}`);
}

document.addEventListener("keydown", (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
  const help = document.getElementById("help");
  switch (e.key) {
    case "j": step(1); break;
    case "k": step(-1); break;
    case "/": e.preventDefault(); document.getElementById("q")?.focus(); break;
    case "?": help?.showModal(); break;
    case "r":
    case "n":
      if (replyBody) {
        e.preventDefault();
        document.getElementById(e.key === "r" ? "mode-public" : "mode-internal").checked = true;
        replyBody.focus();
      }
      break;
    default: return;
  }
});

document.querySelector("[data-help]")?.addEventListener("click", () => document.getElementById("help")?.showModal());

// The article editor: a formatting toolbar over an editable copy of the
// body; the HTML goes back into the textarea (which the server sanitises
// whatever it holds). Without scripts the textarea itself is the editor.
for (const area of document.querySelectorAll("textarea[data-editor]")) {
  const d = area.dataset;
  const bar = document.createElement("div");
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", d.toolbar);
  bar.setAttribute("aria-controls", area.id + "-rich");
  bar.className = "toolbar";
  const box = document.createElement("div");
  box.id = area.id + "-rich";
  box.className = "rich";
  box.contentEditable = "true";
  box.setAttribute("role", "textbox");
  box.setAttribute("aria-multiline", "true");
  box.setAttribute("aria-labelledby", area.id + "-label");
  box.innerHTML = area.value;
  // Chromium's editing commands write <b> and <i>: stored as <strong>
  // and <em>, which say what they mean.
  const sync = () => {
    area.value = box.innerHTML
      .replace(/<(\/?)b>/g, "<$1strong>")
      .replace(/<(\/?)i>/g, "<$1em>");
  };
  const tools = [
    [d.bold, "B", () => document.execCommand("bold")],
    [d.italic, "I", () => document.execCommand("italic")],
    [d.heading, "H2", () => document.execCommand("formatBlock", false, "h2")],
    [d.subheading, "H3", () => document.execCommand("formatBlock", false, "h3")],
    [d.bullets, "•", () => document.execCommand("insertUnorderedList")],
    [d.numbers, "1.", () => document.execCommand("insertOrderedList")],
    [d.quote, "❝", () => document.execCommand("formatBlock", false, "blockquote")],
    [d.link, "↗", () => {
      const url = prompt(d.linkPrompt, "https://");
      if (url && /^(https?:|mailto:|\/)/i.test(url)) document.execCommand("createLink", false, url);
    }],
    [d.clear, "⌫", () => { document.execCommand("removeFormat"); document.execCommand("formatBlock", false, "p"); }],
  ];
  const buttons = tools.map(([label, glyph, run], i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = glyph;
    b.title = label;
    b.setAttribute("aria-label", label);
    b.tabIndex = i === 0 ? 0 : -1;
    b.addEventListener("click", () => { box.focus(); run(); sync(); });
    bar.append(b);
    return b;
  });
  // One tab stop for the toolbar; arrows move along it.
  bar.addEventListener("keydown", (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0 || (e.key !== "ArrowRight" && e.key !== "ArrowLeft")) return;
    e.preventDefault();
    const next = buttons[(i + (e.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length];
    buttons.forEach((b) => { b.tabIndex = -1; });
    next.tabIndex = 0;
    next.focus();
  });
  box.addEventListener("input", sync);
  area.form?.addEventListener("submit", sync);
  area.hidden = true;
  area.after(bar, box);
  // An attached image goes into the text where the cursor was, with the
  // words that describe it for those who cannot see it.
  let caret = null;
  box.addEventListener("blur", () => {
    const s = getSelection();
    if (s.rangeCount && box.contains(s.anchorNode)) caret = s.getRangeAt(0);
  });
  for (const b of document.querySelectorAll("[data-insert-image]")) {
    b.hidden = false;
    b.addEventListener("click", () => {
      const alt = prompt(b.dataset.altPrompt, "");
      if (alt === null) return;
      const img = document.createElement("img");
      img.src = b.dataset.insertImage;
      img.alt = alt;
      if (caret) caret.insertNode(img); else box.append(img);
      sync();
    });
  }
}
