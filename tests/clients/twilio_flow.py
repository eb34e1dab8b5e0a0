"""The official twilio library against atiende's SMS and voice tests.

    sign URL AUTH_TOKEN PARAMS_JSON
        prints X-Twilio-Signature for a POST of PARAMS_JSON to URL, as
        Twilio computes it (RequestValidator.compute_signature);
    post URL AUTH_TOKEN PARAMS_JSON [SIGNED_FOR]
        POSTs PARAMS_JSON to URL as Twilio's voice webhooks do, signed for
        SIGNED_FOR (URL by default), and prints the answer as JSON: its
        status and, for TwiML, each verb with its attributes, text and
        nested verbs (parsed with the standard library's XML parser);
    send BASE ACCOUNT_SID AUTH_TOKEN FROM TO BODY
        sends a message with twilio.rest.Client pointed at BASE (the test
        kit's stand-in) and prints what the client read back as JSON;
    call BASE ACCOUNT_SID AUTH_TOKEN FROM TO URL
        places a call with twilio.rest.Client against BASE likewise.
"""

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from twilio.request_validator import RequestValidator


def sign(url, token, params):
    print(RequestValidator(token).compute_signature(url, json.loads(params)))


def verb(e):
    return {"verb": e.tag, "attrs": dict(e.attrib), "text": (e.text or "").strip(),
            "children": [verb(c) for c in e]}


def post(url, token, params, signed_for=None):
    fields = json.loads(params)
    signature = RequestValidator(token).compute_signature(signed_for or url, fields)
    req = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                 headers={"X-Twilio-Signature": signature})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            status, body, kind = r.status, r.read().decode(), r.headers.get("content-type", "")
    except urllib.error.HTTPError as e:
        status, body, kind = e.code, e.read().decode(), e.headers.get("content-type", "")
    out = {"status": status, "body": body}
    if kind.startswith("text/xml"):
        root = ET.fromstring(body)
        assert root.tag == "Response", root.tag
        out["verbs"] = [verb(c) for c in root]
    print(json.dumps(out))


def send(base, sid, token, sender, to, body):
    from twilio.rest import Client
    client = Client(sid, token)
    client.api.base_url = base
    m = client.messages.create(from_=sender, to=to, body=body)
    print(json.dumps({"sid": m.sid, "status": m.status, "num_segments": m.num_segments,
                      "to": m.to, "from": m.from_, "body": m.body}))


def call(base, sid, token, sender, to, url):
    from twilio.rest import Client
    client = Client(sid, token)
    client.api.base_url = base
    c = client.calls.create(from_=sender, to=to, url=url)
    print(json.dumps({"sid": c.sid, "status": c.status, "to": c.to, "from": c._from}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"sign": sign, "post": post, "send": send, "call": call}[command](*args)
