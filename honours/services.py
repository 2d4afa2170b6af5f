"""Recording honours granted elsewhere and the art. 13 rewards owed for them (R13).

One write path: the API, the pages, the import and the admin all come through here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from applications.services.documents import check_upload, name_for
from awards.enums import RewardKind
from awards.models import LedgerEntry
from awards.services import ledger
from common import audit
from common.dates import today
from common.exceptions import ApplicationError
from programmes.models import Programme
from regions.selectors import division

from .enums import DEFAULT_REWARD_AMOUNTS, HonourKind
from .models import Honour, HonourRewardAmount

# The ledger's reward type for each kind of honour (art. 13 names the first two).
LEDGER_REWARD = {
    HonourKind.CITY_MAYOR_AWARD: RewardKind.CITY_MAYOR_AWARD,
    HonourKind.FAMOUS_BRAND: RewardKind.REGIONAL_BRAND,
}


def _kinds_label() -> str:
    return "、".join(f"{value}（{label}）" for value, label in HonourKind.choices)


def validate_honour(
    *, kind: str, title: str, issuer: str, granted_on: dt.date | None, valid_until: dt.date | None
) -> dict[str, str]:
    """The problems of one honour's data, by field (empty when it may be recorded). Shared by
    the form, the API and the import, so each says the same thing."""
    errors: dict[str, str] = {}
    if kind not in HonourKind.values:
        errors["kind"] = gettext("荣誉类别“%(kind)s”不正确，应为%(kinds)s之一。") % {
            "kind": kind,
            "kinds": _kinds_label(),
        }
    if not (title or "").strip():
        errors["title"] = gettext("请填写荣誉名称。")
    if not (issuer or "").strip():
        errors["issuer"] = gettext("请填写授予机关。")
    now = today()
    if granted_on is None:
        errors["granted_on"] = gettext("请填写授予日期（YYYY-MM-DD）。")
    elif granted_on > now:
        errors["granted_on"] = gettext(
            "授予日期%(day)s晚于今天（%(today)s），不能登记未来的荣誉。"
        ) % {
            "day": granted_on.isoformat(),
            "today": now.isoformat(),
        }
    if valid_until is not None and granted_on is not None and valid_until <= granted_on:
        errors["valid_until"] = gettext("有效期至%(until)s应晚于授予日期%(day)s。") % {
            "until": valid_until.isoformat(),
            "day": granted_on.isoformat(),
        }
    return errors


def _duplicate(organisation, kind, title, granted_on) -> ApplicationError:
    return ApplicationError(
        gettext("该组织的“%(title)s”（%(day)s）已登记，不能重复登记。")
        % {"title": title, "day": granted_on.isoformat()},
        field="title",
    )


@transaction.atomic
def record_honour(
    *,
    organisation,
    kind: str,
    title: str,
    issuer: str,
    granted_on: dt.date,
    valid_until: dt.date | None = None,
    evidence=None,
    actor,
) -> Honour:
    """Enter an honour granted elsewhere into the organisation's register. Refused (400) for an
    unknown kind, a grant in the future, a validity that ends before it starts, or the same
    honour twice (a double submission changes nothing)."""
    title, issuer = (title or "").strip(), (issuer or "").strip()
    errors = validate_honour(
        kind=kind, title=title, issuer=issuer, granted_on=granted_on, valid_until=valid_until
    )
    if errors:
        field, message = next(iter(errors.items()))
        raise ApplicationError(message, field=field)
    if Honour.objects.filter(
        organisation=organisation, kind=kind, title=title, granted_on=granted_on
    ).exists():
        raise _duplicate(organisation, kind, title, granted_on)
    honour = Honour(
        organisation=organisation,
        kind=kind,
        title=title,
        issuer=issuer,
        granted_on=granted_on,
        valid_until=valid_until,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if evidence is not None:
        file_type = check_upload(evidence)
        honour.evidence_name = name_for(evidence.name, file_type)
        honour.evidence_type = file_type.content_type
        honour.evidence.save(f"upload.{file_type.extension}", evidence, save=False)
    try:
        with transaction.atomic():
            honour.save()
    except IntegrityError as exc:  # a concurrent double submission
        raise _duplicate(organisation, kind, title, granted_on) from exc
    audit.record(
        action="honour.recorded",
        actor=actor,
        obj=honour,
        to_state=kind,
        data={
            "organisation": organisation.pk,
            "kind": kind,
            "title": title,
            "issuer": issuer,
            "granted_on": granted_on,
            "valid_until": valid_until,
            "evidence": bool(honour.evidence),
        },
    )
    return honour


def covering_programmes(organisation) -> list[Programme]:
    """The active programmes whose jurisdiction covers the organisation's division, nearest
    first (the county's, then the city's, then the province's)."""
    node = division(organisation.division_code)
    if node is None:
        return []
    codes = [d.code for d in node.lineage()]
    found = list(Programme.objects.filter(is_active=True, region__in=codes))
    return sorted(found, key=lambda p: (codes.index(p.region), p.pk))


def paying_programme(*, honour: Honour, actor, programme: Programme | None = None) -> Programme:
    """Which programme pays the art. 13 reward for ``honour``: the one named, or else the
    nearest programme the office serves whose jurisdiction covers the organisation (art. 13:
    the banner pays its local organisations; a city office rewarding pays from the city's)."""
    covering = covering_programmes(honour.organisation)
    if programme is not None:
        if programme not in covering:
            raise ApplicationError(
                gettext("“%(org)s”不在“%(programme)s”的管辖区域内，该质量奖不能为其支付奖励。")
                % {"org": honour.organisation.name, "programme": programme.name},
                rule="R13",
                field="programme",
            )
        if not actor.serves(programme.pk):
            raise ApplicationError(
                gettext("您不服务“%(programme)s”，不能登记其奖励。")
                % {"programme": programme.name},
                code="forbidden",
            )
        return programme
    if not covering:
        raise ApplicationError(
            gettext("没有质量奖的管辖区域包括“%(org)s”所在的行政区划，无法确定由谁支付奖励。")
            % {"org": honour.organisation.name},
            rule="R13",
        )
    for candidate in covering:
        if actor.serves(candidate.pk):
            return candidate
    raise ApplicationError(
        gettext("您服务的质量奖的管辖区域不包括“%(org)s”，不能登记其奖励。")
        % {"org": honour.organisation.name},
        code="forbidden",
    )


def reward_amount(programme: Programme, kind: str) -> Decimal | None:
    """The programme's amount for an honour of ``kind``, else the art. 13 default, else None."""
    row = HonourRewardAmount.objects.filter(programme=programme, kind=kind).first()
    if row is not None:
        return row.amount
    return DEFAULT_REWARD_AMOUNTS.get(kind)


def reward_honour(
    *, honour: Honour, actor, amount=None, programme: Programme | None = None
) -> LedgerEntry:
    """R13 (art. 13): record in the ledger the one-off reward owed for an honour granted
    elsewhere. A second reward for the same honour is a conflict (409), also when two arrive
    at once (the ledger locks the honour and its constraint holds)."""
    payer = paying_programme(honour=honour, actor=actor, programme=programme)
    if amount in (None, ""):
        amount = reward_amount(payer, honour.kind)
        if amount is None:
            raise ApplicationError(
                gettext("“%(programme)s”未设定“%(kind)s”的奖励金额，请填写金额。")
                % {"programme": payer.name, "kind": honour.get_kind_display()},
                rule="R13",
                field="amount",
            )
    return ledger.record_honour_owed(
        honour=honour,
        programme=payer,
        reward=LEDGER_REWARD.get(honour.kind, RewardKind.OTHER_HONOUR),
        amount=amount,
        on=today(),
        actor=actor,
    )
