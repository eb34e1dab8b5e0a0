"""A realistic agent and integration flow driven by the real zenpy client
against a running atiende. Reads ATIENDE_URL, ATIENDE_EMAIL, ATIENDE_TOKEN;
exits non-zero with a message on the first mismatch."""

import os
import sys
import tempfile
import time
from urllib.parse import urlparse

from zenpy import Zenpy
from zenpy.lib.api_objects import Comment, CustomField, Organization, OrganizationField, Ticket, TicketField, User, UserField
from zenpy.lib.api_objects.help_centre_objects import Article, Category, Section
from zenpy.lib.exception import RecordNotFoundException

url = urlparse(os.environ["ATIENDE_URL"])
os.environ["ZENPY_FORCE_SCHEME"] = url.scheme
os.environ["ZENPY_FORCE_NETLOC"] = url.netloc
z = Zenpy(subdomain="atiende", email=os.environ["ATIENDE_EMAIL"], token=os.environ["ATIENDE_TOKEN"], disable_cache=True)
stamp = str(int(time.time() * 1000))


def check(cond, what):
    if not cond:
        print(f"zenpy flow failed: {what}", file=sys.stderr)
        sys.exit(1)


me = z.users.me()
check(me.role == "admin", f"users.me role {me.role}")

org = z.organizations.create(Organization(name=f"Brisa {stamp}", domain_names=[f"brisa{stamp}.example"]))
agent = z.users.create(User(name="Agente Zenpy", email=f"zagent{stamp}@example.com", role="agent"))
field = z.ticket_fields.create(TicketField(type="tagger", title="Motivo", custom_field_options=[{"name": "Reembolso", "value": "motivo_reembolso"}, {"name": "Envío", "value": "motivo_envio"}]))

audit = z.tickets.create(Ticket(
    subject="Reembolso pendiente",
    comment=Comment(body="Pedí el reembolso hace dos semanas y todavía no lo recibo."),
    requester=User(name="Diego Gómez", email=f"diego@brisa{stamp}.example"),
    tags=[f"zenpy{stamp}", "vip"],
    priority="urgent",
    custom_fields=[CustomField(id=field.id, value="motivo_reembolso")],
))
ticket = audit.ticket
check(ticket.status == "new" and "motivo_reembolso" in ticket.tags, f"ticket created: {ticket.tags}")
check(ticket.organization_id == org.id, "the new requester joins the organization by domain")

ticket.comment = Comment(body="Hola Diego, ya lo estamos tramitando.", public=True)
ticket.assignee_id = agent.id
ticket = z.tickets.update(ticket).ticket
ticket.comment = Comment(body="Nota interna: pedir confirmación a finanzas", public=False)
ticket.status = "pending"
ticket = z.tickets.update(ticket).ticket
check(ticket.status == "pending", "pending")

comments = list(z.tickets.comments(ticket=ticket.id))
check([c.public for c in comments] == [True, True, False], f"comments {[c.public for c in comments]}")
audits = list(z.tickets.audits(ticket=ticket.id))
check(len(audits) == 3, f"audits {len(audits)}")

hits = list(z.search("reembolso", type="ticket", status_less_than="solved", tags=[f"zenpy{stamp}"]))
check([t.id for t in hits] == [ticket.id], f"search {[t.id for t in hits]}")
hits = list(z.search(type="ticket", tags=[f"zenpy{stamp}"], minus=["tags:vip"]))
check(hits == [], "negation")
users = list(z.search(type="user", email=f"diego@brisa{stamp}.example"))
check(len(users) == 1, f"user search {len(users)}")

for i in range(105):
    z.tickets.create(Ticket(subject=f"Lote {i}", comment=Comment(body="carga"), tags=[f"zbatch{stamp}"]))
count = sum(1 for _ in z.tickets())
check(count >= 106, f"cursor paging through every ticket ({count})")

with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
    f.write(b"extracto bancario")
    path = f.name
upload = z.attachments.upload(path)
ticket.comment = Comment(body="Adjunto el extracto", uploads=[upload.token])
z.tickets.update(ticket)
last = list(z.tickets.comments(ticket=ticket.id))[-1]
check(len(last.attachments) == 1 and last.attachments[0].file_name == os.path.basename(path), "attachment with the local path stripped")

exported = [t.id for t in z.tickets.incremental(start_time=0)]
check(ticket.id in exported, "incremental export reaches the ticket and stops at end_of_stream")

other = z.tickets.create(Ticket(subject="Duplicado", comment=Comment(body="el mismo problema"), requester_id=ticket.requester_id)).ticket
job = z.tickets.merge(ticket.id, [other.id])
check(job.status == "completed", f"merge job {job.status}")
check(z.tickets(id=other.id).status == "closed", "merged source closed")

z.tickets.delete(z.tickets(id=ticket.id))
try:
    z.tickets(id=ticket.id)
    check(False, "a deleted ticket is gone")
except RecordNotFoundException:
    pass

# Deleted tickets: listed, restored, deleted again and then for good.
check(ticket.id in [t.id for t in z.tickets.deleted()], "the deleted ticket is listed")
z.tickets.restore(ticket.id)
check(z.tickets(id=ticket.id).id == ticket.id, "restored")
z.tickets.delete(z.tickets(id=ticket.id))
job = z.tickets.permanently_delete(ticket)
check(job.status == "completed", f"permanent deletion job {job.status}")
check(ticket.id not in [t.id for t in z.tickets.deleted()], "deleted for good")

# User and organization fields, with values on the records.
plan = z.user_fields.create(UserField(key=f"plan{stamp}", type="dropdown", title="Plan", custom_field_options=[{"name": "Básico", "value": f"basic{stamp}"}]))
check(plan.type == "dropdown" and any(f.id == plan.id for f in z.user_fields()), "user field made and listed")
sector = z.organization_fields.create(OrganizationField(key=f"sector{stamp}", type="text", title="Sector"))
check(any(f.id == sector.id for f in z.organization_fields()), "organization field listed")
person = z.users.create(User(name="Con campos", email=f"campos{stamp}@example.com", user_fields={plan.key: f"basic{stamp}"}))
check(person.user_fields[plan.key] == f"basic{stamp}", f"user field value {person.user_fields}")
org.organization_fields = {sector.key: "retail"}
org = z.organizations.update(org)
check(z.organizations(id=org.id).organization_fields[sector.key] == "retail", "organization field value")
# Deleted users: listed, then deleted for good.
z.users.delete(person)
check(person.id in [u.id for u in z.users.deleted()], "the deleted user is listed")
z.users.permanently_delete(person)
check(person.id not in [u.id for u in z.users.deleted()], "deleted for good")

fields = list(z.ticket_fields())
check(any(f.id == field.id for f in fields), "ticket fields listed")
# Help Center: category, section, article, lists and search.
# zenpy lists section articles with locale=en-us, so this content is English.
cat = z.help_center.categories.create(Category(name=f"Orders {stamp}", description="Shipping and returns", locale="en-us"))
sec = z.help_center.sections.create(Section(category_id=cat.id, name="Shipping", locale="en-us"))
art = z.help_center.articles.create(section=sec, article=Article(title="Tracking your shipment", body=f"<p>Find the tracking number {stamp} in your confirmation email.</p>", locale="en-us"))
check(art.section_id == sec.id and art.draft is False, "article created")
check(z.help_center.articles(id=art.id).title == "Tracking your shipment", "article shown")
listed = [a.id for a in z.help_center.sections.articles(section=sec)]
check(listed == [art.id], f"section articles {listed}")
hits = list(z.help_center.articles.search(query="shipments tracked", locale="en-us"))
check(art.id in [h.id for h in hits], f"article search {[h.id for h in hits]}")
print("zenpy flow passed")
