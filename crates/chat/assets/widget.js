// atiende's chat widget: one ES module, no dependencies, no build step.
// A site pastes
//   <script type="module" src="https://help.example/chat/widget.js" data-key="wk_…"></script>
// and may sign its signed-in user with data-user-id, data-user-email,
// data-user-name and data-signature (hex HMAC-SHA256 of "id:email" with
// the widget's secret). Everything lives in a shadow root, so the page's
// styles and ours never meet. Every text is set with textContent: nothing
// a visitor, an agent or the bot writes is ever read as HTML.

const BASE = new URL(import.meta.url).origin;
const TAG = document.querySelector(`script[data-key][src^="${BASE}/chat/widget.js"]`)
  || document.querySelector('script[data-key][src*="/chat/widget.js"]');

if (TAG && !document.getElementById('atiende-chat')) start(TAG.dataset);

function start(data) {
  const key = data.key;
  const api = (path) => `${BASE}/chat/v1/${encodeURIComponent(key)}/${path}`;
  const store = {
    get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } },
  };
  const TOKEN = `atiende-chat:${key}`;
  const PENDING = `atiende-chat-pending:${key}`;

  let lang = pickLang(data.locale || document.documentElement.lang || navigator.language);
  let texts = { es: {}, en: {} };
  let widget = { ask_name: false, ask_email: false, topics: [] };
  let conversation = null;
  // The ended conversation whose survey the widget asked for (once).
  let surveyFor = null;
  let cursor = 0;
  const shown = new Map(); // line id or client id → element
  let socket = null;
  let socketFailures = 0;
  let polling = false;

  // The frame.
  const host = document.createElement('div');
  host.id = 'atiende-chat';
  const root = host.attachShadow({ mode: 'open' });
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = `${BASE}/chat/widget.css`;
  root.append(css);
  const launcher = el('button', { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'panel' });
  const panel = el('section', { class: 'panel', id: 'panel', role: 'dialog', hidden: '' });
  const header = el('header');
  const title = el('h2', { id: 'title' });
  panel.setAttribute('aria-labelledby', 'title');
  const langButton = el('button', { type: 'button', class: 'lang' });
  const closeButton = el('button', { type: 'button', class: 'close' });
  header.append(title, langButton, closeButton);
  const status = el('p', { class: 'status', role: 'status' });
  const statusAvatar = el('span', { class: 'avatar', 'aria-hidden': 'true', hidden: '' });
  const statusText = el('span');
  status.append(statusAvatar, statusText);
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
  const typing = el('p', { class: 'typing', hidden: '' });
  const prechat = el('div', { class: 'prechat', hidden: '' });
  const nameField = field('name', 'text', 'name');
  const emailField = field('email', 'email', 'email');
  const topicField = el('p');
  const topicLabel = el('label', { for: 'topic' });
  const topicSelect = el('select', { id: 'topic' });
  topicField.append(topicLabel, topicSelect);
  prechat.append(nameField.p, emailField.p, topicField);
  const form = el('form', { class: 'compose' });
  const messageLabel = el('label', { for: 'message', class: 'hidden' });
  const message = el('textarea', { id: 'message', rows: '2', maxlength: '4000', required: '' });
  const send = el('button', { type: 'submit', class: 'send' });
  // Files, once a person is in the chat.
  const attach = el('button', { type: 'button', class: 'attach' });
  const fileInput = el('input', { type: 'file', class: 'hidden', tabindex: '-1', 'aria-hidden': 'true',
    accept: 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip,.doc,.docx,.xls,.xlsx,.odt,.ods' });
  attach.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    for (const f of fileInput.files) sendFile(f);
    fileInput.value = '';
  });
  // A few emoji, inserted where the cursor is.
  const EMOJI = ['😊', '😀', '😉', '🙏', '👍', '👎', '❤️', '🎉', '😕', '😢', '😮', '👋'];
  const emojiButton = el('button', { type: 'button', class: 'emoji', 'aria-expanded': 'false', 'aria-controls': 'emoji-list' });
  const emojiList = el('div', { class: 'emoji-list', id: 'emoji-list', role: 'group', hidden: '' });
  for (const e of EMOJI) {
    const b = el('button', { type: 'button' });
    b.textContent = e;
    b.addEventListener('click', () => {
      const at = message.selectionStart ?? message.value.length;
      message.value = message.value.slice(0, at) + e + message.value.slice(message.selectionEnd ?? at);
      message.focus();
      message.selectionStart = message.selectionEnd = at + e.length;
      emojiList.hidden = true;
      emojiButton.setAttribute('aria-expanded', 'false');
    });
    emojiList.append(b);
  }
  emojiButton.addEventListener('click', () => {
    emojiList.hidden = !emojiList.hidden;
    emojiButton.setAttribute('aria-expanded', String(!emojiList.hidden));
    if (!emojiList.hidden) emojiList.querySelector('button').focus();
  });
  form.append(messageLabel, message, emojiButton, attach, fileInput, send);
  const actions = el('p', { class: 'actions' });
  const person = el('button', { type: 'button', class: 'person' });
  const end = el('button', { type: 'button', class: 'end' });
  actions.append(person, end);
  // Where to answer a chat nobody could take live.
  const emailForm = el('form', { class: 'reply-email', hidden: '' });
  const replyEmailLabel = el('label', { for: 'reply-email' });
  const replyEmail = el('input', { id: 'reply-email', type: 'email', autocomplete: 'email', maxlength: '200', required: '' });
  const replyEmailSave = el('button', { type: 'submit' });
  emailForm.append(replyEmailLabel, replyEmail, replyEmailSave);
  emailForm.addEventListener('submit', (e) => {
    e.preventDefault();
    call('email', { email: replyEmail.value.trim() })
      .then((r) => { conversation = { ...conversation, needs_email: false }; (r.lines || []).forEach(show); label(); })
      .catch((err) => { statusText.textContent = err.message; });
  });
  panel.append(header, status, log, typing, prechat, emailForm, emojiList, form, actions);
  // A proactive invitation, shown by itself on matching pages.
  const invite = el('div', { class: 'invite', role: 'status', hidden: '' });
  const inviteOpen = el('button', { type: 'button', class: 'invite-open' });
  const inviteClose = el('button', { type: 'button', class: 'invite-close' });
  invite.append(inviteOpen, inviteClose);
  inviteOpen.addEventListener('click', () => { invite.hidden = true; toggle(true); });
  inviteClose.addEventListener('click', () => {
    invite.hidden = true;
    try { sessionStorage.setItem(`atiende-chat-invited:${key}`, '1'); } catch { /* private mode */ }
  });
  root.append(invite, launcher, panel);
  document.body.append(host);

  launcher.addEventListener('click', () => toggle(panel.hidden));
  closeButton.addEventListener('click', () => toggle(false));
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') toggle(false); });
  langButton.addEventListener('click', () => { lang = lang === 'es' ? 'en' : 'es'; label(); });
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });
  message.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); submit(); }
  });
  // Typing is told once when it starts and once when it stops (three
  // quiet seconds, or the line sent). Typing before there is a
  // conversation tells nobody, so it is not counted as told.
  let typingTimer = null;
  let typingTold = false;
  function typingStopped() {
    clearTimeout(typingTimer);
    typingTimer = null;
    if (typingTold) { typingTold = false; sendTyping(false); }
  }
  message.addEventListener('input', () => {
    if (!typingTold) typingTold = sendTyping(true);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(typingStopped, 3000);
  });
  person.addEventListener('click', () => call('person', {}).then((r) => r && r.lines && r.lines.forEach(show)));
  end.addEventListener('click', () => call('end', {}).then(() => { conversation = conversation && { ...conversation, state: 'ended' }; label(); }));

  label();
  open();

  function el(name, attrs = {}) {
    const e = document.createElement(name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    return e;
  }

  function field(id, type, autocomplete) {
    const p = el('p');
    const l = el('label', { for: id });
    const input = el('input', { id, type, autocomplete, maxlength: '200' });
    p.append(l, input);
    return { p, label: l, input };
  }

  // An agent's avatar: their initials.
  function initials(name) {
    return String(name || '').split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join('');
  }

  function pickLang(tag) {
    return String(tag || '').toLowerCase().startsWith('en') ? 'en' : 'es';
  }

  function t(k) {
    return (texts[lang] && texts[lang][k]) || k;
  }

  function toggle(open) {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    if (open) message.focus(); else launcher.focus();
  }

  // Every word in the frame, in the chosen language.
  function label() {
    launcher.textContent = t('open');
    title.textContent = t('title');
    langButton.textContent = t('language');
    langButton.setAttribute('lang', lang === 'es' ? 'en' : 'es');
    closeButton.textContent = '×';
    closeButton.setAttribute('aria-label', t('close'));
    log.setAttribute('aria-label', t('messages'));
    nameField.label.textContent = t('name');
    emailField.label.textContent = t('email');
    topicLabel.textContent = t('topic');
    messageLabel.textContent = t('message');
    message.placeholder = t('message');
    send.textContent = t('send');
    attach.textContent = '📎';
    emojiButton.textContent = '😊';
    emojiButton.setAttribute('aria-label', t('emoji'));
    emojiButton.title = t('emoji');
    emojiList.setAttribute('aria-label', t('emoji'));
    attach.setAttribute('aria-label', t('attach'));
    attach.title = t('attach');
    person.textContent = t('person');
    end.textContent = t('end');
    typing.textContent = t('typing');
    replyEmailLabel.textContent = t('email-ask');
    replyEmailSave.textContent = t('email-save');
    panel.setAttribute('lang', lang);
    const state = conversation && conversation.state;
    const agent = state === 'waiting' && conversation.agent;
    statusText.textContent = agent ? `${t('with-agent')} ${agent.name}`
      : state === 'waiting' ? (conversation.by_email ? t('by-email') : t('waiting'))
      : t('with-bot');
    statusAvatar.hidden = !agent;
    statusAvatar.textContent = agent ? initials(agent.name) : '';
    emailForm.hidden = !(state === 'waiting' && conversation.needs_email);
    person.hidden = state !== 'bot';
    attach.hidden = state !== 'waiting';
    end.hidden = !state || state === 'ended';
    const first = !conversation || state === 'ended';
    nameField.p.hidden = !(first && widget.ask_name);
    emailField.p.hidden = !(first && widget.ask_email);
    topicField.hidden = !(first && widget.topics.length);
    prechat.hidden = nameField.p.hidden && emailField.p.hidden && topicField.hidden;
    for (const [, e] of shown) relabel(e);
    if (state === 'ended' && conversation.ticket_id && surveyFor !== conversation.id) {
      surveyFor = conversation.id;
      call('survey', {}).then((r) => r && r.survey && showSurvey(r.survey)).catch(() => {});
    }
  }

  // How it went, at the end of a chat that reached a person: two buttons,
  // then the thanks.
  function showSurvey(survey) {
    let box = log.querySelector('.survey');
    if (!box) {
      box = el('div', { class: 'survey', role: 'group' });
      log.append(box);
    }
    box.setAttribute('aria-label', survey.question);
    const question = el('p');
    question.textContent = survey.question;
    box.replaceChildren(question);
    if (survey.answered) {
      const thanks = el('p', { role: 'status' });
      thanks.textContent = survey.thanks;
      box.append(thanks);
    } else {
      for (const score of ['good', 'bad']) {
        const b = el('button', { type: 'button' });
        b.textContent = survey[score];
        b.addEventListener('click', () => call('survey', { score })
          .then((r) => r && r.survey && showSurvey(r.survey)).catch(() => {}));
        box.append(b);
      }
    }
    log.scrollTop = log.scrollHeight;
  }

  async function call(path, body) {
    const token = store.get(TOKEN);
    const r = await fetch(api(path), {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ token, ...body }),
    });
    const answer = await r.json().catch(() => ({}));
    if (!r.ok) throw Object.assign(new Error(answer.description || r.statusText), { status: r.status });
    return answer;
  }

  async function open() {
    const identity = data.userEmail && data.signature
      ? { external_id: data.userId || '', email: data.userEmail, name: data.userName || null, signature: data.signature }
      : undefined;
    let s;
    try {
      s = await call('session', { identity });
    } catch (e) {
      status.textContent = e.message;
      setTimeout(open, 5000);
      return;
    }
    if (s.token) store.set(TOKEN, s.token);
    texts = s.texts || texts;
    widget = s.widget || widget;
    topicSelect.replaceChildren(...widget.topics.map((name) => {
      const o = el('option');
      o.textContent = name;
      return o;
    }));
    conversation = s.conversation;
    (s.lines || []).forEach(show);
    label();
    invitation();
    pending().forEach((p) => { showPending(p); deliver(p); });
    connect();
  }

  // The first invitation for this page, after its delay, unless the
  // visitor is chatting, has the panel open, or closed one this visit.
  function invitation() {
    let dismissed = false;
    try { dismissed = sessionStorage.getItem(`atiende-chat-invited:${key}`) === '1'; } catch { /* private mode */ }
    if (dismissed || (conversation && conversation.state !== 'ended')) return;
    const glob = (p) => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const found = (widget.invitations || []).find((i) => glob(i.path).test(location.pathname));
    if (!found) return;
    setTimeout(() => {
      if (!panel.hidden || (conversation && conversation.state !== 'ended')) return;
      const text = (lang === 'en' ? found.message_en : found.message_es) || found.message_es || found.message_en;
      inviteOpen.textContent = text;
      inviteClose.textContent = '×';
      inviteClose.setAttribute('aria-label', t('close'));
      invite.hidden = false;
    }, found.after_seconds * 1000);
  }

  function pending() {
    try { return JSON.parse(store.get(PENDING) || '[]'); } catch { return []; }
  }

  function setPending(list) {
    store.set(PENDING, JSON.stringify(list));
  }

  function submit() {
    const text = message.value.trim();
    if (!text) return;
    typingStopped();
    const id = (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const first = !conversation || conversation.state === 'ended';
    const p = {
      client_id: id.replace(/[^A-Za-z0-9_-]/g, ''),
      text,
      locale: lang,
      name: first ? nameField.input.value.trim() || undefined : undefined,
      email: first ? emailField.input.value.trim() || undefined : undefined,
      topic: first && widget.topics.length ? topicSelect.value : undefined,
    };
    setPending([...pending(), p]);
    message.value = '';
    showPending(p);
    deliver(p);
  }

  // Sends a line until the server has it; a resend carries the same id,
  // so it is stored once whatever happened to the connection.
  async function deliver(p, attempt = 0) {
    try {
      const r = await call('lines', p);
      setPending(pending().filter((x) => x.client_id !== p.client_id));
      const wasNew = !conversation || conversation.id !== r.conversation.id;
      conversation = r.conversation;
      r.lines.forEach(show);
      label();
      if (wasNew && socket && socket.readyState === 1) socket.send(JSON.stringify({ type: 'follow' }));
    } catch (e) {
      const mine = shown.get(p.client_id);
      if (e.status && e.status < 500 && e.status !== 429) {
        // Refused for good (too long, not allowed): say why, keep it out.
        setPending(pending().filter((x) => x.client_id !== p.client_id));
        if (mine) { mine.dataset.error = e.message; relabel(mine); }
        return;
      }
      if (mine) { mine.dataset.state = 'failed'; relabel(mine); }
      setTimeout(() => deliver(p, attempt + 1), Math.min(30000, 1000 * 2 ** attempt));
    }
  }

  // Sends a file; the server checks its size and kind and says why not.
  async function sendFile(file) {
    if (file.size > 10 * 1024 * 1024) { statusText.textContent = `${file.name}: ${t('file-too-large')}`; return; }
    const body = new FormData();
    body.append('token', store.get(TOKEN) || '');
    body.append('client_id', ((crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}${Math.random()}`).replace(/[^A-Za-z0-9_-]/g, ''));
    body.append('file', file, file.name);
    try {
      const r = await fetch(api('files'), { method: 'POST', body });
      const answer = await r.json().catch(() => ({}));
      if (!r.ok) throw new Error(answer.description || r.statusText);
      (answer.lines || []).forEach(show);
    } catch (e) {
      statusText.textContent = `${file.name}: ${e.message}`;
    }
  }

  function showPending(p) {
    show({ id: null, author: 'visitor', text: p.text, client_id: p.client_id, articles: [], pending: true });
  }

  // Adds a line, or replaces its pending copy with the stored one.
  function show(line) {
    if (line.id && shown.has(line.id)) return;
    let e = line.client_id && shown.get(line.client_id);
    if (!e) {
      e = el('div', { class: `line ${line.author}` });
      const who = el('span', { class: 'who' });
      const text = el('p', { class: 'text' });
      text.textContent = line.text;
      if (line.author === 'agent' || (line.author === 'system' && line.name)) {
        const avatar = el('span', { class: 'avatar', 'aria-hidden': 'true' });
        avatar.textContent = initials(line.name || t('team'));
        e.append(avatar);
      }
      e.append(who, text);
      if (line.articles && line.articles.length) {
        const list = el('ul');
        for (const a of line.articles) {
          const li = el('li');
          const link = el('a', { href: new URL(a.url, BASE).href, target: '_blank', rel: 'noopener' });
          link.textContent = a.title;
          li.append(link);
          list.append(li);
        }
        e.append(list);
      }
      if (line.files && line.files.length) {
        const list = el('ul', { class: 'files' });
        for (const f of line.files) {
          const li = el('li');
          const link = el('a', { href: new URL(f.url, BASE).href, download: f.name, rel: 'noopener' });
          link.textContent = `${f.name} (${Math.max(1, Math.round(f.size / 1024))} KB)`;
          li.append(link);
          list.append(li);
        }
        e.append(list);
      }
      if (line.author === 'visitor') e.append(el('span', { class: 'mark' }));
      log.append(e);
    }
    e.dataset.author = line.author;
    e.dataset.name = line.name || '';
    e.dataset.state = line.pending ? 'sending' : 'sent';
    if (line.client_id) shown.set(line.client_id, e);
    if (line.id) {
      e.dataset.id = line.id;
      shown.set(line.id, e);
      cursor = Math.max(cursor, line.id);
    }
    relabel(e);
    log.scrollTop = log.scrollHeight;
  }

  function relabel(e) {
    const who = e.querySelector('.who');
    const author = e.dataset.author;
    who.textContent = author === 'visitor' ? t('you')
      : author === 'agent' ? (e.dataset.name || t('team'))
      : author === 'bot' ? t('bot') : '';
    const mark = e.querySelector('.mark');
    // Delivered (stored), then read once an agent has seen it.
    const read = e.dataset.state === 'sent' && conversation && conversation.seen_line
      && Number(e.dataset.id) <= conversation.seen_line;
    if (mark) mark.textContent = e.dataset.error || (read ? `✓✓ ${t('read')}` : e.dataset.state === 'sent' ? `✓ ${t('sent')}` : t(e.dataset.state === 'failed' ? 'failed' : 'sending'));
  }

  function received(r) {
    if (r.conversation) conversation = r.conversation;
    (r.lines || []).forEach(show);
    if (r.typing && typeof r.typing.agent === 'boolean') typing.hidden = !r.typing.agent;
    if ((r.lines || []).some((l) => l.author === 'agent')) typing.hidden = true;
    label();
  }

  // New lines as they are stored: a WebSocket, or a long-poll where
  // WebSockets do not get through.
  function connect() {
    if (polling) return;
    const url = `${BASE.replace(/^http/, 'ws')}/chat/v1/${encodeURIComponent(key)}/socket`;
    let opened = false;
    try { socket = new WebSocket(url); } catch { socketFailures = 9; return poll(); }
    socket.onopen = () => {
      socket.send(JSON.stringify({ token: store.get(TOKEN), after: cursor }));
    };
    socket.onmessage = (m) => {
      let r;
      try { r = JSON.parse(m.data); } catch { return; }
      // Working only once the server says so: a network that lets the
      // upgrade through but not the traffic ends in long-polling.
      if (r.type === 'ready') { opened = true; socketFailures = 0; }
      if (r.type === 'lines') received(r);
      if (r.type === 'typing') received({ typing: { agent: r.agent } });
    };
    socket.onclose = () => {
      socket = null;
      if (!opened) socketFailures += 1;
      if (socketFailures >= 2) poll();
      else setTimeout(connect, 1000 + Math.random() * 2000);
    };
  }

  async function poll() {
    polling = true;
    for (;;) {
      try {
        received(await call('poll', { after: cursor }));
        if (!conversation) await new Promise((r) => setTimeout(r, 3000));
      } catch {
        await new Promise((r) => setTimeout(r, 3000));
      }
    }
  }

  // Tells the team the visitor is typing (or stopped); whether it could.
  function sendTyping(on) {
    if (!conversation || conversation.state === 'ended') return false;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: 'typing', on }));
    else call('typing', { on }).catch(() => {});
    return true;
  }
}
