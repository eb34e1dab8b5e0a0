"""Prints the messages a Maildir holds as JSON (headers the tests check and
the decoded text part), oldest first. usage: read.py MAILDIR"""
import email
import email.policy
import json
import os
import sys

new = os.path.join(sys.argv[1], "new")
names = sorted(os.listdir(new), key=lambda n: os.path.getmtime(os.path.join(new, n))) if os.path.isdir(new) else []
out = []
for name in names:
    with open(os.path.join(new, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    text = m.get_body(preferencelist=("plain",))
    html = m.get_body(preferencelist=("html",))
    out.append({
        "to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
        "message_id": str(m["Message-ID"]), "in_reply_to": str(m.get("In-Reply-To", "")),
        "references": str(m.get("References", "")), "reply_to": str(m.get("Reply-To", "")),
        "attachments": [p.get_filename() for p in m.iter_attachments()],
        "text": text.get_content() if text else "", "has_html": html is not None,
    })
print(json.dumps(out))
