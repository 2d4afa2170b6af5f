"""Schemathesis against the portal's own OpenAPI schema (issue 8, "promises proved in CI").

Every operation of ``/api/v1/schema/`` is called through Django's WSGI application, in process,
with examples generated from the schema (valid and invalid ones), as four callers: anonymous, an
enterprise user, the office and an expert, each with a real API token from
``POST /api/v1/auth/token/``. A small world of data is seeded first and the path parameters are
drawn from its ids as well as at random, so operations reach real objects. The run fails on any
server error (``not_a_server_error``) and on any status code the schema does not declare
(``status_code_conformance``).

Bounded and deterministic: ``MAX_EXAMPLES`` valid and ``MAX_EXAMPLES // 2`` invalid cases per
operation, derandomised (the same cases on every run), no shrinking. Run alone with
``pytest -m schemathesis``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import status_code_conformance

from accounts.enums import Role
from accounts.services.claims import submit_claim
from applications.enums import ApplicationStatus as S
from applications.models import Application
from applications.services.documents import upload_document
from awards.services.certificates import queue_certificates
from awards.services.certificates import render as render_certificate
from review.enums import Stage
from tests.applications.conftest import pdf_upload
from tests.awards.conftest import make_award
from tests.clock import travel_to
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    CaseFactory,
    ConflictOfInterestFactory,
    CycleFactory,
    EnterpriseUserFactory,
    IncidentFactory,
    ObjectionFactory,
    OrganisationClaimFactory,
    OrganisationFactory,
    staff_user,
)
from tests.review.conftest import make_accepted, make_experts, scored_sheet

pytestmark = [
    pytest.mark.schemathesis,
    pytest.mark.xdist_group("schemathesis"),
    pytest.mark.django_db,
]

MAX_EXAMPLES = 10
SCHEMA_PATH = "/api/v1/schema/?format=json"
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
TODAY = dt.date(2026, 9, 1)  # the 2026 cycle is in review; the 2027 cycle takes applications
CALLERS = ("anonymous", "enterprise", "office", "expert")


@dataclass
class Seeded:
    users: dict = field(default_factory=dict)
    # a path's prefix (its first parameter) or a parameter's name -> ids of real objects
    ids: dict = field(default_factory=dict)


def _seed_world(programme) -> Seeded:
    """A cycle in review with accepted, scored and proposed applications, a cycle open for
    applications with the enterprise's draft, an award with its certificate, an objection, a
    conflict, a case, a claim and an incident: one or two objects behind every path."""
    travel_to(TODAY)
    review_cycle = CycleFactory(programme=programme, year=2026)
    open_cycle = CycleFactory(
        programme=programme,
        year=2027,
        opens_on=dt.date(2026, 8, 1),
        submission_deadline=dt.date(2026, 10, 31),
        recommendation_deadline=dt.date(2026, 11, 30),
    )
    office = staff_user(Role.OFFICE, programme=programme, username="office1")
    accepted = make_accepted(review_cycle, 3)
    enterprise = accepted[0].organisation.users.get()
    enterprise.username = "ent1"
    enterprise.save()
    draft = ApplicationFactory(cycle=open_cycle, organisation=enterprise.organisation)
    document = upload_document(
        application=draft, upload=pdf_upload(), kind="other", actor=enterprise
    )
    experts = make_experts(programme, 3)
    expert = experts[0]
    expert.username = "expert1"
    expert.save()
    pending = AssignmentFactory(application=accepted[0], expert=expert, stage=Stage.DOCUMENT)
    submitted = scored_sheet(accepted[1], expert, Stage.DOCUMENT)
    Application.objects.filter(pk=accepted[2].pk).update(status=S.PROPOSED)
    award = make_award(programme, office=office, name="绿原乳业有限公司")
    (certificate,) = queue_certificates(awards=[award], actor=office)
    render_certificate(certificate_id=certificate.pk)
    objection = ObjectionFactory(
        application=accepted[2], text="材料不实", name="张三", phone="13912345678"
    )
    conflict = ConflictOfInterestFactory(
        expert=experts[1],
        organisation=accepted[1].organisation,
        reason="曾任职",
        declared_by=office,
    )
    case = CaseFactory(
        award=award,
        trigger="fraud",
        occurred_on=dt.date(2026, 8, 1),
        description="申报材料造假",
        opened_by=office,
    )
    claimant = EnterpriseUserFactory(organisation=None, username="claimant")
    claim = OrganisationClaimFactory(
        claimant=claimant,
        organisation=accepted[1].organisation,
        uscc=accepted[1].organisation.uscc,
        submitted_name=accepted[1].organisation.name,
    )
    claim = submit_claim(claim=claim, licence=pdf_upload("执照.pdf"), actor=claimant)
    IncidentFactory(
        organisation=accepted[0].organisation,
        kind="quality_accident",
        occurred_on=dt.date(2025, 3, 1),
        description="一般质量事故",
    )
    other = OrganisationFactory()
    application_ids = [a.pk for a in (draft, *accepted)]
    return Seeded(
        users={"enterprise": enterprise, "office": office, "expert": expert},
        ids={
            "document_id": [document.pk],
            "evidence_id": list(claim.evidence.values_list("pk", flat=True)),
            "/api/v1/applications/": application_ids,
            "/api/v1/assignments/": [pending.pk, submitted.pk],
            "/api/v1/awards/": [award.pk],
            "/api/v1/cases/": [case.pk],
            "/api/v1/conflicts/": [conflict.pk],
            "/api/v1/cycles/": [review_cycle.pk, open_cycle.pk],
            "/api/v1/objections/": [objection.pk],
            "/api/v1/organisations/": [enterprise.organisation_id, other.pk],
            "/api/v1/accounts/claims/": [claim.pk],
            "/api/v1/public/verify/": [award.code],
            "/api/v1/regions/": ["150623", "150600"],
        },
    )


@pytest.fixture
def wsgi_app():
    """Django's WSGI application on the test's own database connection: the handler must not
    close it between requests (Django's test client does the same)."""
    from django.core.wsgi import get_wsgi_application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()
    try:
        yield get_wsgi_application()
    finally:
        cache.clear()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token(app, user) -> str:
    from werkzeug.test import Client

    response = Client(app).post(
        "/api/v1/auth/token/", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["token"]


def _real_paths(operation, seeded: Seeded) -> list[dict]:
    """The path parameters of ``operation`` that name seeded objects, every combination."""
    names = [p.name for p in operation.path_parameters]
    if not names:
        return []
    prefix = next((p for p in seeded.ids if operation.path.startswith(p)), None)
    paths = [{names[0]: value} for value in seeded.ids.get(prefix, [])]
    for name in names[1:]:
        paths = [path | {name: value} for path in paths for value in seeded.ids.get(name, [])]
    return paths


def _cases(operation, mode, seeded: Seeded) -> list:
    """The cases of ``operation`` in ``mode``, the same on every run. Three in four
    name seeded objects in their path (each in turn), the rest keep the generated values."""
    cases: list = []

    @settings(
        max_examples=MAX_EXAMPLES if mode.is_positive else MAX_EXAMPLES // 2,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def generate(case):
        cases.append(case)

    try:
        generate()
    except Unsatisfiable:
        # No invalid request exists for an operation without inputs.
        assert mode.is_negative, operation.label
    real = _real_paths(operation, seeded)
    rewritten = 0
    for i, case in enumerate(cases):
        if real and i % 4 != 3:
            case.path_parameters.update(real[rewritten % len(real)])
            rewritten += 1
    return cases


def _load_schema(app):
    config = schemathesis.Config.from_dict(
        {"seed": 8, "generation": {"deterministic": True, "with-security-parameters": False}}
    )
    return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app, config=config)


def _send(case, headers: dict) -> tuple[int, str | None]:
    """The status of the answer to ``case``, and what the checks found wrong with it."""
    # buffered: the client reads and closes the answer, as a WSGI server does.
    response = case.call(headers=headers, buffered=True)
    try:
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
    except FailureGroup as exc:
        return response.status_code, str(exc)[:2000]
    return response.status_code, None


def test_every_operation_answers_a_documented_status_and_never_5xx(programme, wsgi_app):
    """Each case is generated once and sent as each caller in turn (generation costs more than
    the request), operation after operation: the office's steps change the world the expert
    then sees, as in real use."""
    seeded = _seed_world(programme)
    headers = {"anonymous": {}} | {
        caller: {"Authorization": f"Token {_token(wsgi_app, seeded.users[caller])}"}
        for caller in CALLERS[1:]
    }
    schema = _load_schema(wsgi_app)
    failures: dict[tuple[str, str], str] = {}
    answered: dict[str, dict[str, Counter]] = {caller: {} for caller in CALLERS}

    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        cases = [
            case
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
            for case in _cases(operation, mode, seeded)
        ]
        for caller in CALLERS:
            cache.clear()  # each caller meets each operation with fresh rate limits
            for case in cases:
                status, failure = _send(case, headers[caller])
                answered[caller].setdefault(operation.label, Counter())[status] += 1
                if failure:
                    failures[(caller, operation.label)] = failure
                    break

    assert len(operations) >= 60
    report = "\n\n".join(
        f"--- as {caller}: {label} ---\n{text}"
        for (caller, label), text in sorted(failures.items())
    )
    assert not failures, f"{len(failures)} failures:\n\n{report}"
    # The callers really were who they claim, and reached real objects.
    for caller, minimum in {"anonymous": 4, "enterprise": 10, "office": 20, "expert": 6}.items():
        succeeded = [
            label
            for label, statuses in answered[caller].items()
            if any(200 <= code < 300 for code in statuses)
        ]
        assert len(succeeded) >= minimum, (caller, succeeded)


@pytest.mark.parametrize(
    ("answer", "found"),
    [
        (RuntimeError("boom"), "Server error"),
        (418, "Undocumented status code"),
    ],
    ids=["5xx", "undocumented"],
)
def test_the_fuzzing_fails_on_a_server_error_and_on_an_undocumented_status(
    db, wsgi_app, monkeypatch, answer, found
):
    """The checks above are live: a view that raises, or answers a status its schema does not
    declare, is reported."""
    from rest_framework.response import Response

    from regions.api import DivisionApi

    def get(self, request, code):
        if isinstance(answer, Exception):
            raise answer
        return Response({}, status=answer)

    schema = _load_schema(wsgi_app)
    monkeypatch.setattr(DivisionApi, "get", get)
    operation = schema["/api/v1/regions/{code}/"]["GET"]
    case = operation.Case(path_parameters={"code": "150623"})
    status, failure = _send(case, {})
    assert failure and found in failure, (status, failure)
