"""Every page over HTTP against the floor, on PostgreSQL (issue 12).

    python -m bench.load [--database-url postgres://…/award_bench] [--rounds 3] [--duration 2]

Starts gunicorn (3 workers, loopback) on a database filled by ``python -m bench.seed``, with the
benchmark's settings (bench/settings.py: the floor view ``/__bench__/floor/`` behind the same
middleware, and the ``X-Queries`` header). Logs in one user per role (session cookie) and
measures each page with wrk (4 connections), the floor before and after it; a page slower than
half a second per request is measured with 4 threads of a small Python client instead. Each
measurement is bounded by ``--duration`` seconds and ``--max-requests`` requests. Then 100
certificates through a real Celery worker against a bare WeasyPrint render of the same HTML,
the peak RSS of the gunicorn workers, and that of the largest XLSX export.

Writes ``bench/results/<date>.json`` (one entry per scale) and the tables of
``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
LUA = ROOT / "bench" / "lua" / "bounded.lua"
FLOOR = "/__bench__/floor/"
CONNECTIONS = 4
SLOW_SECONDS = 0.5

# Targets of issue 12 (ratios against the floor of the same run).
TARGETS = {
    "public": {"ratio_p50": 3.0, "ratio_p99": 5.0, "ratio_rps": 0.30},
    "staff": {"ratio_p50": 15.0, "ratio_p99": 20.0, "ratio_rps": None},
}


@dataclass(frozen=True)
class Page:
    name: str
    audience: str  # public | staff
    role: str  # "" (anonymous) or the login of bench.data's user, without the prefix
    path: str  # formatted with the ids of Ids


# The pages of the issue's table first, then every other list or public page.
PAGES = [
    Page("expert pool (office)", "staff", "office", "/review/experts/"),
    Page("public announcements", "public", "", "/announcements/"),
    Page("public landing page", "public", "", "/"),
    Page("cycle review page (office)", "staff", "office", "/review/cycles/{cycle}/"),
    Page("office application list, all programmes", "staff", "office", "/applications/office/"),
    Page("ranking page", "staff", "office", "/review/cycles/{cycle}/ranking/"),
    Page("ranking API", "staff", "office", "/api/v1/cycles/{cycle}/ranking/"),
    Page("ranking XLSX", "staff", "office", "/review/cycles/{cycle}/ranking.xlsx"),
    Page("public registry search", "public", "", "/awards/?q={query}"),
    Page("organisations (office)", "staff", "office", "/organisations/"),
    Page("public publicity list", "public", "", "/publicity/"),
    Page("public publicity API", "public", "", "/api/v1/public/publicity/"),
    Page("expert's assignments", "staff", "expert", "/review/assignments/"),
    Page("expert's assignments API", "staff", "expert", "/api/v1/assignments/"),
    Page("application detail (office)", "staff", "office", "/applications/{application}/"),
    Page("application review (office)", "staff", "office", "/review/applications/{application}/"),
    Page("verification page", "public", "", "/verify/{code}/"),
    Page("verification API", "public", "", "/api/v1/public/verify/{code}/"),
    # every other list or public page
    Page("public registry", "public", "", "/awards/"),
    Page("public registry API", "public", "", "/api/v1/awards/"),
    Page("public exposure list", "public", "", "/exposures/"),
    Page("login page", "public", "", "/accounts/login/"),
    Page("review dashboard (office)", "staff", "office", "/review/"),
    Page("expert list API (office)", "staff", "office", "/api/v1/experts/"),
    Page("application list API (office)", "staff", "office", "/api/v1/applications/"),
    Page("awards (office)", "staff", "office", "/awards/office/"),
    Page("award detail (office)", "staff", "office", "/awards/{award}/"),
    Page("organisation detail (office)", "staff", "office", "/organisations/{organisation}/"),
    Page("organisation claims (office)", "staff", "office", "/accounts/claims/"),
    Page("background jobs (office)", "staff", "office", "/notifications/jobs/"),
    Page("inbox (office)", "staff", "office", "/notifications/"),
    Page("recommendation queue (industry)", "staff", "industry", "/applications/recommend/"),
    Page("approvals (government)", "staff", "government", "/approvals/"),
]


# --- the database and the processes ------------------------------------------------------------


def setup_django(url: str, redis_url: str, queue: str) -> None:
    os.environ.update(
        DATABASE_URL=url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        DJANGO_SETTINGS_MODULE="bench.settings",
    )
    import django

    django.setup()


def pick_ids() -> dict:
    """The objects the pages show: the first programme's latest cycle (in publicity), one of
    its applications, an award and its verification code."""
    from applications.enums import ApplicationStatus
    from applications.models import Application
    from awards.models import Award
    from bench.data import PREFIX
    from programmes.models import Cycle

    cycle = Cycle.objects.filter(programme__code=f"{PREFIX}p000").order_by("-year").first()
    application = (
        Application.objects.filter(cycle=cycle, status=ApplicationStatus.PUBLICITY)
        .select_related("organisation", "cycle__programme")
        .order_by("pk")
        .first()
    ) or Application.objects.filter(cycle=cycle).order_by("pk").first()
    award = Award.objects.filter(programme=cycle.programme).order_by("-year", "pk").first()
    county = cycle.programme.name.removesuffix("质量奖")
    return {
        "cycle": cycle.pk,
        "application": application.pk,
        "organisation": application.organisation_id,
        "award": award.pk,
        "code": award.code,
        "query": application.organisation.name.removeprefix(county)[:2],
    }


def scale_of() -> str:
    from django.db import connection

    from bench.seed import MARKER

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT scale FROM {MARKER} ORDER BY seeded_at DESC LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else "unknown"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(url: str, redis_url: str, queue: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONPATH": str(ROOT),
    }


@contextlib.contextmanager
def gunicorn(url: str, redis_url: str, queue: str, workers: int = 3):
    port = free_port()
    log = open(RESULTS / ".gunicorn.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "award_portal.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--no-control-socket",
         "--timeout", "120"],
        cwd=ROOT, env=_env(url, redis_url, queue), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        import requests

        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{base}/healthz/", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bench: gunicorn did not start; see bench/results/.gunicorn.log")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def worker_pids(master: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True,
                         text=True, check=False).stdout  # fmt: skip
    return [int(p) for p in out.split()]


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the highest resident set size the process has had."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- measuring ---------------------------------------------------------------------------------


def login(base: str, username: str) -> str:
    """Log in through the login form; returns the Cookie header of the session."""
    import requests

    from bench.data import PASSWORD, PREFIX

    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=30)
    response = session.post(
        f"{base}/accounts/login/",
        data={
            "username": f"{PREFIX}{username}",
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"bench: login of {username} failed ({response.status_code})")
    return "; ".join(f"{k}={v}" for k, v in session.cookies.items())


def probe(url: str, cookie: str) -> dict:
    import requests

    headers = {"Cookie": cookie} if cookie else {}
    start = time.perf_counter()
    response = requests.get(url, headers=headers, timeout=300, allow_redirects=False)
    elapsed = time.perf_counter() - start
    return {
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": int(response.headers.get("X-Queries", -1)),
        "seconds": elapsed,
    }


def run_wrk(url: str, cookie: str, duration: float, max_requests: int) -> dict:
    threads = 2
    cmd = ["wrk", "-t", str(threads), "-c", str(CONNECTIONS), "-d", f"{max(1, round(duration))}s",
           "--timeout", "60s", "-s", str(LUA)]  # fmt: skip
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "BENCH_MAX_PER_THREAD": str(max(1, max_requests // threads))}
    out = subprocess.run([*cmd, url], capture_output=True, text=True, env=env, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("{"))
    raw = json.loads(line)
    seconds = raw["duration_us"] / 1e6
    return {
        "client": "wrk",
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "errors": raw["non_2xx_3xx"] + raw["timeouts"] + raw["socket_errors"],
    }


def run_threads(url: str, cookie: str, duration: float, max_requests: int) -> dict:
    """For slow pages: 4 threads, each at least one request, until the time or count bound."""
    import requests

    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client():
        nonlocal errors
        session = requests.Session()
        headers = {"Cookie": cookie} if cookie else {}
        first = True
        while first or (time.monotonic() < deadline and len(latencies) < max_requests):
            first = False
            start = time.perf_counter()
            response = session.get(url, headers=headers, timeout=300, allow_redirects=False)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors += response.status_code >= 400

    started = time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "client": "python",
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "errors": errors,
    }


def measure(url: str, cookie: str, duration: float, max_requests: int, slow: bool) -> dict:
    runner = run_threads if slow else run_wrk
    return runner(url, cookie, duration, max_requests)


def page_url(base: str, page: Page, ids: dict) -> str:
    return base + quote(page.path.format(**ids), safe="/?=&")


def measure_pages(base: str, cookies: dict, ids: dict, args) -> tuple[list[dict], dict]:
    """Rounds of floor, page, floor, page, … ; every page is compared with the mean of the
    floors measured just before and just after it, and the medians of the rounds are kept."""
    selected = [p for p in PAGES if not args.only or any(s in p.name for s in args.only)]
    probes = {}
    for page in selected:
        found = probe(page_url(base, page, ids), cookies.get(page.role, ""))
        if found["status"] != 200:
            raise SystemExit(f"bench: {page.name} answered {found['status']}")
        if page.role:
            # A logged-in request rewrites the session's idle-timeout stamp at most once a
            # minute: the page's own queries are those of a request that does not.
            again = probe(page_url(base, page, ids), cookies.get(page.role, ""))
            found["queries"] = min(found["queries"], again["queries"])
        probes[page.name] = found
        print(f"  probe {page.name}: {found['seconds'] * 1000:.0f} ms, "
              f"{found['queries']} queries, {found['bytes']} bytes")  # fmt: skip
    samples: dict[str, list[dict]] = {p.name: [] for p in selected}
    floors: list[dict] = []
    floor_url = base + FLOOR
    for round_no in range(args.rounds):
        before = measure(floor_url, "", args.duration, args.max_requests, slow=False)
        floors.append(before)
        for page in selected:
            slow = probes[page.name]["seconds"] > SLOW_SECONDS
            url = page_url(base, page, ids)
            result = measure(url, cookies.get(page.role, ""), args.duration, args.max_requests,
                             slow)  # fmt: skip
            after = measure(floor_url, "", args.duration, args.max_requests, slow=False)
            floors.append(after)
            floor = {k: (before[k] + after[k]) / 2 for k in ("rps", "p50_ms", "p99_ms")}
            result.update(
                ratio_p50=result["p50_ms"] / floor["p50_ms"],
                ratio_p99=result["p99_ms"] / floor["p99_ms"],
                ratio_rps=result["rps"] / floor["rps"],
            )
            samples[page.name].append(result)
            before = after
            print(f"  round {round_no + 1} {page.name}: {result['rps']:.1f} req/s, "
                  f"p50 {result['p50_ms']:.1f} ms ({result['ratio_p50']:.1f}× floor)")  # fmt: skip
    rows = []
    for page in selected:
        runs = samples[page.name]
        row = {
            "page": page.name,
            "audience": page.audience,
            "path": page.path,
            "client": runs[0]["client"],
            "bytes": probes[page.name]["bytes"],
            "queries": probes[page.name]["queries"],
            "requests": sum(r["requests"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
        }
        for key in ("rps", "p50_ms", "p99_ms", "ratio_p50", "ratio_p99", "ratio_rps"):
            row[key] = round(statistics.median(r[key] for r in runs), 3)
        row["meets_target"] = meets(row)
        rows.append(row)
    floor_row = {k: round(statistics.median(f[k] for f in floors), 3)
                 for k in ("rps", "p50_ms", "p99_ms")}  # fmt: skip
    floor_row["queries"] = probe(floor_url, "")["queries"]
    return rows, floor_row


def meets(row: dict) -> bool:
    target = TARGETS[row["audience"]]
    ok = row["ratio_p50"] <= target["ratio_p50"] and row["ratio_p99"] <= target["ratio_p99"]
    if target["ratio_rps"] is not None:
        ok = ok and row["ratio_rps"] >= target["ratio_rps"]
    return ok


# --- certificates and memory -------------------------------------------------------------------


@contextlib.contextmanager
def celery_worker(url: str, redis_url: str, queue: str):
    from award_portal.celery import app

    name = f"{queue}@localhost"
    log = open(RESULTS / ".worker.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "award_portal", "worker", "-P", "solo", "-Q", queue,
         "-n", name, "-l", "warning", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=_env(url, redis_url, queue), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bench: the Celery worker did not start; see .worker.log")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _certificates(n: int) -> list:
    """``n`` certificates not yet rendered; where the data holds fewer (county scale), copies
    of existing ones, each marked superseded so one award keeps one current certificate."""
    from django.utils import timezone

    from awards.models import Certificate

    found = list(Certificate.objects.filter(pdf="").order_by("pk")[:n])
    run = f"{os.getpid()}-{int(time.time())}"
    template = Certificate.objects.order_by("pk").first()
    extra = []
    for i in range(n - len(found)):
        copy = Certificate(
            award_id=template.award_id,
            serial=f"BENCH-COPY-{run}-{i:04d}",
            organisation_name=template.organisation_name,
            uscc=template.uscc,
            programme_name=template.programme_name,
            government_name=template.government_name,
            year=template.year,
            announced_on=template.announced_on,
            valid_until=template.valid_until,
            verification_code=template.verification_code,
            superseded_at=timezone.now(),
        )
        extra.append(copy)
    return found + Certificate.objects.bulk_create(extra)


def bench_certificates(url: str, redis_url: str, queue: str, n: int) -> dict:
    from django.db import transaction
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from awards.models import Certificate
    from awards.services.certificates import qr_svg, verification_url
    from common import outbox

    certificates = _certificates(n + 1)
    warm, certificates = certificates[0], certificates[1:]
    with celery_worker(url, redis_url, queue):

        def through_worker(batch) -> float:
            ids = [c.pk for c in batch]
            start = time.perf_counter()
            with transaction.atomic():
                for c in batch:
                    outbox.enqueue("awards.render_certificate", certificate_id=c.pk, label="bench")
            deadline = time.monotonic() + 30 + 5 * len(batch)
            while Certificate.objects.filter(pk__in=ids, rendered_at=None).exists():
                if time.monotonic() > deadline:
                    raise SystemExit("bench: the worker did not render the certificates in time")
                time.sleep(0.05)
            return time.perf_counter() - start

        through_worker([warm])  # the worker's first render loads WeasyPrint and the fonts
        worker_seconds = through_worker(certificates)
    from django.conf import settings

    bare_seconds = 0.0
    for i, c in enumerate([warm, *certificates]):
        url_ = verification_url(c.verification_code)
        html = render_to_string(
            "awards/pdf/certificate.html", {"c": c, "url": url_, "qr": qr_svg(url_)}
        )
        start = time.perf_counter()
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
        if i:
            bare_seconds += time.perf_counter() - start
    per_worker = worker_seconds / len(certificates)
    per_bare = bare_seconds / len(certificates)
    return {
        "count": len(certificates),
        "worker_ms_per_certificate": round(per_worker * 1000, 1),
        "bare_ms_per_certificate": round(per_bare * 1000, 1),
        "ratio": round(per_worker / per_bare, 2),
        "meets_target": per_worker / per_bare <= 1.5,
    }


XLSX_PROBE = """
import os, sys, json
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
import django
django.setup()
from django.test import Client
from accounts.models import User
def rss(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) / 1024
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username=sys.argv[1]))
client.get(sys.argv[2])  # imports and templates loaded
before = rss("VmHWM:")
response = client.get(sys.argv[2])
body = b"".join(response.streaming_content) if response.streaming else response.content
import io, openpyxl
rows = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active.max_row
print(json.dumps({"status": response.status_code, "bytes": len(body), "rows": rows,
                  "rss_before_mb": before, "peak_rss_mb": rss("VmHWM:")}))
"""


def bench_xlsx(url: str, redis_url: str, queue: str, path: str) -> dict:
    from bench.data import PREFIX

    out = subprocess.run(
        [sys.executable, "-c", XLSX_PROBE, f"{PREFIX}office", path],
        cwd=ROOT, env=_env(url, redis_url, queue), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = json.loads(out.strip().splitlines()[-1])
    found["export"] = path
    found["growth_mb"] = round(found["peak_rss_mb"] - found["rss_before_mb"], 1)
    return found


# --- the report --------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    import django
    import gunicorn

    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "os": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": pg,
        "wrk": (wrk.stdout + wrk.stderr).split("\n")[0].split(" [")[0].strip(),
    }


def counts() -> dict:
    from applications.models import Application
    from awards.models import Award
    from common.models import AuditEntry
    from programmes.models import Cycle, Programme
    from review.models import Assignment, ItemScore

    return {
        "programmes": Programme.objects.count(),
        "cycles": Cycle.objects.count(),
        "applications": Application.objects.count(),
        "assignments": Assignment.objects.count(),
        "item_scores": ItemScore.objects.count(),
        "awards": Award.objects.count(),
        "audit_entries": AuditEntry.objects.count(),
    }


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def markdown(result: dict) -> str:
    run = result
    m = run["machine"]
    c = run["data"]
    lines = [
        f"### {run['scale']} scale, {run['date']}",
        "",
        f"{c['programmes']} programmes, {c['cycles']} cycles, {c['applications']:,} applications,"
        f" {c['assignments']:,} assignments, {c['item_scores']:,} item scores,"
        f" {c['awards']:,} awards, {c['audit_entries']:,} audit entries."
        f" Machine: {m['cpu']}, {m['cores']} cores (shared), {m['memory_gb']} GB,"
        f" load average {m['load_average_at_start'][0]} at the start; {m['os']};"
        f" Python {m['python']}, Django {m['django']}, gunicorn {m['gunicorn']} (3 workers),"
        f" PostgreSQL {m['postgresql']}, {m['wrk']}, {CONNECTIONS} connections,"
        f" {run['settings']['rounds']} rounds of {run['settings']['duration']} s per measurement"
        " (medians).",
        "",
        "| page | audience | req/s | p50 | p99 | queries | p50 ÷ floor | p99 ÷ floor "
        "| req/s ÷ floor | target |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    f = run["floor"]
    lines.append(
        f"| **floor** (bare view, same middleware) | – | {_fmt(f['rps'])} | {_fmt(f['p50_ms'])} ms"
        f" | {_fmt(f['p99_ms'])} ms | {f['queries']} | 1 | 1 | 1 | |"
    )
    for row in run["pages"]:
        lines.append(
            f"| {row['page']} | {row['audience']} | {_fmt(row['rps'])} | {_fmt(row['p50_ms'])} ms"
            f" | {_fmt(row['p99_ms'])} ms | {row['queries']} | {_fmt(row['ratio_p50'])}×"
            f" | {_fmt(row['ratio_p99'])}× | {row['ratio_rps']:.1%}"
            f" | {'met' if row['meets_target'] else '**missed**'} |"
        )
    cert = run.get("certificates")
    if cert:
        lines += [
            "",
            f"Certificates: {cert['count']} through a real Celery worker (solo pool)"
            f" {cert['worker_ms_per_certificate']} ms each against"
            f" {cert['bare_ms_per_certificate']} ms for a bare WeasyPrint render of the same HTML:"
            f" {cert['ratio']}× (target ≤ 1.5×: {'met' if cert['meets_target'] else 'missed'}).",
        ]
    mem = run.get("memory")
    if mem:
        x = mem.get("xlsx", {})
        lines += [
            "",
            f"Memory: peak RSS of a gunicorn worker during the run {mem['worker_peak_rss_mb']:.0f}"
            f" MB (target < 250 MB). The largest XLSX export (`{x.get('export')}`, {x.get('rows')}"
            f" rows, {x.get('bytes')} bytes): peak RSS {x.get('peak_rss_mb', 0):.0f} MB, growth"
            f" {x.get('growth_mb')} MB while exporting.",
        ]
    return "\n".join(lines) + "\n"


START = "<!-- bench.load: results (generated; edit the text outside these markers) -->"
END = "<!-- bench.load: end of results -->"


def write_doc(results: dict) -> None:
    body = "\n".join(markdown(results["runs"][s]) for s in sorted(results["runs"], key=_order))
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n\n{body}\n{END}{tail}")


def _order(scale: str) -> int:
    return {"county": 0, "city": 1, "province": 2}.get(scale, 3)


def main(argv: list[str] | None = None) -> int:
    from bench.seed import database_url

    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--database-url")
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=2, help="seconds per measurement")
    parser.add_argument("--max-requests", type=int, default=10000, help="per measurement")
    parser.add_argument("--certificates", type=int, default=100, help="0 to skip")
    parser.add_argument("--only", action="append", help="pages whose name contains this")
    parser.add_argument("--output", type=Path, help="default: bench/results/<date>.json")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/performance.md")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is missing (scripts/system-deps.sh bench)")
    url = database_url(args.database_url)
    queue = f"bench-{os.getpid()}"
    setup_django(url, args.redis_url, queue)
    RESULTS.mkdir(parents=True, exist_ok=True)
    scale = scale_of()
    ids = pick_ids()
    today = dt.date.today().isoformat()
    run = {
        "scale": scale,
        "date": today,
        "machine": machine(),
        "data": counts(),
        "settings": {
            "rounds": args.rounds,
            "duration": args.duration,
            "max_requests": args.max_requests,
            "connections": CONNECTIONS,
            "gunicorn_workers": 3,
        },
    }
    print(f"bench.load: {scale} scale, {run['data']}")
    with gunicorn(url, args.redis_url, queue) as (base, proc):
        cookies = {"": ""}
        for role in {p.role for p in PAGES if p.role}:
            cookies[role] = login(base, "expert-p000-0" if role == "expert" else role)
        run["pages"], run["floor"] = measure_pages(base, cookies, ids, args)
        run["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        workers = worker_pids(proc.pid)
        run["memory"] = {"worker_peak_rss_mb": round(max(peak_rss_mb(p) for p in workers), 1)}
    run["memory"]["xlsx"] = bench_xlsx(
        url, args.redis_url, queue, f"/review/cycles/{ids['cycle']}/ranking.xlsx"
    )
    if args.certificates:
        run["certificates"] = bench_certificates(url, args.redis_url, queue, args.certificates)
    output = args.output or RESULTS / f"{today}.json"
    results = json.loads(output.read_text()) if output.exists() else {"runs": {}}
    results["runs"][scale] = run
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if not args.no_doc:
        write_doc(results)
    print(markdown(run))
    print(
        f"bench.load: wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
