#!/usr/bin/env python3
"""Times the reports page over a million tickets (BENCHMARKS.md, "Reports").

Makes a fresh SQLite data folder with `atiende migrate`, writes N report
facts straight into `report_tickets` (spread over the last two years, on
five channels, three groups, ten agents, a tenth rated, each on one of 300
topics, the frequent ones far more often), starts the server, signs in
through the form and asks for the reports page and the frequent problems
page RUNS times for each period, then prints p50/p95/max per period. Run it
against a release build:

    python3 scripts/bench-reports.py target/release/atiende [N] [RUNS]

With BENCH_KEEP=1 the data folder is kept (and printed) for profiling.
"""
import http.cookiejar
import os
import random
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

binary = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 40
port = 18_590
data = tempfile.mkdtemp(prefix="atiende-reports-bench-")
env = dict(os.environ, ATIENDE_DATA=data, ATIENDE_LISTEN=f"127.0.0.1:{port}", ATIENDE_LOG="warn",
           ATIENDE_RATE_LIMIT_PER_MINUTE="1000000000")
try:
    subprocess.run([binary, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "admin", "create", "--email", "bench@example.com", "--name", "Bench",
                    "--password", "bench-password"], env=env, check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(data, "atiende.db"))
    now = int(time.time())
    rng = random.Random(7)
    channels = ["email", "web", "chat", "whatsapp", "sms"]

    # Tickets are numbered in the order they come: the instants are drawn
    # over two years, then sorted.
    instants = sorted(now - rng.randrange(730 * 86_400) for _ in range(n))

    def rows():
        for i in range(1, n + 1):
            created = instants[i - 1]
            # As in a working help desk: nearly everything older than a
            # fortnight is solved; a third of the last fortnight's is open.
            recent = created > now - 14 * 86_400
            open_now = rng.random() < (0.3 if recent else 0.002)
            solved = None if open_now else min(created + rng.randrange(600, 5 * 86_400), now - 1)
            replies = rng.randrange(0, 5)
            first = rng.randrange(1, 3000) if replies else None
            rated = rng.random() < 0.1
            row = (i, created, channels[i % 5], 1 + i % 3, 1 + i % 10, None, 100 + i % 5000,
                   "solved" if solved else "open", " vip " if i % 7 == 0 else "  ", solved,
                   rng.randrange(0, 10), first, first and first // 3,
                   solved and (solved - created) // 60, solved and (solved - created) // 180,
                   rng.randrange(0, 3000), rng.randrange(0, 1000), rng.randrange(0, 2000),
                   rng.randrange(0, 800), 1 if rng.random() < 0.05 else 0, replies,
                   (1 if rng.random() < 0.8 else 0) if rated else None, channels[i % 5] if rated else None,
                   rng.randrange(1, 8) if rated else None, now,
                   f"tag:t{int(rng.paretovariate(1.2)) % 300}", None)
            yield row + (packed(row),)

    def packed(row):
        """The counted facts packed as migration 45 says."""
        wide = [row[1], row[3], row[4], row[9]]
        narrow = [row[10], *row[11:21], row[21], row[23]]
        return struct.pack(">4q13i", *[-(2**63) if v is None else v for v in wide],
                           *[-(2**31) if v is None else v for v in narrow])

    start = time.time()
    db.executemany("INSERT INTO report_tickets VALUES (" + ",".join("?" * 28) + ")", rows())
    db.commit()
    db.execute("ANALYZE")
    db.close()
    print(f"seeded {n} report facts in {time.time() - start:.1f} s")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/login", timeout=1)
                break
            except Exception:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{base}/login")
        csrf = next(c.value for c in jar if c.name == "atiende_login_csrf")
        form = urllib.parse.urlencode({"email": "bench@example.com", "password": "bench-password",
                                       "csrf": csrf, "next": "/agent"}).encode()
        opener.open(f"{base}/login", form)
        today = time.strftime("%Y-%m-%d", time.gmtime(now))
        pages = [("reports", d) for d in (1, 7, 30, 90)] + [("reports/problems", d) for d in (7, 30)]
        for page, days in pages:
            first = time.strftime("%Y-%m-%d", time.gmtime(now - (days - 1) * 86_400))
            url = f"{base}/agent/{page}?from={first}&to={today}"
            took = []
            for i in range(runs + 2):
                t = time.perf_counter()
                body = opener.open(url).read().decode()
                if i >= 2:  # the first two warm the caches
                    took.append((time.perf_counter() - t) * 1000)
            assert "report-table" in body
            created = re.search(r'slice=created">([0-9]+)<', body)
            took.sort()
            p95 = took[max(0, int(round(0.95 * len(took))) - 1)]
            print(f"{page:<16} {days:>4} days ({created.group(1) if created else '?'} created): "
                  f"p50 {statistics.median(took):7.1f} ms  p95 {p95:7.1f} ms  max {took[-1]:7.1f} ms")
    finally:
        server.terminate()
        server.wait()
finally:
    if os.environ.get("BENCH_KEEP"):
        print(f"kept {data}")
    else:
        shutil.rmtree(data, ignore_errors=True)
