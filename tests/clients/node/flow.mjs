// A realistic agent and integration flow driven by the real node-zendesk
// client against a running atiende. Reads ATIENDE_URL, ATIENDE_EMAIL and
// ATIENDE_TOKEN; exits non-zero with a message on the first mismatch.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zendesk from 'node-zendesk';

const { createClient } = zendesk;

const base = process.env.ATIENDE_URL;
const client = createClient({ username: process.env.ATIENDE_EMAIL, token: process.env.ATIENDE_TOKEN, endpointUri: `${base}/api/v2` });
const stamp = Date.now();

function check(cond, what) {
  if (!cond) {
    console.error(`node-zendesk flow failed: ${what}`);
    process.exit(1);
  }
}

const me = await client.users.me();
check(me.result.role === 'admin', `users.me role ${JSON.stringify(me.result)}`);

const org = await client.organizations.create({ organization: { name: `Pampa ${stamp}`, domain_names: [`pampa${stamp}.example`] } });
check(org.result.id > 0, 'organization created');
const customer = await client.users.create({ user: { name: 'Carmen Ruiz', email: `carmen@pampa${stamp}.example` } });
check(customer.result.organization_id === org.result.id, 'customer joins the organization by domain');
const agent = await client.users.create({ user: { name: 'Agente Node', email: `agent${stamp}@example.com`, role: 'agent' } });

const field = await client.ticketfields.create({ ticket_field: { type: 'tagger', title: 'Producto', custom_field_options: [{ name: 'Móvil', value: 'producto_movil' }, { name: 'Web', value: 'producto_web' }] } });
check(field.result.custom_field_options.length === 2, 'dropdown field created');

const created = await client.tickets.create({ ticket: { subject: 'La app no sincroniza', comment: { body: 'Desde la actualización la app no sincroniza mis pedidos.' }, requester_id: customer.result.id, priority: 'high', tags: [`node${stamp}`], custom_fields: [{ id: field.result.id, value: 'producto_movil' }] } });
const ticket = created.result;
check(ticket.status === 'new' && ticket.tags.includes('producto_movil'), `ticket created ${JSON.stringify(ticket)}`);

await client.tickets.update(ticket.id, { ticket: { comment: { body: 'Gracias, lo revisamos ahora mismo.', public: true }, assignee_id: agent.result.id } });
const noted = await client.tickets.update(ticket.id, { ticket: { comment: { body: 'Nota interna: reproducido en Android 14', public: false }, status: 'pending' } });
check(noted.result.status === 'pending', 'status pending');

const shown = await client.tickets.show(ticket.id);
check(shown.result.assignee_id === agent.result.id, 'assignee set');
const comments = await client.tickets.getComments(ticket.id);
const flat = comments.flat ? comments.flat() : comments;
check(flat.length === 3 && flat[2].public === false, `three comments, last internal: ${JSON.stringify(flat.map((c) => c.public))}`);

const found = await client.search.query(`sincroniza status<solved tags:node${stamp}`);
check(found.result.some ? found.result.some((r) => r.id === ticket.id) : JSON.stringify(found.result).includes(`"id":${ticket.id}`), `search finds the ticket ${JSON.stringify(found.result).slice(0, 300)}`);

for (let i = 0; i < 105; i++) {
  await client.tickets.create({ ticket: { subject: `Lote ${i}`, comment: { body: 'carga de prueba' }, tags: [`batch${stamp}`] } });
}
const all = await client.tickets.list();
check(all.length >= 106, `tickets.list follows cursor links to the end (${all.length})`);

const file = join(tmpdir(), `captura-${stamp}.txt`);
writeFileSync(file, 'captura de pantalla');
// node-zendesk streams the file at a path, chunked, labelled application/json.
const upload = await client.attachments.upload(file, { filename: 'captura.txt', binary: false });
const token = upload.upload ? upload.upload.token : upload.result?.upload?.token;
check(typeof token === 'string', `upload token ${JSON.stringify(upload).slice(0, 200)}`);
await client.tickets.update(ticket.id, { ticket: { comment: { body: 'Adjunto la captura', uploads: [token] } } });
const withFile = await client.tickets.getComments(ticket.id);
const last = (withFile.flat ? withFile.flat() : withFile).at(-1);
check(last.attachments.length === 1 && last.attachments[0].file_name === 'captura.txt', 'attachment on the comment');

const exported = await client.ticketexport.exportCursor(0);
const exportedBody = exported.result ?? exported;
check(JSON.stringify(exportedBody).includes(`"id":${ticket.id}`), 'incremental cursor export includes the ticket');

await client.tickets.delete(ticket.id);
let missing = false;
try {
  await client.tickets.show(ticket.id);
} catch (e) {
  missing = String(e.message ?? e).includes('404');
}
check(missing, 'a deleted ticket is gone');

// Help Center: node needs a second client whose endpointUri ends in /help_center.
const hc = createClient({ username: process.env.ATIENDE_EMAIL, token: process.env.ATIENDE_TOKEN, endpointUri: `${base}/api/v2/help_center` });
const unwrap = (x, key) => x?.result?.[key] ?? x?.[key] ?? x?.result ?? x;
const cat = unwrap(await hc.helpcenter.categories.create({ category: { name: `Facturación ${stamp}`, locale: 'es' } }), 'category');
check(cat.id > 0, `category ${JSON.stringify(cat)}`);
const sec = unwrap(await hc.helpcenter.sections.create(cat.id, { section: { name: 'Facturas' } }), 'section');
check(sec.category_id === cat.id, `section ${JSON.stringify(sec)}`);
const art = unwrap(await hc.helpcenter.articles.create(sec.id, { article: { title: 'Descargar una factura', body: `<p>Las facturas ${stamp} se descargan desde Mi cuenta.</p>`, locale: 'es' } }), 'article');
check(art.section_id === sec.id, `article ${JSON.stringify(art)}`);
const bySection = await hc.helpcenter.articles.listBySection(sec.id);
check(JSON.stringify(bySection).includes(`"id":${art.id}`), 'articles listed by section');
const hcHits = await hc.helpcenter.search.searchArticlesInLocale('factura', 'es');
check(JSON.stringify(hcHits).includes(`"id":${art.id}`) && JSON.stringify(hcHits).includes('"result_type":"article"'), `article search ${JSON.stringify(hcHits).slice(0, 300)}`);

// User fields: made, listed, changed, put in order, deleted.
const tier = unwrap(await client.userfields.create({ user_field: { key: `tier${stamp}`, type: 'text', title: 'Nivel' } }), 'user_field');
const plan = unwrap(await client.userfields.create({ user_field: { key: `plan${stamp}`, type: 'checkbox', title: 'Plan' } }), 'user_field');
check(tier.id > 0 && plan.type === 'checkbox', `user fields ${JSON.stringify([tier, plan])}`);
const listedFields = await client.userfields.list();
check(JSON.stringify(listedFields).includes(`"key":"tier${stamp}"`), 'user fields listed');
const renamed = unwrap(await client.userfields.update(tier.id, { user_field: { title: 'Nivel de cliente' } }), 'user_field');
check(renamed.title === 'Nivel de cliente', `user field renamed ${JSON.stringify(renamed)}`);
await client.userfields.reorder([plan.id, tier.id]);
const ordered = unwrap(await client.userfields.list(), 'user_fields');
const order = (Array.isArray(ordered) ? ordered : []).map((f) => f.id);
check(order.indexOf(plan.id) < order.indexOf(tier.id), `user fields reordered ${JSON.stringify(order)}`);
await client.userfields.delete(tier.id);
check(!JSON.stringify(await client.userfields.list()).includes(`"key":"tier${stamp}"`), 'user field deleted');

console.log('node-zendesk flow passed');
