// The request form, made better when scripts run (it works without):
// fields shown only for certain answers appear when those are chosen, and
// while the customer describes the problem the answer bot suggests
// articles; opening one is counted (a deflection, unless they still send
// the request). Our own code, no library.
const form = document.getElementById("request-form");
if (form) {
  const rows = [...form.querySelectorAll("[data-show-when]")];
  const valueOf = (id) => {
    const el = form.querySelector(`[data-field="${id}"]`);
    if (!el || el.disabled) return null;
    if (el.type === "checkbox") return el.checked;
    return el.value === "" ? null : el.value;
  };
  const update = () => {
    // Twice: a field shown by a field shown by another.
    for (let pass = 0; pass < 3; pass++) {
      for (const row of rows) {
        const when = JSON.parse(row.dataset.showWhen);
        const show = when.some((c) => valueOf(c.p) === c.v);
        row.hidden = !show;
        for (const input of row.querySelectorAll("input, select, textarea")) input.disabled = !show;
      }
    }
  };
  form.addEventListener("change", update);
  update();

  const box = document.getElementById("suggestions");
  const token = form.querySelector('input[name="bot_token"]');
  // The questions whose suggestions were shown in this tab, so a request
  // sent after reading one (even after leaving the page) is tied to them.
  const KEY = "atiende-bot-tokens";
  const remembered = () => {
    try {
      return JSON.parse(sessionStorage.getItem(KEY) || "[]");
    } catch {
      return [];
    }
  };
  const remember = (t) => {
    const all = [...new Set([...remembered(), t])].slice(-10);
    try {
      sessionStorage.setItem(KEY, JSON.stringify(all));
    } catch {
      // Private mode: the tokens of this page only.
    }
    token.value = all.join(",");
  };
  token.value = remembered().join(",");
  const subject = form.querySelector('[name="subject"]');
  const description = form.querySelector('[name="description"]');
  let timer = null;
  let asked = "";
  const suggest = async () => {
    const text = `${subject.value} ${description.value}`.trim();
    if (text.length < 12 || text === asked) return;
    asked = text;
    try {
      const r = await fetch(`${form.dataset.suggest}?query=${encodeURIComponent(text)}`, { headers: { accept: "application/json" } });
      if (!r.ok) return;
      const found = await r.json();
      if (found.token) remember(found.token);
      box.replaceChildren();
      if (!found.articles || found.articles.length === 0) return;
      const title = document.createElement("p");
      title.textContent = form.dataset.suggestTitle;
      const list = document.createElement("ul");
      for (const a of found.articles) {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = a.href;
        link.textContent = a.title;
        li.append(link);
        list.append(li);
      }
      box.append(title, list);
    } catch {
      // Suggestions are a help, never in the way.
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 500);
  };
  subject.addEventListener("input", later);
  description.addEventListener("input", later);
}
