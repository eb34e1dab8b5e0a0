"""Delivers one message (read from stdin) to an SMTP server with Python's
smtplib, the way an MTA or a script would, and prints the server's answers.

usage: send.py HOST PORT MAIL_FROM RCPT [RCPT...]
"""
import smtplib
import sys

host, port, mail_from, rcpts = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
body = sys.stdin.buffer.read()
with smtplib.SMTP(host, port, timeout=30) as s:
    s.ehlo("client.example.com")
    print("MAIL", *s.mail(mail_from))
    accepted = 0
    for r in rcpts:
        code, msg = s.rcpt(r)
        print("RCPT", code, msg.decode())
        accepted += code == 250
    if accepted:
        code, msg = s.data(body)
        print("DATA", code, msg.decode())
