"""Benchmarks: ratios measured in one run, never absolute times (ENVIRONMENT.md).

    python -m bench            # or: make bench

1. The composite ranking grows linearly with the number of applications and its query count
   does not grow at all (10 vs 100 applications).
2. A certificate renders within a small multiple of a bare one-page WeasyPrint document (the
   CJK font subsetting of libharfbuzz-subset0 is what keeps it there).
Exits non-zero when a target is missed.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "award_portal.test_settings")

import django

django.setup()

from django.db import connection
from django.test.utils import CaptureQueriesContext, setup_test_environment

TARGETS = {"ranking_time_ratio_max": 15.0, "certificate_vs_bare_max": 6.0}


def _timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def bench_ranking() -> list[str]:
    from django.utils import timezone

    from applications.enums import ApplicationStatus as S
    from applications.models import Application
    from programmes.selectors import criteria_items
    from review.enums import AssignmentStatus, Stage
    from review.models import Assignment, ItemScore, SurveyResponse
    from review.ranking import cycle_ranking
    from tests.factories import CycleFactory, OrganisationFactory, ProgrammeFactory, staff_user

    failures = []
    results = {}
    for n in (10, 100):
        programme = ProgrammeFactory(code=f"bench{n}")
        cycle = CycleFactory(programme=programme)
        items = criteria_items(cycle.criteria_set_id)
        experts = [staff_user("expert", programme=programme, is_staff=False) for _ in range(3)]
        for _ in range(n):
            app = Application.objects.create(
                cycle=cycle,
                organisation=OrganisationFactory(),
                status=S.ONSITE_REVIEW,
                submitted_at=timezone.now(),
            )
            for stage in (Stage.DOCUMENT, Stage.ONSITE):
                for expert in experts:
                    a = Assignment.objects.create(
                        application=app,
                        expert=expert,
                        stage=stage,
                        status=AssignmentStatus.SUBMITTED,
                    )
                    ItemScore.objects.bulk_create(
                        ItemScore(assignment=a, item=i, percent=70) for i in items
                    )
            SurveyResponse.objects.create(application=app, score=90, respondent_kind="customer")
        with CaptureQueriesContext(connection) as queries:
            rows = cycle_ranking(cycle)
        assert len(rows) == n
        results[n] = (_timed(lambda c=cycle: cycle_ranking(c)), len(queries))
    ratio = results[100][0] / results[10][0]
    print(
        f"ranking: 10 apps {results[10][0] * 1000:.1f} ms / {results[10][1]} queries, "
        f"100 apps {results[100][0] * 1000:.1f} ms / {results[100][1]} queries, "
        f"time ratio {ratio:.1f}"
    )
    if results[100][1] != results[10][1]:
        failures.append("ranking query count grows with the number of applications")
    if ratio > TARGETS["ranking_time_ratio_max"]:
        failures.append(f"ranking time ratio {ratio:.1f} > {TARGETS['ranking_time_ratio_max']}")
    return failures


def bench_certificate() -> list[str]:
    import datetime as dt

    from weasyprint import HTML

    from awards.models import Award, Certificate
    from awards.services.certificates import render_certificate_pdf
    from tests.factories import OrganisationFactory, ProgrammeFactory

    programme = ProgrammeFactory(code="benchcert")
    award = Award.objects.create(
        organisation=OrganisationFactory(name="基准测试有限公司"),
        programme=programme,
        year=2026,
        announced_on=dt.date(2026, 9, 8),
        valid_until=dt.date(2029, 9, 8),
    )
    certificate = Certificate(
        award=award,
        serial="BENCH-2026-001",
        organisation_name="基准测试有限公司",
        uscc="91150623MA0000001X",
        programme_name=programme.name,
        government_name=programme.government_name,
        year=2026,
        announced_on=award.announced_on,
        valid_until=award.valid_until,
        verification_code=award.code,
    )
    bare = '<html lang="zh-CN"><body style="font-family: Noto Sans CJK SC">质量奖</body></html>'
    HTML(string=bare).write_pdf()  # warm up fonts
    render_certificate_pdf(certificate)
    t_bare = _timed(lambda: HTML(string=bare).write_pdf())
    t_cert = _timed(lambda: render_certificate_pdf(certificate))
    ratio = t_cert / t_bare
    print(
        f"certificate: {t_cert * 1000:.0f} ms vs bare page {t_bare * 1000:.0f} ms, "
        f"ratio {ratio:.1f}"
    )
    if ratio > TARGETS["certificate_vs_bare_max"]:
        return [f"certificate/bare ratio {ratio:.1f} > {TARGETS['certificate_vs_bare_max']}"]
    return []


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        failures = bench_ranking() + bench_certificate()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
