"""Signs one message (stdin) with DKIM the way a sending domain's server
does, using dkimpy, and prints the signed message to stdout.

usage: dkim_sign.py KEY.pem SELECTOR DOMAIN
"""
import sys

import dkim

key_path, selector, domain = sys.argv[1:4]
message = sys.stdin.buffer.read()
with open(key_path, "rb") as f:
    key = f.read()
signature = dkim.sign(
    message,
    selector.encode(),
    domain.encode(),
    key,
    include_headers=[b"from", b"to", b"subject", b"message-id", b"date"],
)
sys.stdout.buffer.write(signature + message)
