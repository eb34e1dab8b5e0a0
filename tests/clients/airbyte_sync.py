"""Airbyte's Zendesk Support connector (the real one, from PyPI) syncs every
stream it knows from a running atiende, then syncs again from the state it
saved and picks up only what changed.

The connector names zendesk.com in two places (the manifest's base URL and
the connection check); a copy of it with those pointed at atiende is what
runs. Community streams (topics, posts) are left out: atiende has no
community forum. Environment: ATIENDE_URL, ATIENDE_EMAIL, ATIENDE_TOKEN.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import base64

import source_zendesk_support

BASE = os.environ["ATIENDE_URL"].rstrip("/")
EMAIL = os.environ["ATIENDE_EMAIL"]
TOKEN = os.environ["ATIENDE_TOKEN"]
NO_COMMUNITY = {"topics", "posts", "post_comments", "post_votes", "post_comment_votes"}
# Streams the server's seed gives records to: each must bring some.
MUST_HAVE_RECORDS = {
    "tickets", "users", "user_identities", "organizations", "groups", "group_memberships",
    "ticket_audits", "ticket_comments", "ticket_metrics", "ticket_metric_events",
    "ticket_fields", "ticket_skips", "ticket_activities", "tags",
    "custom_roles", "audit_logs", "brands", "categories", "sections", "articles",
    "article_comments", "article_votes", "article_comment_votes", "satisfaction_ratings",
    "triggers", "macros", "sla_policies", "schedules", "user_fields",
    "organization_fields", "organization_memberships", "ticket_forms", "account_attributes",
}

work = pathlib.Path(tempfile.mkdtemp())
pkg = work / "source_zendesk_support"
shutil.copytree(pathlib.Path(source_zendesk_support.__file__).parent, pkg)
manifest = pkg / "manifest.yaml"
text = manifest.read_text()
zendesk = "https://{{ config['subdomain'] }}.zendesk.com/api/v2/"
assert zendesk in text, "the connector's base URL moved"
manifest.write_text(text.replace(zendesk, f"{BASE}/api/v2/"))
source = pkg / "source.py"
text = source.read_text()
check = "https://{config['subdomain']}.zendesk.com/api/v2/"
assert check in text, "the connector's check URL moved"
text = text.replace(check, f"{BASE}/api/v2/")
# 4.9.1 hides the streams of Zendesk's Enterprise plan (ticket forms,
# routing attributes and their definitions) by mistake: its check calls
# `stream_slices` on a stream type that no longer has it. The copy offers
# them, as the connector's versions without that bug do.
enterprise = "return self.check_enterprise_streams(declarative_streams)"
assert enterprise in text, "the connector's enterprise check moved"
source.write_text(text.replace(enterprise, "return declarative_streams"))

config = work / "config.json"
config.write_text(json.dumps({
    "subdomain": "atiende",
    "start_date": "2020-01-01T00:00:00Z",
    "credentials": {"credentials": "api_token", "email": EMAIL, "api_token": TOKEN},
}))


def connector(*args):
    """Runs the connector; its Airbyte messages, one per line."""
    code = "import sys; from source_zendesk_support.run import run; sys.argv[0] = 'source'; run()"
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "PYTHONPATH": str(work)},
        capture_output=True, text=True, timeout=600,
    )
    messages = []
    for line in out.stdout.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            pass
    return messages


def errors(messages):
    found = []
    for m in messages:
        if m.get("type") == "TRACE" and m["trace"].get("type") == "ERROR":
            found.append(m["trace"]["error"].get("message", "")[:600])
        if m.get("type") == "LOG" and m["log"]["level"] in ("ERROR", "FATAL"):
            found.append(m["log"]["message"][:600])
    return found


def api(method, path, body=None):
    auth = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
    req = urllib.request.Request(
        f"{BASE}/api/v2{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as r:
        return json.load(r)


status = connector("check", "--config", str(config))
conn = [m for m in status if m.get("type") == "CONNECTION_STATUS"]
assert conn and conn[0]["connectionStatus"]["status"] == "SUCCEEDED", (conn, errors(status))

found = connector("discover", "--config", str(config))
catalog = next(m["catalog"] for m in found if m.get("type") == "CATALOG")
names = {s["name"] for s in catalog["streams"]}
missing = MUST_HAVE_RECORDS - names
assert not missing, f"the connector offers no {missing}"
selected = []
for s in catalog["streams"]:
    if s["name"] in NO_COMMUNITY:
        continue
    incremental = "incremental" in s.get("supported_sync_modes", [])
    selected.append({
        "stream": s,
        "sync_mode": "incremental" if incremental else "full_refresh",
        "destination_sync_mode": "append",
    })
catalog_file = work / "catalog.json"
catalog_file.write_text(json.dumps({"streams": selected}))


def sync(state=None):
    args = ["read", "--config", str(config), "--catalog", str(catalog_file)]
    if state is not None:
        path = work / "state.json"
        path.write_text(json.dumps(state))
        args += ["--state", str(path)]
    messages = connector(*args)
    problems = errors(messages)
    assert not problems, "\n".join(problems)
    records, ended, states = {}, {}, {}
    for m in messages:
        kind = m.get("type")
        if kind == "RECORD":
            records.setdefault(m["record"]["stream"], []).append(m["record"]["data"])
        elif kind == "TRACE" and m["trace"].get("type") == "STREAM_STATUS":
            st = m["trace"]["stream_status"]
            ended[st["stream_descriptor"]["name"]] = st["status"]
        elif kind == "STATE" and m["state"].get("type") == "STREAM":
            desc = m["state"]["stream"]["stream_descriptor"]["name"]
            states[desc] = m["state"]
    unfinished = {n: s for n, s in ended.items() if s != "COMPLETE"}
    assert not unfinished, f"streams that did not complete: {unfinished}"
    return records, list(states.values())


# The seed's tickets share a second; one more a second later, so the
# saved state lies after the first ones (a sync from a time reads that
# second again, as Zendesk's exports do).
time.sleep(1.1)
late = api("POST", "/tickets.json", {"ticket": {"subject": "Un segundo después", "comment": {"body": "Tarde"}}})
records, state = sync()
empty = sorted(n for n in MUST_HAVE_RECORDS if not records.get(n))
assert not empty, f"streams with no records: {empty}"
tickets = {t["id"] for t in records["tickets"]}
assert len(tickets) == len(records["tickets"]), "a ticket twice in one sync"
print({n: len(r) for n, r in sorted(records.items())})

# A new ticket, then a sync from the saved state: it is there, and the
# tickets older than the state are not read again.
time.sleep(1.1)
new = api("POST", "/tickets.json", {"ticket": {"subject": "Después de la sincronización", "comment": {"body": "Nuevo"}}})
again, _ = sync(state)
again_ids = {t["id"] for t in again.get("tickets", [])}
assert new["ticket"]["id"] in again_ids, again_ids
assert again_ids <= {new["ticket"]["id"], late["ticket"]["id"]}, f"read again: {again_ids}"
print("incremental:", {n: len(r) for n, r in sorted(again.items())})
