"""The official twilio library against atiende's SMS tests.

    sign URL AUTH_TOKEN PARAMS_JSON
        prints X-Twilio-Signature for a POST of PARAMS_JSON to URL, as
        Twilio computes it (RequestValidator.compute_signature);
    send BASE ACCOUNT_SID AUTH_TOKEN FROM TO BODY
        sends a message with twilio.rest.Client pointed at BASE (the test
        kit's stand-in) and prints what the client read back as JSON.
"""

import json
import sys

from twilio.request_validator import RequestValidator
from twilio.rest import Client


def sign(url, token, params):
    print(RequestValidator(token).compute_signature(url, json.loads(params)))


def send(base, sid, token, sender, to, body):
    client = Client(sid, token)
    client.api.base_url = base
    m = client.messages.create(from_=sender, to=to, body=body)
    print(json.dumps({"sid": m.sid, "status": m.status, "num_segments": m.num_segments,
                      "to": m.to, "from": m.from_, "body": m.body}))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"sign": sign, "send": send}[command](*args)
