"""Last year's cycle of the demo, taken as far as a stage: ``apply`` (accepted), ``review``
(document review done, on-site under way), ``publicity`` (winners under publicity) or
``awarded`` (announced, certificates issued). Every step goes through the portal's services,
so the audit trail, the ranking and the registry are real."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.enums import ApplicationStatus as S
from applications.models import Application, ApplicationVersion, Recommendation
from applications.services.documents import upload_document
from applications.services.drafting import save_form
from applications.services.eligibility import eligibility_checks
from applications.services.form import FORM_FIELDS
from applications.services.intake import decide_eligibility
from applications.services.workflow import transition_application
from awards.services.publicity import announce_cycle, start_publicity
from common import outbox
from organisations.models import Organisation
from programmes.models import Cycle, Programme
from programmes.selectors import criteria_items
from programmes.services import create_cycle
from review.enums import Stage
from review.models import ExpertProfile
from review.services.assignment import auto_assign
from review.services.decisions import decide_winners, propose_candidates, shortlist
from review.services.experts import accept_pledge
from review.services.onsite import record_survey, schedule_visit
from review.services.scoring import record_consensus, save_scores, submit_scores

STAGES = ("apply", "review", "publicity", "awarded")

# (organisation username, document %, on-site %, satisfaction scores)
ENTRANTS = [
    ("greenmilk", 80, 85, [92, 88, 95, 90]),
    ("shmenergy", 70, 75, [85, 80, 78]),
    ("hospital", 55, 50, [70, 75]),
]

EVIDENCE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _form(org: Organisation, year: int, items) -> dict:
    return {
        "summary": f"{org.name}是鄂托克前旗{org.industry}骨干企业，坚持质量第一，"
        "建立了覆盖研发、采购、生产、销售和服务全过程的质量管理体系，"
        "产品质量稳定，顾客满意度持续提升。",
        "indicators": [
            {
                "year": year - 2,
                "revenue": "86000000",
                "profit": "7200000",
                "tax": "4100000",
                "quality_pass_rate": "99.60",
            },
            {
                "year": year - 1,
                "revenue": "95000000",
                "profit": "8100000",
                "tax": "4600000",
                "quality_pass_rate": "99.80",
            },
        ],
        "management_systems": [
            {
                "standard": "GB/T 19001-2016",
                "certificate_no": "00124Q31256R2M",
                "issuer": "中国质量认证中心",
                "valid_until": f"{year + 2}-06-30",
            }
        ],
        "innovation": "近两年研发投入占营业收入3.1%，获授权发明专利4项，主导制定团体标准1项。",
        "brand": "主导产品获内蒙古名牌产品称号，市场覆盖华北和西北地区。",
        "self_evaluation": [{"item": i.code, "percent": 70, "comment": ""} for i in items],
        "contact_name": "质量部",
        "contact_phone": "13904770001",
    }


def _sheet(items, percent: int) -> list[dict]:
    return [
        {
            "item": i.code,
            "percent": percent,
            "strengths": f"{i.name}：方法系统，展开充分",
            "improvements": f"{i.name}：与标杆的对比分析可加强",
        }
        for i in items
    ]


def queue_version_pdf(version: ApplicationVersion) -> None:
    app = version.application
    outbox.enqueue(
        "applications.render_submission_pdf",
        version_id=version.pk,
        label=f"申报表PDF：{app.organisation.name} 第{version.number}版",
        programme_id=app.cycle.programme_id,
    )


def queue_missing_pdfs(programme: Programme) -> int:
    """A demo loaded before its versions had PDFs: queue the render of each version that has
    no PDF and was never queued. Returns how many were queued."""
    from common.models import OutboxMessage  # noqa: PLC0415

    queued = set(
        OutboxMessage.objects.filter(task="applications.render_submission_pdf").values_list(
            "kwargs__version_id", flat=True
        )
    )
    missing = ApplicationVersion.objects.filter(
        application__cycle__programme=programme, pdf=""
    ).select_related("application__organisation", "application__cycle")
    count = 0
    for version in missing:
        if version.pk not in queued:
            queue_version_pdf(version)
            count += 1
    return count


@transaction.atomic
def run_last_year(*, programme: Programme, stage: str, office: User, today: dt.date) -> Cycle:
    """Create last year's cycle and take it to ``stage``. Does nothing if it exists."""
    year = today.year - 1
    existing = Cycle.objects.filter(programme=programme, year=year).first()
    if existing is not None:
        return existing
    cycle = create_cycle(
        programme=programme,
        year=year,
        opens_on=dt.date(year, 3, 1),
        submission_deadline=dt.date(year, 5, 31),
        recommendation_deadline=dt.date(year, 6, 30),
        document_review_deadline=dt.date(year, 8, 31),
        onsite_review_deadline=dt.date(year, 10, 31),
        actor=office,
    )
    items = criteria_items(cycle.criteria_set_id)
    recommenders = {u.recommender_level: u for u in User.objects.filter(groups__name="recommender")}
    apps = []
    for username, *_ in ENTRANTS:
        user = User.objects.get(username=username)
        org = user.organisation
        app = Application.objects.create(cycle=cycle, organisation=org, created_by=user)
        save_form(application=app, data=_form(org, year, items), actor=user)
        upload_document(
            application=app,
            kind="management_system",
            actor=user,
            upload=SimpleUploadedFile("质量管理体系证书.pdf", EVIDENCE),
        )
        submitted = timezone.make_aware(dt.datetime(year, 5, 20, 10, 0))
        version = ApplicationVersion.objects.create(
            application=app,
            number=1,
            submitted_at=submitted,
            submitted_by=user,
            content={f: getattr(app, f) for f in FORM_FIELDS},
            document_ids=list(app.documents.values_list("pk", flat=True)),
        )
        # The submitted form's PDF, rendered by the same job as a real submission (after
        # commit: by the worker, or here when there is no broker), so its link opens.
        queue_version_pdf(version)
        transition_application(
            app,
            S.SUBMITTED,
            actor=user,
            fields={"submitted_at": submitted, "last_submitted_at": submitted},
        )
        for level, rec in recommenders.items():
            Recommendation.objects.create(
                application=app,
                level=level,
                decision="recommend",
                opinion="同意推荐",
                signed_by=rec,
            )
        transition_application(app, S.RECOMMENDED, actor=None, reason="两级推荐意见均为推荐")
        failing = [c for c in eligibility_checks(app) if not c.passed]
        if failing:
            decide_eligibility(
                application=app,
                decision="reject",
                actor=office,
                reasons="；".join(f"{c.rule} {c.detail}" for c in failing),
            )
            continue
        decide_eligibility(application=app, decision="accept", reasons="", actor=office)
        apps.append(app)
    if stage == "apply":
        return cycle
    for expert in User.objects.filter(groups__name="expert"):
        ExpertProfile.objects.get_or_create(
            user=expert,
            defaults={"industries": "乳制品,能源化工,卫生", "employer": "鄂尔多斯市质量协会"},
        )
        accept_pledge(expert=expert)
    auto_assign(cycle=cycle, stage=Stage.DOCUMENT, actor=office)
    by_org = {a.organisation.users.first().username: a for a in apps}
    for username, doc, _onsite, _survey in ENTRANTS:
        app = by_org.get(username)
        if app is None:
            continue
        for n, assignment in enumerate(app.assignments.all()):
            # Independent experts differ a little: -5, 0, +5 points of percentage.
            save_scores(
                assignment=assignment,
                items=_sheet(items, doc + 5 * (n % 3 - 1)),
                expert=assignment.expert,
            )
            submit_scores(assignment=assignment, expert=assignment.expert)
    shortlist(
        cycle=cycle, application_ids=[by_org["greenmilk"].pk, by_org["shmenergy"].pk], actor=office
    )
    auto_assign(cycle=cycle, stage=Stage.ONSITE, actor=office)
    for username, _doc, onsite, survey in ENTRANTS[:2]:
        app = by_org[username]
        schedule_visit(
            application=app, scheduled_on=dt.date(year, 10, 15), notes="全天", actor=office
        )
        leader = None
        for assignment in app.assignments.filter(stage=Stage.ONSITE):
            save_scores(
                assignment=assignment, items=_sheet(items, onsite), expert=assignment.expert
            )
            submit_scores(assignment=assignment, expert=assignment.expert)
            leader = assignment.expert if assignment.leader else leader
        record_consensus(
            application=app,
            stage=Stage.ONSITE,
            actor=leader,
            items=[{"item": i.code, "percent": onsite} for i in items],
        )
        record_survey(
            application=app,
            actor=office,
            responses=[{"score": s, "respondent_kind": "customer"} for s in survey],
        )
    if stage == "review":
        return cycle
    propose_candidates(
        cycle=cycle, actor=office, application_ids=[by_org["greenmilk"].pk, by_org["shmenergy"].pk]
    )
    committee = User.objects.get(username="committee")
    decide_winners(
        cycle=cycle,
        winner_ids=[by_org["greenmilk"].pk, by_org["shmenergy"].pk],
        rationale="两家组织综合得分均超过候选最低分，质量管理成效突出，同意列为拟获奖组织。",
        actor=committee,
    )
    days = programme.publicity_days
    starts_on = (
        today - dt.timedelta(days=days + 3) if stage == "awarded" else today - dt.timedelta(days=2)
    )
    # Last year's committee met the day before its publicity began (R12.7): the demo dates
    # the decision as it dates the submissions.
    Cycle.objects.filter(pk=cycle.pk).update(
        decided_at=timezone.make_aware(
            dt.datetime.combine(starts_on - dt.timedelta(days=1), dt.time(10))
        )
    )
    cycle.refresh_from_db()
    start_publicity(cycle=cycle, starts_on=starts_on, actor=office)
    if stage == "publicity":
        return cycle
    announce_cycle(cycle=cycle, actor=User.objects.get(username="government"))
    return cycle
