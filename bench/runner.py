"""The benchmark runner: real HTTP requests against the real application on a generated
database, as logged-in users (password + TOTP), so sessions, region scoping, the sharing
policy, decryption and the audit log all run.

One run measures, per page type, p50 and p95 in milliseconds (one client, requests one after
another, after a warm-up):

- person:               GET /personen/<id>, the procesregisseur, persons spread over the region
- caseload:             GET /caseload, coördinators with a caseload of about 20
- region_overview_first / region_overview_middle: GET /regio-overzicht?page=1 and the middle page
- bsn_search:           POST /personen/ with a BSN (blind index, candidates decrypted)
- national_report:      GET /rapportages/landelijk, the landelijk analist

and then:

- ceiling:     requests/second of the person page against GET /account (the smallest page that
               still runs the whole login machinery: session lookup, idle check, user and
               region loading, login_required, the base layout), several clients at once
- null_cipher: the person page with AES-GCM switched off in the server (bench/null_cipher.py)

With a baseline scale the same is measured on a second database and the ratios are given.
"""

from __future__ import annotations

import http.client
import json
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pyotp

from bench.generate import PROJECT_ROOT, Manifest, manifest_path

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
PAGES_RE = re.compile(r"Pagina \d+ van (\d+)")
PERSON_LINK_RE = re.compile(r"/personen/[0-9a-f]{8}-[0-9a-f-]{27}")
PAGE_KEYS = (
    "person",
    "caseload",
    "region_overview_first",
    "region_overview_middle",
    "bsn_search",
    "national_report",
)
LABELS = {
    "person": "persoonspagina",
    "caseload": "caseload",
    "region_overview_first": "regio-overzicht p. 1",
    "region_overview_middle": "regio-overzicht midden",
    "bsn_search": "zoeken op BSN (POST)",
    "national_report": "landelijke maandcijfers",
}


class BenchError(Exception):
    pass


# ---------------------------------------------------------------- the server


class Server:
    """`bench.serve` in a child process."""

    def __init__(self, url: str) -> None:
        self.log = manifest_path(url).with_suffix(".server.log")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._err = self.log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.serve", "--url", url],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=self._err,
            text=True,
        )
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise BenchError(f"server start mislukt; zie {self.log}")
        self.port = int(line.split()[1])

    def null_cipher(self, on: bool) -> None:
        self.proc.send_signal(signal.SIGUSR1 if on else signal.SIGUSR2)
        time.sleep(0.7)  # the server handles signals between polls (0.5 s)

    def null_stats(self) -> dict:
        self._err.flush()
        found = re.findall(r"NULL hits=(\d+) misses=(\d+)", self.log.read_text())
        if not found:
            return {}
        hits, misses = found[-1]
        return {"hits": int(hits), "misses": int(misses)}

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self._err.close()


# ---------------------------------------------------------------- a client


@dataclass
class Client:
    """One browser: a keep-alive connection and its cookies."""

    port: int
    cookies: dict = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"User-Agent": "levensloop-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[key] = morsel.value
                else:
                    self.cookies.pop(key, None)
        return response.status, response.headers, data.decode("utf-8", "replace")

    def get(self, path: str, expect: int = 200) -> str:
        status, _headers, text = self.request("GET", path)
        if status != expect:
            raise BenchError(f"GET {path.split('?')[0]}: status {status}, verwacht {expect}")
        return text

    def post(self, path: str, form: dict, expect: int = 200):
        status, headers, text = self.request("POST", path, form)
        if status != expect:
            raise BenchError(f"POST {path}: status {status}, verwacht {expect}")
        return headers, text

    def login(self, username: str, password: str, totp_secret: str) -> None:
        token = csrf(self.get("/inloggen"))
        self.post(
            "/inloggen", {"csrf_token": token, "username": username, "password": password}, 302
        )
        page = self.get("/inloggen/code")
        totp = pyotp.TOTP(totp_secret)
        for _attempt in range(2):
            form = {"csrf_token": csrf(page), "code": totp.now()}
            status, _headers, page = self.request("POST", "/inloggen/code", form)
            if status == 302:
                return
            # The code of this 30-second step was used already (replay protection): wait for
            # the next step.
            time.sleep(totp.interval - time.time() % totp.interval + 1)
        raise BenchError(f"inloggen van {username} mislukt (status {status})")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    if not match:
        raise BenchError("geen CSRF-token op de pagina")
    return match.group(1) or match.group(2)


# ---------------------------------------------------------------- measuring


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95_index = max(0, min(len(ordered) - 1, round(0.95 * len(ordered) + 0.5) - 1))
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[p95_index] * 1000, 1),
        "requests": len(ordered),
    }


def timed(calls, count: int, warmup: int) -> dict:
    """Run `calls(i)` warmup + count times one after another; percentiles of the last `count`."""
    for i in range(warmup):
        calls(i)
    samples = []
    for i in range(count):
        start = time.perf_counter()
        calls(warmup + i)
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def throughput(port: int, cookies: dict, path_of, total: int, concurrency: int) -> float:
    """Requests per second with `concurrency` clients sharing one logged-in session."""
    counter = iter(range(total))
    lock = threading.Lock()
    errors: list[str] = []

    def work():
        client = Client(port, dict(cookies))
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            try:
                client.get(path_of(i))
            except Exception as exc:  # reported after the run
                errors.append(str(exc))
                break
        client.close()

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise BenchError(f"doorvoermeting mislukt: {errors[0]}")
    return round(total / elapsed, 1)


def measure(
    manifest: Manifest, *, requests: int = 100, warmup: int = 5, concurrency: int = 4, log=print
) -> dict:
    """Every measurement of one run against one generated database."""
    codes = sorted(manifest.sample_persons)
    code = codes[len(codes) // 2]  # a region in the middle of the list
    users = manifest.region_users[code]
    persons = manifest.sample_persons[code]
    bsns = manifest.sample_bsns[code]
    pw, secret = manifest.password, manifest.totp_secret
    server = Server(manifest.url)
    clients: list[Client] = []
    try:
        log(f"Meten: {manifest.scale:,} personen op {manifest.db}, regio {code}")

        def client_for(username: str) -> Client:
            client = Client(server.port)
            client.login(username, pw, secret)
            clients.append(client)
            return client

        pr = client_for(users["procesregisseur"])
        coordinators = [client_for(name) for name in users["coordinators"][:3]]
        analyst = client_for(manifest.analyst)
        result: dict = {"scale": manifest.scale, "db": manifest.db, "region": code}

        result["person"] = timed(
            lambda i: pr.get(f"/personen/{persons[i % len(persons)]}"), requests, warmup
        )
        result["caseload"] = timed(
            lambda i: coordinators[i % len(coordinators)].get("/caseload"), requests, warmup
        )
        first = pr.get("/regio-overzicht?page=1")
        found = PAGES_RE.search(first)
        pages = int(found.group(1)) if found else 1
        middle = max(1, (pages + 1) // 2)
        result["region_overview_first"] = timed(
            lambda i: pr.get("/regio-overzicht?page=1"), requests, warmup
        )
        result["region_overview_middle"] = timed(
            lambda i: pr.get(f"/regio-overzicht?page={middle}"), requests, warmup
        )
        result["region_overview_middle"]["page"] = middle
        result["region_overview_middle"]["pages"] = pages
        token = csrf(pr.get("/personen/"))

        def search(i: int) -> None:
            _headers, text = pr.post(
                "/personen/", {"csrf_token": token, "bsn": bsns[i % len(bsns)]}
            )
            if not PERSON_LINK_RE.search(text):
                raise BenchError("zoeken op BSN gaf geen resultaat")

        result["bsn_search"] = timed(search, requests, warmup)
        result["national_report"] = timed(
            lambda i: analyst.get("/rapportages/landelijk"), requests, warmup
        )
        for key in PAGE_KEYS:
            p50, p95 = result[key]["p50_ms"], result[key]["p95_ms"]
            log(f"  {LABELS[key]:<26}p50 {p50:>8} ms   p95 {p95:>8} ms")

        # The ceiling: the person page against the smallest authenticated page.
        total = max(requests * 2, 40)
        result["ceiling"] = {
            "concurrency": concurrency,
            "requests": total,
            "minimal_route": "/account",
            "minimal_rps": throughput(
                server.port, pr.cookies, lambda i: "/account", total, concurrency
            ),
            "person_rps": throughput(
                server.port,
                pr.cookies,
                lambda i: f"/personen/{persons[i % len(persons)]}",
                total,
                concurrency,
            ),
        }
        ceiling = result["ceiling"]
        ceiling["person_share_of_ceiling"] = round(
            ceiling["person_rps"] / ceiling["minimal_rps"], 3
        )
        log(
            f"  doorvoer ({concurrency} clients)   /account {ceiling['minimal_rps']} req/s, "
            f"persoonspagina {ceiling['person_rps']} req/s "
            f"({ceiling['person_share_of_ceiling']:.0%} van het plafond)"
        )

        # Encryption against the null cipher, on the same persons, same session, same process.
        aes = timed(
            lambda i: pr.get(f"/personen/{persons[i % len(persons)]}"), requests, len(persons)
        )
        server.null_cipher(True)
        try:
            null = timed(
                lambda i: pr.get(f"/personen/{persons[i % len(persons)]}"), requests, warmup
            )
        finally:
            server.null_cipher(False)
        result["null_cipher"] = {
            "person_aes_gcm": aes,
            "person_null_cipher": null,
            "encryption_share_p50": round(1 - null["p50_ms"] / aes["p50_ms"], 3),
            "decrypt_lookups": server.null_stats(),
        }
        log(
            f"  persoonspagina AES-GCM p50 {aes['p50_ms']} ms, nulcijfer p50 {null['p50_ms']} ms "
            f"(versleuteling {result['null_cipher']['encryption_share_p50']:.1%} van de tijd)"
        )
        return result
    finally:
        for client in clients:
            client.close()
        server.stop()


def ratios(big: dict, small: dict) -> dict:
    out = {}
    for key in PAGE_KEYS:
        out[key] = {
            "p50": round(big[key]["p50_ms"] / small[key]["p50_ms"], 2),
            "p95": round(big[key]["p95_ms"] / small[key]["p95_ms"], 2),
        }
    return out


# ---------------------------------------------------------------- output


def table(result: dict) -> str:
    """A Markdown table of one run (with the baseline and ratios when present)."""
    base = result.get("baseline")
    ratio_key = next((k for k in result if k.startswith("ratio_")), None)
    head = f"| pagina ({result['db']}) | {result['scale']:,} p50 | p95 |"
    line = "| --- | ---: | ---: |"
    if base:
        head += f" {base['scale']:,} p50 | p95 | verhouding p50 | p95 |"
        line += " ---: | ---: | ---: | ---: |"
    rows = [head, line]
    for key in PAGE_KEYS:
        row = f"| {LABELS[key]} | {result[key]['p50_ms']} ms | {result[key]['p95_ms']} ms |"
        if base:
            r = result[ratio_key][key]
            row += (
                f" {base[key]['p50_ms']} ms | {base[key]['p95_ms']} ms |"
                f" {r['p50']}× | {r['p95']}× |"
            )
        rows.append(row)
    c, n = result["ceiling"], result["null_cipher"]
    rows.append("")
    rows.append(
        f"Doorvoer ({c['concurrency']} clients): /account {c['minimal_rps']} req/s, "
        f"persoonspagina {c['person_rps']} req/s = {c['person_share_of_ceiling']:.0%} van het "
        f"plafond."
    )
    rows.append(
        f"Persoonspagina met AES-GCM p50 {n['person_aes_gcm']['p50_ms']} ms / p95 "
        f"{n['person_aes_gcm']['p95_ms']} ms; met nulcijfer p50 "
        f"{n['person_null_cipher']['p50_ms']} ms / p95 {n['person_null_cipher']['p95_ms']} ms "
        f"(versleuteling {n['encryption_share_p50']:.1%} van de p50)."
    )
    if base:
        c, n = base["ceiling"], base["null_cipher"]
        rows.append(
            f"Bij {base['scale']:,}: doorvoer /account {c['minimal_rps']} req/s, persoonspagina "
            f"{c['person_rps']} req/s ({c['person_share_of_ceiling']:.0%}); nulcijfer p50 "
            f"{n['person_null_cipher']['p50_ms']} ms tegen {n['person_aes_gcm']['p50_ms']} ms."
        )
    return "\n".join(rows)


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
