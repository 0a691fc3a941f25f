"""The fleet's proofs (run by fleet/test.sh against fleet/up.sh's fleet): fresh reads after writes across replicas,
a scheduled article published once by three replicas, a replica killed under load, the standby stopped under load,
and the standby's replay paused while editors write. Prints its figures as markdown."""
import http.client
import json
import os
import random
import statistics
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FLEET_DIR = os.environ["FLEET_DIR"]
API = [int(p) for p in os.environ["FLEET_API_PORTS"].split()]
LB = int(os.environ["BALANCER_PORT"])
ADMIN = open(os.path.join(FLEET_DIR, "admin.key")).read().strip()
ARTICLE = "venezuela-defies-the-us"
SCHEDULED = "the-long-memory-of-lepanto"
TARGETS = [("api1", API[0]), ("api2", API[1]), ("api3", API[2]), ("balancer", LB)]

_local = threading.local()


def call(port, method, path, body=None, key=None, headers=None, timeout=10, retry=True):
    """One request over a kept-alive connection per thread and port; (status, response, parsed body or text). A GET
    whose kept-alive connection turns out closed is sent once more on a new one, unless retry is False (the load
    loops count every failure)."""
    conns = _local.__dict__.setdefault("conns", {})
    hdrs = dict(headers or {})
    if key:
        hdrs["Authorization"] = f"Bearer {key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    for attempt in (1, 2):
        conn = conns.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conns[port] = conn
        try:
            conn.request(method, path, body=data, headers=hdrs)
            response = conn.getresponse()
            raw = response.read()
            text = raw.decode("utf-8", "replace")
            try:
                parsed = json.loads(text) if text else None
            except ValueError:
                parsed = text
            return response.status, response, parsed
        except (ConnectionError, http.client.HTTPException, OSError):
            conn.close()
            conns.pop(port, None)
            if attempt == 2 or method not in ("GET", "HEAD") or not retry:
                raise
    raise AssertionError("unreachable")


def sql(port, query):
    """A query as the superuser over the fleet's socket, on the primary or the standby."""
    out = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-h", os.path.join(FLEET_DIR, "run"), "-p", str(port),
                          "-d", "contentapi", "-Atqc", query], capture_output=True, text=True, cwd="/", check=True)
    return out.stdout.strip()


PRIMARY = int(os.environ["PRIMARY_PORT"])
STANDBY = int(os.environ["STANDBY_PORT"])


def managed_url(slug):
    status, _, page = call(API[0], "GET", "/v1/manage/articles?limit=100", key=ADMIN)
    assert status == 200, page
    return "/v1/manage/articles/" + next(i["id"] for i in page["items"] if i["slug"] == slug)


def etag_of(url):
    status, response, body = call(API[0], "GET", url, key=ADMIN)
    assert status == 200, body
    return response.getheader("ETag")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def read_until_fresh(port, title, started, results, key, deadline=10.0):
    """Polls the article anonymously until it shows title; records ms since started (None if never)."""
    while time.perf_counter() - started < deadline:
        try:
            status, _, body = call(port, "GET", f"/v1/articles/{ARTICLE}")
            if status == 200 and body.get("title") == title:
                results[key] = (time.perf_counter() - started) * 1000
                return
        except (ConnectionError, OSError, http.client.HTTPException):
            pass
        time.sleep(0.002)
    results[key] = None


def write_then_read_everywhere(url, etag, title, writer_port):
    status, response, body = call(writer_port, "PATCH", url, body={"title": title}, key=ADMIN, timeout=60,
                                  headers={"If-Match": etag, "Content-Type": "application/merge-patch+json"})
    assert status == 200, (status, body)
    started = time.perf_counter()
    results = {}
    threads = [threading.Thread(target=read_until_fresh, args=(port, title, started, results, name)) for name, port in TARGETS]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return response.getheader("ETag"), results


def stale_after_fresh(title, reads=5):
    """Reads the article again through every target: how many answers are older than title."""
    stale = 0
    for _, port in TARGETS:
        for _ in range(reads):
            status, _, body = call(port, "GET", f"/v1/articles/{ARTICLE}")
            stale += status != 200 or body.get("title") != title
    return stale


def proof_fresh_reads(writes):
    url = managed_url(ARTICLE)
    etag = etag_of(url)
    # One write first, not counted: the first after a start also pays for JIT compilation and new connections.
    etag, warm = write_then_read_everywhere(url, etag, f"Fleet warm-up {uuid.uuid4().hex[:8]}", API[0])
    times = {name: [] for name, _ in TARGETS}
    never, slow = 0, []
    for i in range(writes):
        etag, results = write_then_read_everywhere(url, etag, f"Fleet write {i} {uuid.uuid4().hex[:8]}", API[i % 3])
        for name, ms in results.items():
            if ms is None:
                never += 1
            else:
                times[name].append(ms)
                if ms > 1000:
                    slow.append(f"write {i} (through api{i % 3 + 1}) read through {name}: {ms:.0f} ms")
    print(f"\n### (a) {writes} writes (round robin over the replicas), each read until fresh through every replica and the balancer\n")
    print("| read through | max ms | p99 ms | median ms |\n|---|---|---|---|")
    everything = []
    for name, values in times.items():
        everything += values
        print(f"| {name} | {max(values):.0f} | {percentile(values, 99):.0f} | {statistics.median(values):.1f} |")
    print(f"| all | {max(everything):.0f} | {percentile(everything, 99):.0f} | {statistics.median(everything):.1f} |")
    print(f"\nwarm-up write, not counted: " + ", ".join(f"{name} {ms:.0f} ms" if ms is not None else f"{name} never" for name, ms in warm.items()))
    print(f"\nnever fresh within 10 s: {never}; over 1 s: {len(slow)} of {writes * len(TARGETS)}" + "".join(f"\n- {line}" for line in slow))


class Receiver(BaseHTTPRequestHandler):
    received = {}

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        Receiver.received.setdefault(self.server.server_port, []).append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def proof_scheduled_once():
    # Two receivers on ports the system picks (fixed ones may be some connection's ephemeral port at the moment).
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), Receiver) for _ in range(2)]
    receivers = [server.server_port for server in servers]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    hooks = []
    for port in receivers:
        status, response, body = call(API[0], "POST", "/v1/manage/webhooks", key=ADMIN,
                                      body={"url": f"http://127.0.0.1:{port}/hooks/content", "eventTypes": ["article.published"]})
        assert status == 201, body
        hooks.append(response.getheader("Location"))
    url = managed_url(SCHEDULED)
    if sql(PRIMARY, f"SELECT status FROM articles WHERE slug = '{SCHEDULED}'") != "draft":
        status, _, body = call(API[0], "POST", url + "/unpublish", key=ADMIN)
        assert status == 200, body
    before = int(sql(PRIMARY, "SELECT coalesce(max(sequence), 0) FROM content_changes"))
    audit_before = int(sql(PRIMARY, "SELECT coalesce(max(id), 0) FROM audit_log"))
    # Past the schedulers' 15 s poll, so that all three have seen the schedule and wake for it together.
    publish_at = time.time() + 17
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(publish_at)) + f".{int(publish_at % 1 * 1000):03d}Z"
    status, _, body = call(API[0], "POST", url + "/schedule", key=ADMIN, body={"publishAt": stamp})
    assert status == 200, body
    deadline = publish_at + 20
    while time.time() < deadline and any(
            sum(1 for e in Receiver.received.get(p, []) if e["data"]["slug"] == SCHEDULED) == 0 for p in receivers):
        time.sleep(0.2)
    time.sleep(2)  # room for a duplicate to show
    article_id = url.rsplit("/", 1)[1]
    events = sql(PRIMARY, f"SELECT count(*) FROM content_changes WHERE sequence > {before} AND resource_id = '{article_id}' AND action = 'published'")
    audit = sql(PRIMARY, f"SELECT count(*) FROM audit_log WHERE id > {audit_before} AND resource_id = '{article_id}' AND action = 'publish'")
    rows = sql(PRIMARY, f"SELECT count(*) FROM webhook_deliveries d JOIN content_changes c ON c.sequence = d.sequence "
                        f"WHERE c.sequence > {before} AND c.resource_id = '{article_id}'")
    late_ms = float(sql(PRIMARY, f"SELECT extract(epoch FROM (min(at) - published_at)) * 1000 FROM audit_log a JOIN articles r ON r.id = a.resource_id "
                                 f"WHERE a.id > {audit_before} AND a.resource_id = '{article_id}' AND a.action = 'publish' GROUP BY published_at") or "nan")
    per_receiver = [sum(1 for e in Receiver.received.get(p, []) if e["data"]["slug"] == SCHEDULED) for p in receivers]
    print("\n### (b) three replicas, one article scheduled 17 s ahead\n")
    print(f"published events: {events}; scheduler audit entries: {audit}; delivery rows: {rows} for {len(receivers)} endpoints; "
          f"webhooks received per endpoint: {per_receiver}; published {late_ms:.0f} ms after its publishAt")
    for hook in hooks:
        status, response, _ = call(API[0], "GET", hook, key=ADMIN)
        call(API[0], "DELETE", hook, key=ADMIN, headers={"If-Match": response.getheader("ETag")})
    for server in servers:
        server.shutdown()


WORDS = ["oil", "church", "harvest", "treaty", "doctrine", "pilgrim", "chant", "crusade", "monroe", "caracas", "river", "price"]


def load(port, seconds, outcome, stop, cache_missing=False):
    """Reads in a loop until stop is set or time runs out, counting answers by status (exceptions as 'error')."""
    until = time.time() + seconds
    while time.time() < until and not stop.is_set():
        if cache_missing:
            path = f"/v1/search?q={random.choice(WORDS)}&limit={random.randint(1, 50)}"
        else:
            path = random.choice([f"/v1/articles/{ARTICLE}", "/v1/articles?limit=10", "/v1/sections", f"/v1/articles?limit={random.randint(1, 50)}"])
        try:
            status, _, _ = call(port, "GET", path, timeout=5, retry=False)
            key = str(status)
        except (ConnectionError, OSError, http.client.HTTPException) as ex:
            key = "error: " + type(ex).__name__
        with outcome["lock"]:
            outcome[key] = outcome.get(key, 0) + 1


def run_load(ports, seconds, during, cache_missing=False, threads_per_port=3):
    outcome = {"lock": threading.Lock()}
    stop = threading.Event()
    threads = [threading.Thread(target=load, args=(port, seconds, outcome, stop, cache_missing)) for port in ports for _ in range(threads_per_port)]
    for t in threads:
        t.start()
    during()
    for t in threads:
        t.join()
    outcome.pop("lock")
    return outcome


def fleet_shell(command):
    subprocess.run(["bash", "-c", f"source '{os.path.dirname(os.path.abspath(__file__))}/env.sh' && {command}"], check=True)


def proof_kill_replica():
    pid = int(open(os.path.join(FLEET_DIR, "pids", "api3")).read())

    def kill():
        time.sleep(3)
        os.kill(pid, 9)

    outcome = run_load([LB], 10, kill, threads_per_port=6)
    total = sum(outcome.values())
    failed = total - outcome.get("200", 0)
    print(f"\n### (c) kill -9 of api3 three seconds into 10 s of reads through the balancer (6 clients)\n")
    print(f"reads: {total}; failed: {failed}; by status: {outcome}")
    fleet_shell(f"start_api 3 && wait_for http://127.0.0.1:{API[2]}/health/ready 120")


def standby_reads():
    """Scans of the articles table on the standby: delivery reads, not the replicas' replay-position polls."""
    time.sleep(1.2)  # a backend reports its statistics at most once a second
    return int(sql(STANDBY, "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'articles'"))


def proof_standby_stopped():
    pg = f"runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D {FLEET_DIR}/standby"
    ports = [LB] + API
    before = standby_reads()
    warm = run_load(ports, 3, lambda: None, cache_missing=True, threads_per_port=1)
    used_before = standby_reads() - before

    def stop_and_start():
        time.sleep(2)
        subprocess.run(f"{pg} -m fast -w stop > /dev/null", shell=True, check=True)
        time.sleep(5)
        subprocess.run(f"{pg} -o '-p {STANDBY}' -l {FLEET_DIR}/logs/standby.log -w start > /dev/null", shell=True, check=True)

    outcome = run_load(ports, 12, stop_and_start, cache_missing=True, threads_per_port=1)
    time.sleep(1)
    after = standby_reads()
    run_load(ports, 3, lambda: None, cache_missing=True, threads_per_port=1)
    used_after = standby_reads() - after
    total = sum(outcome.values())
    errors = sum(v for k, v in outcome.items() if not k.startswith("2"))
    print("\n### (d) standby stopped 2 s into 12 s of uncached reads (search) through the balancer and each replica, started again 5 s later\n")
    print(f"reads: {total}; 5xx or failed: {errors}; by status: {outcome} (warm-up: {warm})")
    print(f"scans of articles on the standby in 3 s of reads before the stop: {used_before}; in 3 s after it came back: {used_after}")


def proof_replay_paused(writes):
    url = managed_url(ARTICLE)
    etag = etag_of(url)
    sql(STANDBY, "SELECT pg_wal_replay_pause()")
    try:
        times, stale, never = [], 0, 0
        for i in range(writes):
            title = f"Written while the standby is paused {i} {uuid.uuid4().hex[:8]}"
            etag, results = write_then_read_everywhere(url, etag, title, API[i % 3])
            never += sum(1 for ms in results.values() if ms is None)
            times += [ms for ms in results.values() if ms is not None]
            stale += stale_after_fresh(title)
        standby_title = sql(STANDBY, f"SELECT title FROM articles WHERE slug = '{ARTICLE}'")
        lag = sql(PRIMARY, "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) FROM pg_stat_replication")
    finally:
        sql(STANDBY, "SELECT pg_wal_replay_resume()")
    print(f"\n### (e) standby replay paused; {writes} editor writes, each read until fresh through every replica and the balancer, then 5 more reads each\n")
    print(f"time to fresh: max {max(times):.0f} ms, p99 {percentile(times, 99):.0f} ms; never fresh: {never}; "
          f"stale answers after fresh: {stale} of {writes * len(TARGETS) * 5}")
    print(f"the standby meanwhile still held \"{standby_title}\" ({lag} bytes of WAL behind)")


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    import sys
    chosen = sys.argv[1:] or ["a", "b", "c", "d", "e"]
    print(f"## Fleet run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n\n`{uptime()}`")
    if "a" in chosen:
        proof_fresh_reads(200)
    if "b" in chosen:
        proof_scheduled_once()
    if "c" in chosen:
        proof_kill_replica()
    if "d" in chosen:
        proof_standby_stopped()
    if "e" in chosen:
        proof_replay_paused(20)
    print(f"\n`{uptime()}`")
