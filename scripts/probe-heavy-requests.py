#!/usr/bin/env python3
"""The outside probe of issue 9, repeated against a running server: heavy documents from
several clients at once, and what they do to a simple query's latency and to the server's
resident memory (RSS, read from /proc of the server's process).

    scripts/probe-heavy-requests.sh      # builds a release server with demo data and runs this

Rounds: (1) the 1 MiB batch of 21 documents, each 300 aliases of 100 grievances with 100
comments (refused: batch size); (2) one such document (refused: repeated field); (3) ten aliases
of it (refused: cost); (4) the heaviest document the limits allow, from 8 clients for a while.
Each round sends from 4 (round 4: 8) clients at once while one client times a simple query.
"""
import json
import sys
import threading
import time
import urllib.request

URL, PID, SLUG_ID = sys.argv[1], int(sys.argv[2]), sys.argv[3]
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def post(body, timeout=60):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(URL, data=data, headers={"content-type": "application/json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, text = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read()
    return status, len(text), time.perf_counter() - started


ONE = "grievances(neighbourhoodId: $n, first: 100) { edges { node { id title comments(first: 100) { edges { node { id body } } } } } }"


def aliases(n):
    return "query Heavy($n: ID!) {\n" + "\n".join(f"a{i}: {ONE}" for i in range(n)) + "\n}"


HEAVY = aliases(300)
ROUNDS = [
    ("1 MiB batch of 21 heavy documents", [{"query": HEAVY, "variables": {"n": SLUG_ID}}] * 21, 4),
    ("one heavy document (300 aliases)", {"query": HEAVY, "variables": {"n": SLUG_ID}}, 4),
    ("ten aliases (cost)", {"query": aliases(10), "variables": {"n": SLUG_ID}}, 4),
    (
        "the heaviest allowed document (cost 9,801)",
        {
            "query": "query($n: ID!) { grievances(neighbourhoodId: $n, first: 100) { edges { node { id title body comments(first: 23) { edges { node { id body } } } } } } }",
            "variables": {"n": SLUG_ID},
        },
        8,
    ),
]
SIMPLE = {"query": "{ themes { key name } }"}

print(f"idle RSS: {rss_mib(PID):.1f} MiB")
for name, body, _ in ROUNDS[:3]:
    body = json.dumps(body).encode()
    one_by_one = sorted(post(body)[2] for _ in range(50))
    print(f"{name}, one client: refused in median {one_by_one[25] * 1000:.1f} ms, slowest {one_by_one[-1] * 1000:.1f} ms")
for name, body, clients in ROUNDS:
    body = json.dumps(body).encode()
    size = len(body)
    stop = threading.Event()
    results = []

    def attack():
        while not stop.is_set():
            results.append(post(body))

    threads = [threading.Thread(target=attack) for _ in range(clients)]
    peak = rss_mib(PID)
    for t in threads:
        t.start()
    simple = []
    end = time.time() + SECONDS
    while time.time() < end:
        simple.append(post(SIMPLE)[2])
        peak = max(peak, rss_mib(PID))
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join()
    time.sleep(1)
    statuses = sorted({r[0] for r in results})
    per_request = sorted(r[2] for r in results)
    simple.sort()
    print(
        f"{name}: {size / 1024:.0f} KiB, {clients} clients, {len(results)} requests answered {statuses}, "
        f"median {per_request[len(per_request) // 2] * 1000:.1f} ms; simple query meanwhile: "
        f"median {simple[len(simple) // 2] * 1000:.1f} ms, slowest {simple[-1] * 1000:.1f} ms; "
        f"RSS peak {peak:.1f} MiB, after {rss_mib(PID):.1f} MiB"
    )
