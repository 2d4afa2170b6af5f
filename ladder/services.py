"""The award ladder's changes (issue 13 §2): a programme's sources, nominating a lower winner
into an upper cycle, and withdrawing the nominations of a revoked award. Keyword-only, atomic,
audited; every rule of the upper programme still applies to the application a nomination
opens (it is created, completed and submitted through the applications' own services)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from applications.enums import FINAL_STATES, LIVE_STATES, TRANSITIONS
from applications.enums import ApplicationStatus as S
from applications.models import Application, DocumentKind
from applications.services.documents import upload_document
from applications.services.drafting import create_application
from applications.services.form import FORM_FIELDS, clean_form_data, indicator_years
from applications.services.intake import end_application
from applications.services.workflow import lock, transition_application
from awards.dossier import dossier_pdf
from awards.models import Award
from common import audit
from common.dates import today
from common.exceptions import ApplicationError, StateConflict
from common.states import transition
from notifications.services import notify
from programmes.models import Cycle, Programme
from programmes.selectors import criteria_items
from programmes.services import create_programme
from regions.selectors import lies_within
from review.scores import composite
from review.selectors import with_score_inputs

from .eligibility import CANDIDATE_STATES
from .enums import LEVEL_RANK, NOMINATION_MACHINE, RULE, NominationStatus
from .models import Nomination, ProgrammeLadder


def _levels(programme: Programme) -> str:
    return str(programme.get_level_display())


def check_sources(programme: Programme, sources: list[Programme]) -> None:
    """A programme takes nominations only from lower levels whose region lies under its own;
    never from itself. Raises ``ApplicationError`` on ``nominated_from``."""
    rank = LEVEL_RANK.get(programme.level, 0)
    for source in sources:
        if source.pk == programme.pk:
            raise ApplicationError(
                gettext("质量奖不能接受本奖项自身的推荐。"), rule=RULE, field="nominated_from"
            )
        if LEVEL_RANK.get(source.level, 0) >= rank:
            raise ApplicationError(
                gettext(
                    "%(name)s是%(level)s，只能接受下级质量奖的推荐；%(source)s是%(source_level)s。"
                )
                % {
                    "name": programme.name,
                    "level": _levels(programme),
                    "source": source.name,
                    "source_level": _levels(source),
                },
                rule=RULE,
                field="nominated_from",
            )
        if not lies_within(source.region, programme.region):
            raise ApplicationError(
                gettext("%(source)s的管辖区域（%(region)s）不在%(name)s的管辖区域（%(own)s）内。")
                % {
                    "source": source.name,
                    "region": source.region_name,
                    "name": programme.name,
                    "own": programme.region_name,
                },
                rule=RULE,
                field="nominated_from",
            )


def ladder_of(programme: Programme) -> ProgrammeLadder | None:
    return (
        ProgrammeLadder.objects.filter(programme_id=programme.pk)
        .prefetch_related("nominated_from")
        .first()
    )


def _state(ladder: ProgrammeLadder | None) -> dict:
    if ladder is None:
        return {"nominated_from": [], "requires_lower_award": False, "accepts_candidates": False}
    return {
        "nominated_from": sorted(p.pk for p in ladder.nominated_from.all()),
        "requires_lower_award": ladder.requires_lower_award,
        "accepts_candidates": ladder.accepts_candidates,
    }


@transaction.atomic
def set_ladder(
    *,
    programme: Programme,
    actor,
    nominated_from: list[Programme] | None = None,
    requires_lower_award: bool | None = None,
    accepts_candidates: bool | None = None,
) -> ProgrammeLadder:
    """Set what is given of a programme's place on the ladder (``None`` keeps it)."""
    Programme.objects.select_for_update().get(pk=programme.pk)
    ladder, _ = ProgrammeLadder.objects.get_or_create(programme=programme)
    before = _state(ladder)
    if nominated_from is not None:
        check_sources(programme, nominated_from)
        ladder.nominated_from.set(nominated_from)
    if requires_lower_award is not None:
        ladder.requires_lower_award = requires_lower_award
    if accepts_candidates is not None:
        ladder.accepts_candidates = accepts_candidates
    ladder.save()
    ladder = ladder_of(programme)
    after = _state(ladder)
    if after["requires_lower_award"] and not after["nominated_from"]:
        raise ApplicationError(
            gettext("要求持有下级质量奖时，须指定接受推荐的下级质量奖。"),
            rule=RULE,
            field="nominated_from",
        )
    if after != before:
        audit.record(
            action="programme.ladder_changed",
            actor=actor,
            obj=programme,
            data={"from": before, "to": after},
        )
    return ladder


@transaction.atomic
def create_programme_on_ladder(
    *,
    actor,
    nominated_from: list[Programme] | None = None,
    requires_lower_award: bool = False,
    accepts_candidates: bool = False,
    **fields,
) -> Programme:
    """``programmes.services.create_programme`` and its place on the ladder, all or nothing."""
    programme = create_programme(actor=actor, **fields)
    if nominated_from or requires_lower_award or accepts_candidates:
        set_ladder(
            programme=programme,
            actor=actor,
            nominated_from=list(nominated_from or []),
            requires_lower_award=requires_lower_award,
            accepts_candidates=accepts_candidates,
        )
    return programme


def _date(day) -> str:
    return format(day, "%Y-%m-%d")


def _lower_award(lower: Application) -> Award | None:
    return Award.objects.filter(application_id=lower.pk).first()


def _check_nominee(lower: Application, ladder: ProgrammeLadder, day) -> Award | None:
    """The lower application must be ``awarded`` with its award valid today, or (where the
    upper programme accepts candidates) ``candidate`` or later."""
    if lower.status == S.AWARDED:
        award = _lower_award(lower)
        if award is None or not award.is_valid_on(day):
            raise ApplicationError(
                gettext("%(org)s的%(year)s年度%(name)s已撤销或不在有效期内，不能推荐。")
                % {
                    "org": lower.organisation.name,
                    "year": lower.cycle.year,
                    "name": lower.cycle.programme.name,
                },
                rule=RULE,
                field="application",
            )
        return award
    if lower.status in CANDIDATE_STATES and ladder.accepts_candidates:
        return None
    wanted = gettext("获奖") if not ladder.accepts_candidates else gettext("候选及以后")
    raise ApplicationError(
        gettext("只能推荐%(wanted)s的申报；该申报当前为“%(status)s”。")
        % {"wanted": wanted, "status": S(lower.status).label},
        rule=RULE,
        field="application",
    )


def _reference(lower: Application, award: Award | None) -> dict:
    """The lower file's result, for the upper review to read beside its own."""
    scored = with_score_inputs(Application.objects.filter(pk=lower.pk)).get()
    result = composite(scored, criteria_items(scored.cycle.criteria_set_id), scored.cycle.settings)
    return {
        "programme": lower.cycle.programme.name,
        "year": lower.cycle.year,
        "status": lower.status,
        "composite": str(result.composite) if result.composite is not None else None,
        "award": (
            {"code": award.code, "year": award.year, "valid_until": _date(award.valid_until)}
            if award
            else None
        ),
    }


def _lower_content(lower: Application) -> dict:
    """The lower form as last submitted (its frozen version), else the working copy."""
    version = lower.versions.order_by("-number").first()
    if version is not None:
        return {name: version.content.get(name) for name in FORM_FIELDS}
    return {name: getattr(lower, name) for name in FORM_FIELDS}


def _prefill(upper: Application, lower: Application, actor) -> tuple[list[str], list[str]]:
    """Copy each form field that is well-formed for the upper cycle (the same checks as the
    applicant's own saving); the indicators keep the rows of the years the upper form asks."""
    copied, skipped = [], []
    for name, value in _lower_content(lower).items():
        if value in (None, "", []):
            continue
        if name == "indicators" and isinstance(value, list):
            years = indicator_years(upper)
            value = [r for r in value if isinstance(r, dict) and r.get("year") in years]
            if not value:
                skipped.append(name)
                continue
        try:
            cleaned = clean_form_data(upper, {name: value})
        except ValidationError:
            skipped.append(name)
            continue
        setattr(upper, name, cleaned[name])
        copied.append(name)
    if copied:
        upper.save(update_fields=[*copied, "updated_at"])
    audit.record(
        action="application.prefilled",
        actor=actor,
        obj=upper,
        data={"from_application": lower.pk, "fields": copied, "skipped": skipped},
    )
    return copied, skipped


def _copy_documents(upper: Application, lower: Application, actor) -> list[int]:
    """Copies of the lower evidence, through the upload service (content checks and the upper
    programme's size cap apply)."""
    copies = []
    for document in lower.documents.filter(removed_at=None).order_by("kind", "id"):
        with document.file.open("rb") as handle:
            upload = File(handle, name=document.original_name)
            copy = upload_document(
                application=upper, upload=upload, kind=document.kind, actor=actor
            )
        copies.append(copy.pk)
    return copies


def _attach_dossier(upper: Application, award, actor) -> int | None:
    """The lower award's dossier (申报与评审档案: form, scores, composite, the award) travels
    with the nomination as evidence the upper reviewers read (issue 13 §2). None when the
    nominee is a candidate without an award yet."""
    if award is None:
        return None
    name = f"{award.programme.code}-{award.year}-dossier.pdf"
    upload = ContentFile(dossier_pdf(award), name=name)
    document = upload_document(
        application=upper, upload=upload, kind=DocumentKind.OTHER, actor=actor
    )
    return document.pk


@transaction.atomic
def nominate(*, cycle: Cycle, application: Application, actor) -> Nomination:
    """The office of a lower programme nominates its winner (or candidate) ``application``
    into the upper ``cycle``: a draft of the same organisation, pre-filled from the lower form
    and evidence, which the organisation completes and submits as usual."""
    cycle = Cycle.objects.select_for_update().select_related("programme").get(pk=cycle.pk)
    lower = lock(application)
    lower_programme = lower.cycle.programme
    ladder = ladder_of(cycle.programme)
    sources = {p.pk for p in ladder.nominated_from.all()} if ladder else set()
    if lower_programme.pk not in sources:
        raise ApplicationError(
            gettext("%(name)s不接受%(source)s的推荐。")
            % {"name": cycle.programme.name, "source": lower_programme.name},
            rule=RULE,
            field="application",
        )
    if not actor.serves(lower_programme.pk):
        raise ApplicationError(
            gettext("只有%(source)s的评审委员会办公室可以推荐其申报。")
            % {"source": lower_programme.name},
            code="forbidden",
        )
    day = today()
    if day > cycle.submission_deadline:
        raise ApplicationError(
            gettext("%(cycle)s的申报已于%(date)s截止，不能再推荐。")
            % {"cycle": cycle, "date": _date(cycle.submission_deadline)},
            rule="R12.1",
            field="cycle",
        )
    award = _check_nominee(lower, ladder, day)
    if Nomination.objects.filter(
        cycle=cycle, nominated_from=lower, status=NominationStatus.OPEN
    ).exists():
        raise StateConflict(gettext("该申报已推荐到本年度评审。"), rule=RULE)
    existing = Application.objects.filter(
        cycle=cycle, organisation_id=lower.organisation_id, status__in=LIVE_STATES
    ).first()
    if existing is not None:
        raise StateConflict(
            gettext("%(org)s在%(cycle)s已有申报（%(ref)s）。")
            % {"org": lower.organisation.name, "cycle": cycle, "ref": existing.reference}
        )
    upper = create_application(organisation=lower.organisation, cycle=cycle, actor=actor)
    copied, skipped = _prefill(upper, lower, actor)
    documents = _copy_documents(upper, lower, actor)
    dossier = _attach_dossier(upper, award, actor)
    if dossier is not None:
        documents.append(dossier)
    nomination = Nomination.objects.create(
        cycle=cycle,
        application=upper,
        nominated_from=lower,
        nominated_by=actor,
        reference=_reference(lower, award),
    )
    data = {
        "nomination": nomination.pk,
        "from_application": lower.pk,
        "to_application": upper.pk,
        "cycle": cycle.pk,
        "fields": copied,
        "skipped": skipped,
        "documents": documents,
    }
    audit.record(
        action="nomination.created",
        actor=actor,
        obj=upper,
        to_state=nomination.status,
        data=data,
    )
    audit.record(action="application.nominated_up", actor=actor, obj=lower, data=data)
    notify(
        recipients=lower.organisation.users.all(),
        subject=gettext("【%(name)s】您已被推荐申报") % {"name": cycle.programme.name},
        body=gettext(
            "%(source)s评审委员会办公室已推荐贵单位申报%(cycle)s。申报表已按原申报预填，"
            "请核对、补充后在%(date)s前提交。"
        )
        % {
            "source": lower_programme.name,
            "cycle": cycle,
            "date": _date(cycle.submission_deadline),
        },
        url=reverse("applications:detail", args=[upper.pk]),
        programme_id=cycle.programme_id,
    )
    return nomination


def withdraw_nominations(*, award: Award, actor, reason: str) -> list[int]:
    """A revoked lower award withdraws its open nominations: each nomination becomes
    ``withdrawn`` and its upper application, while still live, is withdrawn (before
    acceptance) or ended as ineligible (after it), with the revocation as the reason.
    Registered as a revocation hook (ladder/apps.py); runs in the revocation's transaction."""
    if not award.application_id:
        return []
    why = gettext("%(year)s年度%(name)s已撤销，据此作出的推荐撤回：%(reason)s") % {
        "year": award.year,
        "name": award.programme.name,
        "reason": reason,
    }
    withdrawn = []
    open_ones = Nomination.objects.filter(
        nominated_from_id=award.application_id, status=NominationStatus.OPEN
    ).select_related("application")
    for nomination in open_ones.order_by("pk"):
        upper = nomination.application
        if upper.status in FINAL_STATES:
            continue  # ended (or awarded) on its own: no longer an open nomination
        transition(
            NOMINATION_MACHINE,
            nomination,
            NominationStatus.WITHDRAWN,
            actor=actor,
            action="nomination.withdrawn",
            reason=why,
            fields={"withdrawn_reason": why},
            audit_obj=upper,
            data={"nomination": nomination.pk, "award": award.pk},
        )
        if S.WITHDRAWN in TRANSITIONS[upper.status]:
            # The reason is the portal's own sentence, not somebody's opinion (issue 11).
            transition_application(upper, S.WITHDRAWN, actor=actor, reason=why, told=why)
        else:
            end_application(application=upper, reasons=why, actor=actor, rule=RULE, told=why)
        withdrawn.append(nomination.pk)
    return withdrawn
