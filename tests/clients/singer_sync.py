"""Stitch's Zendesk tap (singer-io `tap-zendesk`, the real one from PyPI)
discovers and syncs every stream it knows from a running atiende with an
OAuth token that may only read (scope `read`, got by the client
credentials grant of an application the admin registered), then syncs
again from the state it wrote and reads only what changed.

The tap names zendesk.com in its endpoints (`https://{subdomain}.zendesk.com`)
and reaches the rest through zenpy: a copy of it with those endpoints
pointed at atiende is what runs, and zenpy is pointed at atiende by its own
ZENPY_FORCE_* settings. Environment: ATIENDE_URL, ATIENDE_OAUTH_TOKEN, and
ATIENDE_EMAIL / ATIENDE_TOKEN for the desk's own changes between syncs.
"""

import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import tap_zendesk

BASE = os.environ["ATIENDE_URL"].rstrip("/")
TOKEN = os.environ["ATIENDE_OAUTH_TOKEN"]
url = urllib.parse.urlparse(BASE)
# Streams the server's seed gives records to: each must bring some.
MUST_HAVE_RECORDS = {
    "tickets", "groups", "users", "organizations", "ticket_audits", "ticket_comments",
    "ticket_fields", "ticket_forms", "group_memberships", "macros", "satisfaction_ratings",
    "tags", "ticket_metrics", "ticket_metric_events", "sla_policies", "talk_phone_numbers",
}

work = pathlib.Path(tempfile.mkdtemp())
pkg = work / "tap_zendesk"
shutil.copytree(pathlib.Path(tap_zendesk.__file__).parent, pkg)
streams = pkg / "streams.py"
text = streams.read_text()
zendesk = "https://{}.zendesk.com"
assert text.count(zendesk) >= 8, "the tap's endpoints moved"
# The "subdomain" is atiende's host and port; the endpoints keep their
# place for it.
streams.write_text(text.replace(zendesk, url.scheme + "://{}"))

config = work / "config.json"
config.write_text(json.dumps({
    "subdomain": url.netloc,
    "start_date": "2020-01-01T00:00:00Z",
    "access_token": TOKEN,
}))
env = {
    **os.environ,
    "PYTHONPATH": str(work),
    "ZENPY_FORCE_SCHEME": url.scheme,
    "ZENPY_FORCE_NETLOC": url.netloc,
}


def tap(*args):
    """Runs the tap; its Singer messages, one per line, and its log."""
    code = "import sys; from tap_zendesk import main; sys.argv[0] = 'tap-zendesk'; main()"
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, f"tap {args[:2]} failed:\n{out.stderr[-4000:]}"
    messages = []
    for line in out.stdout.splitlines():
        try:
            messages.append(json.loads(line))
        except ValueError:
            pass
    return messages, out.stderr


def api(method, path, body=None):
    """The desk's own changes, as its admin (the tap's token only reads)."""
    auth = base64.b64encode(f"{os.environ['ATIENDE_EMAIL']}/token:{os.environ['ATIENDE_TOKEN']}".encode()).decode()
    req = urllib.request.Request(
        f"{BASE}/api/v2{path}", method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req) as r:
        return json.load(r)


# Discovery checks access to every stream; all of them are offered.
discover = subprocess.run(
    [sys.executable, "-c", "import sys; from tap_zendesk import main; main()",
     "--config", str(config), "--discover"],
    env=env, capture_output=True, text=True, timeout=600,
)
assert discover.returncode == 0, discover.stderr[-4000:]
catalog = json.loads(discover.stdout)
names = {s["tap_stream_id"] for s in catalog["streams"]}
missing = MUST_HAVE_RECORDS - names
assert not missing, f"the tap offers no {missing}"
for s in catalog["streams"]:
    for m in s["metadata"]:
        if m["breadcrumb"] == []:
            m["metadata"]["selected"] = True
catalog_file = work / "catalog.json"
catalog_file.write_text(json.dumps(catalog))


def sync(state=None):
    args = ["--config", str(config), "--catalog", str(catalog_file)]
    if state is not None:
        path = work / "state.json"
        path.write_text(json.dumps(state))
        args += ["--state", str(path)]
    messages, log = tap(*args)
    problems = [line for line in log.splitlines() if "CRITICAL" in line or "ERROR" in line]
    assert not problems, "\n".join(problems)
    records, state = {}, None
    for m in messages:
        if m.get("type") == "RECORD":
            records.setdefault(m["stream"], []).append(m["record"])
        elif m.get("type") == "STATE":
            state = m["value"]
    return records, state


# The seed's tickets share a second; one more a second later, so the
# saved state lies after the first ones.
time.sleep(1.1)
late = api("POST", "/tickets.json", {"ticket": {"subject": "Un segundo después", "comment": {"body": "Tarde"}}})
records, state = sync()
print({n: len(r) for n, r in sorted(records.items())})
empty = sorted(n for n in MUST_HAVE_RECORDS if not records.get(n))
assert not empty, f"streams with no records: {empty}"
tickets = [t["id"] for t in records["tickets"]]
assert len(set(tickets)) == len(tickets), "a ticket twice in one sync"
assert late["ticket"]["id"] in tickets, tickets
comments = records["ticket_comments"]
assert all(c.get("ticket_id") in tickets for c in comments), "a comment of no synced ticket"
assert any(m.get("ticket_id") in tickets for m in records["ticket_metrics"]), "metric sets"

# A new ticket, then a sync from the saved state: it is there, and the
# tickets older than the state are not read again.
time.sleep(1.1)
new = api("POST", "/tickets.json", {"ticket": {"subject": "Después de la sincronización", "comment": {"body": "Nuevo"}}})
again, _ = sync(state)
print("incremental:", {n: len(r) for n, r in sorted(again.items())})
again_ids = {t["id"] for t in again.get("tickets", [])}
assert new["ticket"]["id"] in again_ids, again_ids
assert again_ids <= {new["ticket"]["id"], late["ticket"]["id"]}, f"read again: {again_ids}"
