"""A believable demo: the Etuoke Front Banner award, this year's cycle, one user per role and a
few organisations. Every step goes through the same services as the real portal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction

from accounts.enums import RecommenderLevel, Role
from accounts.models import User
from accounts.services.users import create_staff_user, register_enterprise
from common.dates import add_years, today
from organisations.models import Organisation
from organisations.services import set_credit_grade
from organisations.uscc import check_character
from programmes.models import Cycle, Programme
from programmes.services import create_cycle, create_programme

from .stages import queue_missing_pdfs, run_last_year

PROGRAMME_CODE = "etkqq"
DIVISION = "150623"  # 鄂托克前旗


def demo_uscc(serial: int) -> str:
    """A checksum-valid USCC of a company registered in 鄂托克前旗 (for demo data only)."""
    body = f"91{DIVISION}MA{serial:07d}"[:17]
    body = body.replace("O", "0").replace("I", "1")
    return body + check_character(body)


STAFF = [
    # username, name, roles, recommender level
    ("office", "王主任", [Role.OFFICE], ""),
    ("committee", "李委员", [Role.COMMITTEE], ""),
    ("recommender", "赵科长（行业主管部门）", [Role.RECOMMENDER], RecommenderLevel.INDUSTRY),
    ("leadgroup", "孙组长（领导小组）", [Role.RECOMMENDER], RecommenderLevel.LEADING_GROUP),
    ("expert1", "周专家", [Role.EXPERT], ""),
    ("expert2", "吴专家", [Role.EXPERT], ""),
    ("expert3", "郑专家", [Role.EXPERT], ""),
    ("expert4", "冯专家", [Role.EXPERT], ""),
    ("expert5", "陈专家", [Role.EXPERT], ""),
    ("expert6", "褚专家", [Role.EXPERT], ""),
    ("supervisor", "蒋监察", [Role.SUPERVISOR], ""),
    ("government", "韩副旗长", [Role.GOVERNMENT], ""),
]

ORGANISATIONS = [
    # username, organisation name, kind, registered years ago, credit grade, industry
    ("greenmilk", "鄂托克前旗绿原乳业有限公司", "enterprise", 12, "A", "乳制品制造"),
    ("shmenergy", "上海庙清洁能源有限公司", "enterprise", 9, "A", "能源化工"),
    ("cashmere", "城川羊绒制品有限公司", "enterprise", 2, "A", "纺织服装"),
    ("hospital", "鄂托克前旗人民医院", "institution", 30, "B", "卫生"),
]


@dataclass
class DemoResult:
    programme: Programme
    cycle: Cycle
    passwords: dict[str, tuple[str, str]] = field(default_factory=dict)
    created: bool = True


def password_for(username: str) -> str:
    return f"{username}-demo-2026"


@transaction.atomic
def load_demo(*, on: dt.date | None = None, stage: str = "awarded") -> DemoResult:
    """Create the demo once; running it again changes nothing and reports the same logins.
    Last year's cycle is taken to ``stage`` (see ``demo.stages``)."""
    day = on or today()
    existing = Programme.objects.filter(code=PROGRAMME_CODE).first()
    passwords = {u: (password_for(u), ", ".join(r for r in roles)) for u, _, roles, _ in STAFF}
    passwords.update({u: (password_for(u), "enterprise") for u, *_ in ORGANISATIONS})
    if existing is not None:
        cycle = existing.cycles.order_by("-year").first()
        passwords.update(_ladder(existing, day))
        queue_missing_pdfs(existing)  # a demo loaded by an older version had none
        return DemoResult(existing, cycle, passwords, created=False)

    programme = create_programme(
        actor=None,
        code=PROGRAMME_CODE,
        name="鄂托克前旗旗长质量奖",
        region=DIVISION,
        government_name="鄂托克前旗人民政府",
        office_name="鄂托克前旗旗长质量奖评审委员会办公室",
    )
    cycle = create_cycle(
        programme=programme,
        year=day.year,
        opens_on=day - dt.timedelta(days=30),
        submission_deadline=day + dt.timedelta(days=30),
        recommendation_deadline=day + dt.timedelta(days=45),
        document_review_deadline=day + dt.timedelta(days=75),
        onsite_review_deadline=day + dt.timedelta(days=105),
        actor=None,
    )
    for username, name, roles, level in STAFF:
        create_staff_user(
            username=username,
            password=password_for(username),
            roles=roles,
            programmes=[PROGRAMME_CODE],
            recommender_level=level,
            # The demo's industry authority oversees every demo applicant's industry (R12.2).
            industries=sorted({o[5] for o in ORGANISATIONS})
            if level == RecommenderLevel.INDUSTRY
            else [],
            name=name,
            email=f"{username}@example.gov.cn",
        )
    for serial, (username, org_name, kind, years, grade, industry) in enumerate(
        ORGANISATIONS, start=1
    ):
        user = register_enterprise(
            username=username,
            password=password_for(username),
            name=f"{org_name[:2]}质量部",
            email=f"{username}@example.com",
            organisation={
                "name": org_name,
                "uscc": demo_uscc(2019000 + serial),
                "kind": kind,
                "region": "鄂托克前旗",
                "registered_on": add_years(day, -years) - dt.timedelta(days=40),
                "industry": industry,
                "contact_name": "质量部",
                "contact_phone": f"1390477{serial:04d}",
            },
        )
        _rate(user.organisation, grade, day)
    if stage:
        run_last_year(
            programme=programme, stage=stage, office=User.objects.get(username="office"), today=day
        )
    passwords.update(_ladder(programme, day))
    return DemoResult(programme, cycle, passwords)


def _ladder(programme: Programme, day: dt.date) -> dict[str, tuple[str, str]]:
    """The league-level award above the banner's, with last year's winner nominated into it
    (``demo`` sits above every app it drives)."""
    from .ladder import load_ladder_demo  # noqa: PLC0415

    return load_ladder_demo(lower=programme, day=day, password_for=password_for)


def _rate(organisation: Organisation, grade: str, day: dt.date) -> None:
    office = User.objects.get(username="office")
    set_credit_grade(
        organisation=organisation,
        grade=grade,
        source="鄂尔多斯市市场监督管理局质量信用评价",
        rated_on=day - dt.timedelta(days=800),
        actor=office,
    )
