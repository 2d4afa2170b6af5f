"""The production shape in CI (issue 8, "Promises proved in CI"; issue 15): docker-compose.yml's
migrate, web (gunicorn), worker and beat, started natively with the file's own commands and
environment (scripts/production_run.py) on PostgreSQL and Redis, behind a TLS proxy (HTTPS=1);
a whole cycle driven through HTTP only, from registration to a certificate rendered by that
worker and verified at /verify/<code>/.

The cycle needs three days (applications and recommendations close before the review opens;
the publicity runs seven days after the committee's decision): every process of the run reads
its wall clock from one file (tests/deploy/clock), which the test moves from day to day.

Needs REDIS_URL and a PostgreSQL DATABASE_URL (the run gets a database of its own, created and
dropped here); without them the test skips, and fails under REQUIRE_INTEGRATION=1 (CI).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import psycopg
import pytest
import redis
from pypdf import PdfReader

from common.dates import add_years
from organisations.uscc import check_character
from programmes.criteria_data import GB_T_19580_2012
from tests.deploy.compose import ROOT, production_run

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("production")]

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLOCK_DIR = ROOT / "tests" / "deploy" / "clock"
ITEMS = [code for *_c, items in GB_T_19580_2012["categories"] for code, *_i in items]
PASSWORD = f"Prod-{secrets.token_hex(6)}"


def _require_or_skip(reason: str):
    if os.environ.get("REQUIRE_INTEGRATION") == "1":
        pytest.fail(f"integration services missing: {reason}")
    pytest.skip(reason)


class Clock:
    """The wall clock of every process of the run: 10:00 Shanghai time on a chosen day."""

    def __init__(self, path):
        self.path = path
        self.write(0.0)

    def write(self, offset: float) -> None:
        """Atomically: a process never reads half a number."""
        part = self.path.with_suffix(".part")
        part.write_text(str(offset))
        os.replace(part, self.path)

    def set_day(self, day: dt.date, run: production_run.ProductionRun) -> None:
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI)
        self.write((moment - dt.datetime.now(dt.UTC)).total_seconds())
        # Every web worker answers with the new date (gunicorn's Date header reads the clock).
        expected = moment.astimezone(dt.UTC).strftime("%d %b %Y")
        deadline = time.monotonic() + 10
        seen = 0
        while seen < 6:
            with urllib.request.urlopen(f"{run.url}/healthz/", timeout=5) as response:  # noqa: S310
                seen = seen + 1 if expected in response.headers["Date"] else 0
            assert time.monotonic() < deadline, "the run's clock did not move"


@dataclass
class Api:
    """A client as another system would be: JSON over HTTP, token auth, behind the TLS proxy."""

    base: str
    token: str | None = None

    def call(self, method: str, path: str, body=None, *, files=None, https: bool = True):
        headers = {"Accept": "application/json"}
        if https:
            headers["X-Forwarded-Proto"] = "https"  # as the TLS-terminating proxy sets it
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if files:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
                for k, v in (body or {}).items()
            ]
            for key, (name, content, content_type) in files.items():
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; '
                    f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'
                )
                parts.append(content + b"\r\n")
            parts.append(f"--{boundary}--\r\n")
            data = b"".join(p if isinstance(p, bytes) else p.encode() for p in parts)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(  # noqa: S310 (our own http:// address)
            self.base + path, data=data, method=method, headers=headers
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=60) as response:
                return Response(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def ok(self, method: str, path: str, body=None, *, status: int = 200, **kwargs):
        response = self.call(method, path, body, **kwargs)
        detail = response.body[:2000].decode(errors="replace")
        assert response.status == status, (method, path, response.status, detail)
        return response.json() if "json" in response.headers.get("Content-Type", "") else response


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@pytest.fixture
def production(tmp_path):
    """The run on a database and a queue of its own; every process stopped by pid, the database
    and the queue removed."""
    redis_url = os.environ.get("REDIS_URL")
    database_url = os.environ.get("DATABASE_URL", "")
    if not redis_url:
        _require_or_skip("REDIS_URL is not set")
    if not database_url.startswith(("postgres://", "postgresql://")):
        _require_or_skip("the production shape runs on PostgreSQL (DATABASE_URL)")
    if shutil.which("curl") is None:
        _require_or_skip("curl (web's health check) is not installed")
    parts = urlsplit(database_url)
    name = f"award_prod_{secrets.token_hex(4)}"
    admin = psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    )
    # As README asks of a production database: UTF8.
    admin.execute(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0")
    clock = Clock(tmp_path / "clock")
    run = None
    try:
        run = production_run.ProductionRun(
            database_url=parts._replace(path=f"/{name}").geturl(),
            redis_url=redis_url,
            run_dir=tmp_path / "run",
            # The operator's .env: README's production section, behind TLS.
            variables={"SECRET_KEY": secrets.token_urlsafe(50), "HTTPS": "1"},
            extra_env={"PYTHONPATH": str(CLOCK_DIR), "AWARD_CLOCK_FILE": str(clock.path)},
        )
        run.start(timeout=90)
        yield run, clock
    finally:
        if run is not None:
            run.stop()
            # The run's own queue and its bindings (the name is unique to this run).
            broker = redis.Redis.from_url(redis_url)
            broker.delete(run.queue, *broker.scan_iter(f"_kombu.binding*.{run.queue}"))
            broker.close()
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def create_staff(run, suffix: str) -> None:
    """`docker compose exec web python manage.py create_user ...`, one per role, in parallel."""
    users = (
        ("office", ["office"], ""),
        ("committee", ["committee"], ""),
        ("gov", ["government"], ""),
        ("industry", ["recommender"], "industry"),
        ("leading", ["recommender"], "leading_group"),
        ("expert1", ["expert"], ""),
        ("expert2", ["expert"], ""),
    )
    processes = []
    for name, roles, level in users:
        argv = [sys.executable, "manage.py", "create_user", f"{name}{suffix}"]
        argv += ["--password", PASSWORD, *[a for r in roles for a in ("--role", r)]]
        argv += ["--level", level] if level else []
        argv += ["--industry", "乳制品"] if level == "industry" else []
        processes.append(
            subprocess.Popen(
                argv,
                cwd=ROOT,
                env=run.environment(run.services["web"]),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        )
    for process in processes:
        output, _ = process.communicate(timeout=120)
        assert process.returncode == 0, output


def uscc_for(division: str) -> str:
    body = f"91{division}MA{secrets.randbelow(10**7):07d}"
    return body + check_character(body)


def test_a_cycle_runs_through_http_on_the_compose_services_to_a_verified_certificate(production):
    run, clock = production
    public = Api(run.url)
    suffix = secrets.token_hex(3)

    def login(name: str) -> Api:
        body = {"username": f"{name}{suffix}", "password": PASSWORD}
        return Api(run.url, public.ok("POST", "/api/v1/auth/token/", body)["token"])

    # The stack as compose runs it: HTTPS=1 reached the processes, the health checks hold.
    plain = public.call("GET", "/api/v1/awards/", https=False)
    assert (plain.status, plain.headers["Location"]) == (
        301,
        f"https://127.0.0.1:{run.port}/api/v1/awards/",
    )
    secure = public.call("GET", "/api/v1/awards/")
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    for service in ("web", "worker"):
        check = run.healthcheck(service)
        assert check.returncode == 0, (service, check.stdout, check.stderr)

    # Day 1: the office opens the cycle; the enterprise registers, applies and submits; both
    # recommenders recommend, all before the deadline of that day.
    day1 = dt.datetime.now(SHANGHAI).date()
    clock.set_day(day1, run)
    create_staff(run, suffix)
    office = login("office")
    programme = office.ok(
        "POST",
        "/api/v1/programmes/",
        {
            "code": f"prod{suffix}",
            "name": "鄂托克前旗旗长质量奖",
            "region": "150623",
            "government_name": "鄂托克前旗人民政府",
            "document_experts": 1,
            "onsite_group_size": 1,
        },
        status=201,
    )
    cycle = office.ok(
        "POST",
        "/api/v1/cycles/",
        {
            "programme": programme["id"],
            "year": day1.year,
            "opens_on": str(day1 - dt.timedelta(days=30)),
            "submission_deadline": str(day1),
            "recommendation_deadline": str(day1),
        },
        status=201,
    )
    uscc = uscc_for("150623")
    organisation_name = f"鄂尔多斯绿原乳业{suffix}有限公司"
    public.ok(
        "POST",
        "/api/v1/accounts/register/",
        {
            "username": f"enterprise{suffix}",
            "password": PASSWORD,
            "email": f"enterprise{suffix}@example.com",
            "organisation": {
                "name": organisation_name,
                "uscc": uscc,
                "kind": "enterprise",
                "region": "150623",
                "registered_on": "2012-05-01",
                "industry": "乳制品",
            },
        },
        status=201,
    )
    # Registration answers the same neutral 201 whether or not the organisation existed; the
    # account learns its organisation once logged in.
    enterprise = login("enterprise")
    organisation = enterprise.ok("GET", "/api/v1/accounts/me/")["organisation"]
    office.ok(
        "PATCH",
        f"/api/v1/organisations/{organisation}/",
        {
            "credit_grade": "A",
            "credit_grade_source": "鄂托克前旗市场监督管理局",
            "credit_grade_on": str(day1 - dt.timedelta(days=60)),
        },
    )
    app = enterprise.ok("POST", "/api/v1/applications/", {"cycle": cycle["id"]}, status=201)
    pk, year = app["id"], day1.year
    form = enterprise.ok(
        "PATCH",
        f"/api/v1/applications/{pk}/",
        {
            "summary": "鄂尔多斯绿原乳业成立于2012年，主营液态奶和奶粉，年产能十万吨，"
            "建立了从牧场到餐桌的全过程质量追溯体系，连续五年产品抽检合格率100%。",
            "indicators": [
                {
                    "year": y,
                    "revenue": "125000000.00",
                    "profit": "8000000",
                    "tax": "5000000",
                    "quality_pass_rate": "99.5",
                }
                for y in (year - 2, year - 1)
            ],
            "management_systems": [
                {
                    "standard": "GB/T 19001-2016",
                    "certificate_no": "00123Q45678",
                    "issuer": "中国质量认证中心",
                    "valid_until": str(day1 + dt.timedelta(days=700)),
                }
            ],
            "innovation": "近两年研发投入占营业收入3.2%，获发明专利5项，参与制定地方标准2项。",
            "brand": "“绿原”商标为内蒙古著名商标，产品覆盖华北六省。",
            "self_evaluation": [{"item": i, "percent": 70, "comment": "良好"} for i in ITEMS],
            "contact_name": "张经理",
            "contact_phone": "13904771234",
        },
    )
    assert form["missing"] == {"实证材料": ["至少上传一份实证材料。"]}
    evidence = b"%PDF-1.4\n1 0 obj<<>>endobj\n%evidence\n%%EOF\n"
    enterprise.ok(
        "POST",
        f"/api/v1/applications/{pk}/documents/",
        {"kind": "management_system"},
        files={"file": ("质量管理体系证书.pdf", evidence, "application/pdf")},
        status=201,
    )
    assert enterprise.ok("POST", f"/api/v1/applications/{pk}/submit/")["status"] == "submitted"
    for name, level in (("industry", "industry"), ("leading", "leading_group")):
        login(name).ok(
            "POST",
            f"/api/v1/applications/{pk}/recommendations/",
            {"level": level, "decision": "recommend", "opinion": "同意推荐"},
            status=201,
        )

    # Day 2: the review opens. Eligibility, document and on-site review, survey, ranking,
    # candidates, the committee's decision and the publicity notice.
    day2 = day1 + dt.timedelta(days=1)
    clock.set_day(day2, run)
    office = login("office")
    checks = office.ok("GET", f"/api/v1/applications/{pk}/eligibility/")["checks"]
    assert [c["rule"] for c in checks if not c["passed"]] == []
    accepted = office.ok(
        "POST",
        f"/api/v1/applications/{pk}/eligibility/",
        {"decision": "accept", "reasons": "材料齐全，符合申报条件"},
    )
    assert accepted["status"] == "accepted"
    experts = {r["username"]: r["id"] for r in office.ok("GET", "/api/v1/experts/")["results"]}

    def review(stage: str, name: str, percent: int) -> Api:
        expert = login(name)
        expert.ok("POST", "/api/v1/experts/me/pledge/")
        office.ok(
            "POST",
            f"/api/v1/applications/{pk}/assignments/",
            {"expert": experts[f"{name}{suffix}"], "stage": stage, "leader": stage == "onsite"},
            status=201,
        )
        (assignment,) = expert.ok("GET", "/api/v1/assignments/")["results"]
        sheet = [
            {"item": i, "percent": percent, "strengths": "方法系统", "improvements": "可加强对比"}
            for i in ITEMS
        ]
        expert.ok("PUT", f"/api/v1/assignments/{assignment['id']}/scores/", {"items": sheet})
        expert.ok("POST", f"/api/v1/assignments/{assignment['id']}/submit/")
        return expert

    review("document", "expert1", 80)
    shortlisted = office.ok(
        "POST", f"/api/v1/cycles/{cycle['id']}/shortlist/", {"applications": [pk]}
    )
    assert shortlisted == {"onsite_review": [pk], "not_shortlisted": []}
    review("onsite", "expert2", 85)  # one expert each: no disagreement for a consensus
    office.ok(
        "POST",
        f"/api/v1/applications/{pk}/survey/",
        {
            "responses": [
                {"score": 90, "respondent_kind": "customer"},
                {"score": 80, "respondent_kind": "user"},
            ]
        },
        status=201,
    )
    ranking = office.ok("GET", f"/api/v1/cycles/{cycle['id']}/ranking/")["results"]
    # 0.3 × 800 + 0.6 × 850 + 0.1 × 850 = 835 (SCORING.md)
    assert [(r["application"], r["composite"]) for r in ranking] == [(pk, "835.00")]
    office.ok("POST", f"/api/v1/cycles/{cycle['id']}/candidates/", {"applications": [pk]})
    decided = login("committee").ok(
        "POST",
        f"/api/v1/cycles/{cycle['id']}/decision/",
        {"winners": [pk], "rationale": "综合得分领先"},
    )
    assert decided == {"proposed": [pk], "not_proposed": []}
    publicity = office.ok(
        "POST", f"/api/v1/cycles/{cycle['id']}/publicity/", {"starts_on": str(day2)}
    )
    assert (publicity["starts_on"], publicity["ends_on"]) == (
        str(day2),
        str(day2 + dt.timedelta(days=6)),
    )
    listed = public.ok("GET", "/api/v1/public/publicity/")["results"]
    assert [(r["id"], r["organisation"]) for r in listed] == [(pk, organisation_name)]
    early = login("gov").call("POST", f"/api/v1/cycles/{cycle['id']}/announce/")
    assert early.status == 409

    # Day 9, the day after the seven days of publicity: the government announces; the worker
    # renders the certificate; the public verifies it.
    day9 = day2 + dt.timedelta(days=7)
    clock.set_day(day9, run)
    announced = login("gov").ok("POST", f"/api/v1/cycles/{cycle['id']}/announce/")
    (award,) = announced["awards"]
    valid_until = str(add_years(day9, 3))  # R6: valid three years
    assert (award["organisation"], award["valid_until"]) == (organisation_name, valid_until)
    (entry,) = public.ok("GET", f"/api/v1/awards/?uscc={uscc}")["results"]
    assert (entry["status"], entry["announced_on"], entry["valid_until"]) == (
        "active",
        str(day9),
        valid_until,
    )
    enterprise = login("enterprise")  # its day-1 token expired (API_TOKEN_TTL_HOURS)
    deadline = time.monotonic() + 60
    while (
        pdf := enterprise.call("GET", f"/api/v1/awards/{award['id']}/certificate.pdf")
    ).status == 404:
        assert time.monotonic() < deadline, "the worker did not render the certificate"
        time.sleep(0.3)
    assert (pdf.status, pdf.headers["Content-Type"]) == (200, "application/pdf")
    text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf.body)).pages)
    serial = f"PROD{suffix.upper()}-{year}-001"
    assert organisation_name in text
    assert serial in text
    worker_log = run.log("worker")
    assert "Task awards.render_certificate[" in worker_log
    assert f"'{serial}'" in worker_log

    verdict = public.ok("GET", f"/api/v1/public/verify/{entry['code']}/")
    assert verdict == {
        "valid": True,
        "status": "active",
        "organisation": organisation_name,
        "programme": "鄂托克前旗旗长质量奖",
        "year": year,
        "announced_on": str(day9),
        "valid_until": valid_until,
        "revoked_on": None,
    }
    page = public.ok("GET", f"/verify/{entry['code']}/").body.decode()
    assert "✓ 有效" in page
    assert organisation_name in page and uscc in page

    # Mail went to the worker's log (no EMAIL_HOST in the .env), none failed; web, worker and
    # beat still run, beat with its schedule in the container's /tmp; gunicorn made no control
    # socket in the (writable) home.
    assert f"To: enterprise{suffix}@example.com" in worker_log
    assert "Connection refused" not in worker_log
    assert {name: p.poll() for name, p in run.processes.items()} == {
        "worker": None,
        "beat": None,
        "web": None,
    }
    assert "beat: Starting..." in run.log("beat")
    assert (run.run_dir / "tmp" / "celerybeat-schedule.dat").exists()
    assert not (run.run_dir / "home" / ".gunicorn").exists()
    assert "Traceback" not in run.log("web") + worker_log + run.log("beat")
