"""Delivers one message (read from stdin) to an SMTP server with Python's
smtplib, the way an MTA or a script would, and prints the server's answers.

usage: send.py HOST PORT MAIL_FROM RCPT [RCPT...]
With ATIENDE_STARTTLS_CA=ca.pem in the environment it first upgrades the
session with STARTTLS, verifying the server against that CA, and prints
TLS and the protocol version.
"""
import os
import smtplib
import ssl
import sys

host, port, mail_from, rcpts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
body = sys.stdin.buffer.read()
with smtplib.SMTP(host, port, timeout=30) as s:
    s.ehlo("client.example.com")
    ca = os.environ.get("ATIENDE_STARTTLS_CA")
    if ca:
        print("EHLO offers STARTTLS", s.has_extn("starttls"))
        ctx = ssl.create_default_context(cafile=ca)
        code, msg = s.starttls(context=ctx)
        print("STARTTLS", code, s.sock.version())
        s.ehlo("client.example.com")
        print("EHLO after TLS offers STARTTLS", s.has_extn("starttls"))
    print("MAIL", *s.mail(mail_from))
    accepted = 0
    for r in rcpts:
        code, msg = s.rcpt(r)
        print("RCPT", code, msg.decode())
        accepted += code == 250
    if accepted:
        code, msg = s.data(body)
        print("DATA", code, msg.decode())
