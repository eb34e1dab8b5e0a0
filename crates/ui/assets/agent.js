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

function onEvent(e) {
  cursor = Math.max(cursor, e.id);
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
    else if (msg.type === "presence" && msg.ticket === ticketId) showPresence(msg.people);
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
