"""Zendesk Talk's API read and written by the real zenpy client against a
running atiende (ATIENDE_URL, ATIENDE_EMAIL, ATIENDE_TOKEN; AGENT_ID is an
agent with calls). Prints what zenpy read as JSON for the Rust test to
check: today's account overview, the agents' activity, the queue now, the
agent's availability, a voicemail ticket made through Talk Partner
Edition's create_ticket, and every call through the incremental export."""

import json
import os
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from zenpy import Zenpy
from zenpy.lib.api_objects import Ticket

url = urlparse(os.environ["ATIENDE_URL"])
os.environ["ZENPY_FORCE_SCHEME"] = url.scheme
os.environ["ZENPY_FORCE_NETLOC"] = url.netloc
z = Zenpy(subdomain="atiende", email=os.environ["ATIENDE_EMAIL"], token=os.environ["ATIENDE_TOKEN"], disable_cache=True)
agent = int(os.environ["AGENT_ID"])

overview = z.talk.account_overview()
activity = {a.agent_id: a for a in z.talk.agents_activity()}
queue = z.talk.current_queue_activity()
before = z.talk.availability(agent)
# The voicemail came in a minute ago, and today: the overview the Rust
# test reads afterwards counts today's calls.
now = datetime.now(timezone.utc)
started = max(now.replace(hour=0, minute=0, second=0, microsecond=0), now - timedelta(minutes=1))
ticket = z.talk_pe.create_ticket(agent, Ticket(via_id=45, voice_comment={
    "from": "+34655000009", "to": "+15005550006", "recording_url": "https://pbx.example/rec/9.mp3",
    "started_at": started.strftime("%Y-%m-%dT%H:%M:%SZ"), "call_duration": 41, "transcription_text": "Quiero cambiar la dirección de envío",
}))
exported = list(z.talk.calls.incremental(start_time=0))
print(json.dumps({
    "exported_calls": len(exported),
    "exported_statuses": sorted(c.completion_status for c in exported),
    "total_calls": overview.total_calls,
    "total_calls_abandoned_in_queue": overview.total_calls_abandoned_in_queue,
    "total_voicemails": overview.total_voicemails,
    "total_callback_calls": overview.total_callback_calls,
    "average_time_to_answer": overview.average_time_to_answer,
    "agent_calls_accepted": activity[agent].calls_accepted,
    "agent_total_talk_time": activity[agent].total_talk_time,
    "agent_status": activity[agent].status,
    "calls_waiting": queue.calls_waiting,
    "agents_online": queue.agents_online,
    "availability": before.agent_state,
    "voicemail_ticket": ticket.ticket.id if hasattr(ticket, "ticket") else ticket.id,
}))
