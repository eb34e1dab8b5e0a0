"""A real IMAP client (Python's imaplib) for the tests: appends a message
read from stdin to a folder, or counts the messages matching a search.

usage: imap_tool.py PORT USER PASSWORD append FOLDER < message
       imap_tool.py PORT USER PASSWORD count FOLDER CRITERIA
The server is 127.0.0.1 in the clear (the tests' own Dovecot)."""
import imaplib
import sys

port, user, password, action, folder = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, password)
if action == "append":
    typ, data = m.append(folder, None, None, sys.stdin.buffer.read())
    print(typ, data[0].decode() if data and data[0] else "")
elif action == "count":
    typ, _ = m.select(folder, readonly=True)
    if typ != "OK":
        print(-1)
    else:
        typ, data = m.search(None, sys.argv[6])
        print(len(data[0].split()) if data and data[0] else 0)
m.logout()
